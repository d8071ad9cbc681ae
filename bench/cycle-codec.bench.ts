/**
 * The CPU time this process spends writing and reading an account's cycles in each format of the
 * encoded form (`apps/cycle-planning/src/cycles/cycle-codec.ts`): format 1, the domain objects'
 * JSON deflated at zlib's default level, and format 2, positional JSON deflated at level 1 (both
 * read only now; written here as they are stored), and format 3, the binary form written. One cycle of 4 stages × 3 activities × 3 tasks (45 items, two tasks
 * completed), as the propagation bench seeds it. No server involved; CPU time from
 * `process.cpuUsage`, the least of 7 rounds.
 *   npm run bench -- cycle-codec [rounds=7000]
 */
import { encodeCycles, decodeCycles } from '../apps/cycle-planning/src/cycles/cycle-codec';
import { formatOne, formatTwo } from '../apps/cycle-planning/src/cycles/cycle-codec.fixture';
import { completeTask, instantiateCycle, type AccountCycle, type CycleTemplate } from '../apps/cycle-planning/src/domain';
import { fmt, table } from './lib/stats';

const DAY_MS = 86_400_000;
const ROUNDS = 7;

function journey(): CycleTemplate {
  const start = (days: number) => ({ days, relativeTo: 'cycleStart' as const });
  return {
    id: 'journey',
    name: 'Journey',
    version: 1,
    stages: [1, 2, 3, 4].map((s) => ({
      id: `s${s}`,
      name: `Stage ${s}`,
      order: s,
      daysDue: s === 4 ? { days: -15, relativeTo: 'renewal' as const } : start(s * 30),
      activities: [1, 2, 3].map((a) => ({
        id: `s${s}a${a}`,
        name: `Activity ${s}.${a}`,
        order: a,
        daysDue: start(s * 30 - 12 + a * 3),
        tasks: [1, 2, 3].map((t) => ({
          id: `s${s}a${a}t${t}`,
          name: `Task ${s}.${a}.${t}`,
          order: t,
          daysDue: start(s * 30 - 25 + a * 3 + t),
          ...(t === 1 ? { ownerRole: 'csm' } : {}),
        })),
      })),
    })),
  };
}

/** CPU µs per call of `work`, the least over the rounds (other processes on the machine inflate the rest). */
function cpuPerCall(calls: number, work: () => unknown): number {
  for (let i = 0; i < 300; i++) work();
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < calls / ROUNDS; i++) work();
    const { user, system } = process.cpuUsage(start);
    best = Math.min(best, (user + system) / (calls / ROUNDS));
  }
  return best;
}

function main(): void {
  const calls = Number(process.argv[2] ?? 7_000);
  let cycle: AccountCycle = instantiateCycle(journey(), {
    cycleId: 'cycle-acct-000001',
    accountId: 'acct-000001',
    startDate: new Date(Date.UTC(2025, 0, 1)),
    assignedAt: new Date(),
    subscription: { active: true, renewalDate: new Date('2027-03-31T00:00:00Z') },
    primary: true,
  });
  for (const taskId of ['s1a1t1', 's1a1t2']) cycle = completeTask(cycle, taskId, new Date(cycle.startDate.getTime() + 5 * DAY_MS)).cycle;
  const cycles = [cycle];
  const one = formatOne(cycles);
  const two = formatTwo(cycles);
  const three = encodeCycles(cycles);
  console.log(
    table([
      {
        format: '1: domain JSON, zlib default level',
        bytes: one.length,
        'write µs': fmt(
          cpuPerCall(calls, () => formatOne(cycles)),
          1,
        ),
        'read µs': fmt(
          cpuPerCall(calls, () => decodeCycles(one)),
          1,
        ),
      },
      {
        format: '2: positional JSON, dates as ms, zlib level 1',
        bytes: two.length,
        'write µs': fmt(
          cpuPerCall(calls, () => formatTwo(cycles)),
          1,
        ),
        'read µs': fmt(
          cpuPerCall(calls, () => decodeCycles(two)),
          1,
        ),
      },
      {
        format: '3: binary, varints, instants from the start',
        bytes: three.length,
        'write µs': fmt(
          cpuPerCall(calls, () => encodeCycles(cycles)),
          1,
        ),
        'read µs': fmt(
          cpuPerCall(calls, () => decodeCycles(three)),
          1,
        ),
      },
    ]),
  );
}

main();
