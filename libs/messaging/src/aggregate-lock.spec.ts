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
