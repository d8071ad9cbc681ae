/**
 * B5 on the evaluation index: how long `sla` and `businessDaysInStage` leaves take beside a plain
 * `daysInStage` one, over N accounts in memory (no server): each account has a few transitions of
 * the onboarding attribute within the last 60 days, a third on a Berlin calendar with holidays.
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only bench/sla-criteria.bench.ts [accounts=200000]
 *
 * "first" is the read that folds each account's history with the rules once (after a start, or
 * once the account, the stages' SLAs or its calendar changed); "then" are the reads after it.
 */
import { MS_PER_DAY, type SlaStage } from '@lifecycle/rules';
import { AccountIndex } from '../apps/segment-evaluation/src/evaluation-index/core/account-index';
import { indexedAccountOf } from '../apps/segment-evaluation/src/evaluation-index/core/indexed-account';
import { businessContextOf } from '../apps/segment-evaluation/src/domain/business-context';
import { resolveCriteria } from '../apps/segment-evaluation/src/domain/criteria-validation';
import { catalogOf, ONBOARDING, STAGE } from '../apps/segment-evaluation/src/domain/testing/account-projection.builder';
import type { ProjectedAccount } from '../apps/segment-evaluation/src/domain/projection-updates';

const N = Number(process.argv[2] ?? 200_000);
const NOW = new Date();
const ORDER = [STAGE.kickoff, STAGE.configuration, STAGE.implementation, STAGE.goLive];

const index = new AccountIndex(N);
let seed = 42;
const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
for (let i = 0; i < N; i++) {
  const transitions: { from: string | null; to: string | null; at: Date }[] = [];
  let at = NOW.getTime() - (10 + random() * 50) * MS_PER_DAY;
  let from: string | null = null;
  for (let k = 0, moves = 1 + Math.floor(random() * 4); k < moves; k++) {
    const to = ORDER[Math.min(k, 3)]!;
    transitions.push({ from, to, at: new Date(at) });
    from = to;
    at += random() * 12 * MS_PER_DAY;
  }
  const stageId = from!;
  const account: ProjectedAccount = {
    _id: `acc-${String(i).padStart(7, '0')}`,
    name: `Account ${i}`,
    clientType: 'smb',
    ownerId: 'csm-1',
    canceled: i % 50 === 0,
    subscriptionActive: false,
    renewalDate: null,
    calendarKey: i % 3 === 0 ? 'berlin' : null,
    lifecycle: {
      onboarding: {
        stageId,
        cycle: 1,
        completedCycles: stageId === STAGE.goLive ? 1 : 0,
        running: stageId !== STAGE.goLive,
        stageClockStart: stageId === STAGE.goLive ? null : transitions[transitions.length - 1]!.at,
        attributeClockStart: stageId === STAGE.goLive ? null : transitions[0]!.at,
        frozenStageMs: stageId === STAGE.goLive ? 0 : null,
        frozenAttributeMs: stageId === STAGE.goLive ? 1 : null,
        completions: [],
        transitions,
      },
    } as unknown as ProjectedAccount['lifecycle'],
    factsAt: null,
    segments: [],
    membershipSeq: {},
  };
  index.apply(indexedAccountOf(account, 1));
}

const context = businessContextOf(
  new Map<string, SlaStage[]>([
    [
      'onboarding',
      ONBOARDING.stages.map((s) => ({
        ...s,
        sla:
          s.id === STAGE.kickoff
            ? { expected: 10, unit: 'calendar-days' as const }
            : s.id === STAGE.configuration
              ? { expected: 15, unit: 'business-days' as const }
              : null,
      })),
    ],
  ]),
  new Map([['berlin', { workingWeekdays: [1, 2, 3, 4, 5], holidays: ['2025-12-25', '2026-01-01'], timeZone: 'Europe/Berlin' }]]),
);
const catalog = catalogOf(ONBOARDING);
const cases: [string, unknown][] = [
  ['daysInStage (calendar clock)', { attribute: 'onboarding', isOneOf: ['Kickoff', 'Configuration'], daysInStage: { gt: 5 } }],
  ['businessDaysInStage', { attribute: 'onboarding', isOneOf: ['Kickoff', 'Configuration'], businessDaysInStage: { gt: 5 } }],
  ['sla: [overdue, at-risk]', { attribute: 'onboarding', sla: ['overdue', 'at-risk'] }],
];
console.log(`${N} accounts, node ${process.version}`);
for (const [label, criteria] of cases) {
  const resolved = resolveCriteria(criteria, catalog);
  const cold = process.hrtime.bigint();
  index.evaluate(resolved, NOW, context); // the first read folds every account it needs (kept per account state)
  const coldMs = Number(process.hrtime.bigint() - cold) / 1e6;
  const runs = 3;
  const started = process.hrtime.bigint();
  let count = 0;
  for (let r = 0; r < runs; r++) count = index.count(index.evaluate(resolved, NOW, context));
  const ms = Number(process.hrtime.bigint() - started) / 1e6 / runs;
  console.log(
    `${label.padEnd(30)} first ${coldMs.toFixed(0).padStart(6)} ms, then ${ms.toFixed(1).padStart(7)} ms per evaluation, ${count} members`,
  );
}
