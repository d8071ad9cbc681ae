/** The service-level refusals (unknown template, client type, account), one message each. */
import { CycleError, CycleErrorCode } from './cycle-errors';

export function templateNotFound(templateId: string): CycleError {
  return new CycleError(CycleErrorCode.TemplateNotFound, `Cycle template "${templateId}" does not exist`, { templateId });
}

export function clientTypeNotFound(key: string): CycleError {
  return new CycleError(CycleErrorCode.ClientTypeNotFound, `Client type "${key}" does not exist`, { clientType: key });
}

export function accountNotFound(accountId: string): CycleError {
  return new CycleError(
    CycleErrorCode.AccountNotFound,
    `Account "${accountId}" is unknown to cycle planning (no account facts from the CRM yet)`,
    { accountId },
  );
}
