import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { AccountPage } from './accounts/account.page';
import { AccountsPage } from './accounts/accounts.page';
import { AttributePage } from './attributes/attribute.page';
import { AttributesPage } from './attributes/attributes.page';
import { NewAttributePage } from './attributes/new-attribute.page';
import { ClientTypesPage } from './cycles/client-types.page';
import { TasksPage } from './cycles/tasks.page';
import { TemplatePage } from './cycles/template.page';
import { TemplatesPage } from './cycles/templates.page';
import { ImportPage } from './imports/import.page';
import { PlaysPage } from './plays/plays.page';
import { ConsoleShell } from './console-shell';
import { ProgressBoardPage } from './segments/progress-board.page';
import { SegmentEditorPage } from './segments/segment-editor.page';
import { SegmentsPage } from './segments/segments.page';
import { SignInPage } from './session/sign-in.page';
import { useSessionState } from './session/session-context';
import { Loading } from './ui/loading';

/** The report's charts (Recharts) are loaded when the report is opened, not with every screen. */
const LifecycleReportPage = lazy(() => import('./segments/lifecycle-report.page').then((m) => ({ default: m.LifecycleReportPage })));

/** Every screen of the console under /console; without a session, the sign-in screen. */
export function ConsoleRoutes() {
  const { session } = useSessionState();
  if (session === null) return <SignInPage />;
  return (
    <Routes>
      <Route element={<ConsoleShell />}>
        <Route index element={<Navigate to="/attributes" replace />} />
        <Route path="attributes" element={<AttributesPage />} />
        <Route path="attributes/new" element={<NewAttributePage />} />
        <Route path="attributes/:key" element={<AttributePage />} />
        <Route path="accounts" element={<AccountsPage />} />
        <Route path="accounts/:accountId" element={<AccountPage />} />
        <Route path="segments" element={<SegmentsPage />} />
        <Route path="segments/new" element={<SegmentEditorPage />} />
        <Route path="segments/:segmentId" element={<SegmentEditorPage />} />
        <Route path="segments/:segmentId/board" element={<ProgressBoardPage />} />
        <Route
          path="reports"
          element={
            <Suspense fallback={<Loading what="the report" />}>
              <LifecycleReportPage />
            </Suspense>
          }
        />
        <Route path="cycles/templates" element={<TemplatesPage />} />
        <Route path="cycles/templates/:templateId" element={<TemplatePage />} />
        <Route path="cycles/client-types" element={<ClientTypesPage />} />
        <Route path="cycles/tasks" element={<TasksPage />} />
        <Route path="plays" element={<PlaysPage />} />
        <Route path="imports" element={<ImportPage />} />
        <Route path="*" element={<Navigate to="/attributes" replace />} />
      </Route>
    </Routes>
  );
}
