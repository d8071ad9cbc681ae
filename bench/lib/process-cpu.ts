/**
 * CPU use of named processes from /proc (Linux): utime + stime deltas between two snapshots,
 * as a percentage of one core (so 200 % = both cores of a 2-core machine), plus the whole
 * machine's busy share from /proc/stat.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export interface CpuSnapshot {
  at: number;
  /** label → utime + stime in clock ticks (null: the process is gone). */
  ticks: Map<string, number | null>;
  machine: { busy: number; total: number };
}

export interface CpuShare {
  label: string;
  /** Percent of one core over the interval. */
  percent: number;
}

/** utime + stime of a process in clock ticks (all its threads), or null if it is gone. */
export function processTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** utime + stime of a process in microseconds (all its threads), or null if it is gone. */
export function processCpuMicros(pid: number): number | null {
  const ticks = processTicks(pid);
  return ticks === null ? null : (ticks * 1_000_000) / CLOCK_TICKS;
}

/** Resident set size of a process in bytes, or null if it is gone. */
export function processRss(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

export function cpuSnapshot(processes: ReadonlyMap<string, number>): CpuSnapshot {
  const ticks = new Map<string, number | null>();
  for (const [label, pid] of processes) ticks.set(label, processTicks(pid));
  return { at: Date.now(), ticks, machine: machineTicks() };
}

/** Per-process CPU between two snapshots, busiest first; `machine` is the share of all cores busy. */
export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): { processes: CpuShare[]; machinePercent: number } {
  const seconds = (b.at - a.at) / 1000;
  const processes: CpuShare[] = [];
  for (const [label, before] of a.ticks) {
    const after = b.ticks.get(label);
    if (before === null || after === null || after === undefined || seconds <= 0) continue;
    processes.push({ label, percent: ((after - before) / CLOCK_TICKS / seconds) * 100 });
  }
  processes.sort((x, y) => y.percent - x.percent);
  const total = b.machine.total - a.machine.total;
  return { processes, machinePercent: total > 0 ? ((b.machine.busy - a.machine.busy) / total) * 100 : NaN };
}

/**
 * Pids of the shared servers that `scripts/infra.sh` started (its pid files in .local/run), by
 * name; servers it did not start (no pid file, or a dead pid) are left out.
 */
export function infraPids(root: string): Map<string, number> {
  const runDir = join(process.env.LIFECYCLE_LOCAL_DIR ?? join(root, '.local'), 'run');
  const pids = new Map<string, number>();
  for (const [label, name] of [
    ['kafka', 'kafka'],
    ['mongo-wire', 'mongo'],
    ['redis', 'redis'],
  ] as const) {
    const file = join(runDir, `${name}.pid`);
    if (!existsSync(file)) continue;
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && processTicks(pid) !== null) pids.set(label, pid);
  }
  return pids;
}
