/**
 * A part of a benchmark run in a process of its own (a service, a bare pipeline), so it has its
 * event loop to itself as it does in production, and its CPU is read apart from the load
 * generator's. The parent and the child talk in lines: the child's lines starting with `> ` are
 * its answers (other output is left alone), the parent's lines are commands.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Child {
  proc: ChildProcess;
  pid: number;
  /** A command line to the child. */
  send: (line: string) => void;
  /** The child's next answer. */
  next: () => Promise<string>;
  /** Sends STOP and waits for the child to exit. */
  stop: () => Promise<void>;
}

/**
 * The Node flags `app` runs with in production (scripts/node-flags.sh), plus `BENCH_NODE_FLAGS`
 * for a diagnosis (e.g. `--trace-gc`).
 */
export function appNodeFlags(app: string): string[] {
  const flags = execFileSync('sh', ['scripts/node-flags.sh', app], { encoding: 'utf8' });
  return `${flags} ${process.env.BENCH_NODE_FLAGS ?? ''}`.split(/\s+/).filter((f) => f !== '');
}

/**
 * Runs `file` (a TypeScript file, with this process's loaders and flags, then `nodeFlags`: a
 * service's own, `appNodeFlags`) with `args`.
 */
export function startChild(file: string, args: readonly string[], nodeFlags: readonly string[] = []): Child {
  const proc = spawn(process.execPath, [...process.execArgv, ...nodeFlags, file, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: process.env,
  });
  const lines = createInterface({ input: proc.stdout! });
  const waiting: ((line: string) => void)[] = [];
  const queued: string[] = [];
  lines.on('line', (line) => {
    if (!line.startsWith('> ')) return;
    const value = line.slice(2);
    const take = waiting.shift();
    if (take) take(value);
    else queued.push(value);
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    pid: proc.pid!,
    send: (line) => proc.stdin!.write(`${line}\n`),
    next: () => new Promise<string>((resolve) => (queued.length > 0 ? resolve(queued.shift()!) : waiting.push(resolve))),
    stop: async () => {
      if (proc.exitCode === null) proc.stdin!.write('STOP\n');
      await exited;
    },
  };
}

/** In the child: an answer to the parent. */
export function answer(value: string): void {
  process.stdout.write(`> ${value}\n`);
}

/** In the child: the parent's commands, until its input closes. */
export function commands(): AsyncIterable<string> {
  return createInterface({ input: process.stdin });
}
