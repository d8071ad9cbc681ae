import { AggregateLock } from './aggregate-lock';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('AggregateLock', () => {
  it('runs work on the same key one at a time, in call order', async () => {
    const lock = new AggregateLock();
    const log: string[] = [];
    let value = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        lock.run('acme', async () => {
          const read = value;
          log.push(`start ${i}`);
          await tick();
          value = read + 1;
          log.push(`end ${i}`);
        }),
      ),
    );
    expect(value).toBe(20);
    expect(log.slice(0, 4)).toEqual(['start 0', 'end 0', 'start 1', 'end 1']);
    expect(lock.size).toBe(0);
  });

  it('lets different keys proceed concurrently and survives a failing work item', async () => {
    const lock = new AggregateLock();
    const order: string[] = [];
    const slow = lock.run('a', async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('a');
    });
    const fast = lock.run('b', async () => {
      order.push('b');
    });
    await Promise.all([slow, fast]);
    expect(order).toEqual(['b', 'a']);
    await expect(lock.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run('a', () => Promise.resolve(7))).resolves.toBe(7);
  });
});

describe('AggregateLock.runAll', () => {
  it('holds every lock of the batch: single-account work waits, and overlapping batches do not deadlock', async () => {
    const lock = new AggregateLock();
    const order: string[] = [];
    const release = { batch: () => undefined as void };
    const held = new Promise<void>((r) => (release.batch = r));
    const started = { batch: () => undefined as void };
    const running = new Promise<void>((r) => (started.batch = r));
    const batch = lock.runAll(['b', 'a', 'c'], async () => {
      order.push('batch start');
      started.batch();
      await held;
      order.push('batch end');
    });
    await running;
    const single = lock.run('c', async () => {
      order.push('single c');
    });
    const other = lock.runAll(['c', 'a'], async () => {
      order.push('other batch');
    });
    const unrelated = lock.run('d', async () => {
      order.push('single d');
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual(['batch start', 'single d']);
    release.batch();
    await Promise.all([batch, single, other, unrelated]);
    expect(order.slice(2, 3)).toEqual(['batch end']);
    expect(order.slice(3).sort()).toEqual(['other batch', 'single c']);
  });

  it('queues on all its keys at once: work queued after it on any of them waits, work before it goes first', async () => {
    const lock = new AggregateLock();
    const order: string[] = [];
    const first = lock.run('b', async () => {
      await tick();
      order.push('single b');
    });
    const batch = lock.runAll(['a', 'b', 'a', 'c'], async () => {
      order.push('batch');
      await tick();
    });
    const after = lock.run('a', async () => {
      order.push('single a');
    });
    await Promise.all([first, batch, after]);
    expect(order).toEqual(['single b', 'batch', 'single a']);
    expect(lock.size).toBe(0);
  });
});
