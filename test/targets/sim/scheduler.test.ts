import { describe, expect, it } from 'vitest';
import { EVENTS_PER_TURN_MAX, Scheduler } from '../../../targets/sim/scheduler.ts';

const LIMITS = { untilNs: Number.POSITIVE_INFINITY, eventsMax: 1_000_000 };

describe('Scheduler', () => {
  it('runs events by virtual time, and same-time events in the order they were scheduled', async () => {
    const scheduler = new Scheduler();
    const seen: string[] = [];
    scheduler.at(20, () => seen.push(`b@${scheduler.nowNs}`));
    scheduler.at(10, () => seen.push(`a@${scheduler.nowNs}`));
    scheduler.at(20, () => seen.push(`c@${scheduler.nowNs}`));
    const stats = await scheduler.run(LIMITS);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
    expect(stats).toEqual({ eventsRun: 3, nowNs: 20 });
  });

  it('lets async code woken by an event run to its next wait before the clock moves', async () => {
    const scheduler = new Scheduler();
    const seen: string[] = [];
    const worker = async (name: string, delayNs: number) => {
      await scheduler.sleep(delayNs);
      for (let i = 0; i < 5; i += 1) await Promise.resolve();
      seen.push(`${name} woke at ${scheduler.nowNs}`);
      await scheduler.sleep(delayNs);
      seen.push(`${name} done at ${scheduler.nowNs}`);
    };
    const done = Promise.all([worker('x', 10), worker('y', 15)]);
    await scheduler.run(LIMITS);
    await done;
    expect(seen).toEqual(['x woke at 10', 'y woke at 15', 'x done at 20', 'y done at 30']);
  });

  it('lets a chain of thousands of microtasks finish before the next event at the same time', async () => {
    const scheduler = new Scheduler();
    const seen: string[] = [];
    const chainLength = 10_000;
    const worker = async () => {
      await scheduler.sleep(10);
      for (let i = 0; i < chainLength; i += 1) {
        await new Promise<void>((resolve) => queueMicrotask(resolve));
      }
      seen.push(`worker done at ${scheduler.nowNs}`);
    };
    const done = worker();
    scheduler.at(10, () => seen.push('second event at 10'));
    await scheduler.run(LIMITS);
    await done;
    expect(seen).toEqual(['worker done at 10', 'second event at 10']);
  });

  it('turns the real event loop when a run starts and at least every EVENTS_PER_TURN_MAX events', async () => {
    const scheduler = new Scheduler();
    let eventsSeen = 0;
    const eventsAtTurns: number[] = [];
    let running = true;
    const onTurn = (): void => {
      eventsAtTurns.push(eventsSeen);
      if (running) setImmediate(onTurn);
    };
    const events = 3 * EVENTS_PER_TURN_MAX + 7;
    for (let i = 1; i <= events; i += 1) scheduler.at(i, () => (eventsSeen += 1));
    setImmediate(onTurn);
    await scheduler.run(LIMITS);
    running = false;
    expect(eventsAtTurns[0]).toBe(0);
    const gaps = eventsAtTurns.slice(1).map((events, i) => events - eventsAtTurns[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(EVENTS_PER_TURN_MAX);
    expect(eventsAtTurns.at(-1)).toBeGreaterThanOrEqual(3 * EVENTS_PER_TURN_MAX);
  });

  it('stops at untilNs with the clock there, leaving later events queued', async () => {
    const scheduler = new Scheduler();
    const seen: number[] = [];
    scheduler.at(5, () => seen.push(5));
    scheduler.at(50, () => seen.push(50));
    expect(await scheduler.run({ untilNs: 30, eventsMax: 10 })).toEqual({
      eventsRun: 1,
      nowNs: 30,
    });
    expect(scheduler.pendingEvents).toBe(1);
    expect(seen).toEqual([5]);
  });

  it('skips cancelled events', async () => {
    const scheduler = new Scheduler();
    const seen: string[] = [];
    const event = scheduler.at(5, () => seen.push('cancelled'));
    scheduler.at(6, () => seen.push('kept'));
    scheduler.cancel(event);
    await scheduler.run(LIMITS);
    expect(seen).toEqual(['kept']);
  });

  it('refuses the past and fails loudly on a runaway', async () => {
    const scheduler = new Scheduler();
    scheduler.at(10, () => {});
    await scheduler.run(LIMITS);
    expect(() => scheduler.at(5, () => {})).toThrow(
      'cannot schedule at 5 ns: the clock is at 10 ns',
    );
    const tick = (): void => {
      scheduler.after(1, tick);
    };
    tick();
    await expect(
      scheduler.run({ untilNs: Number.POSITIVE_INFINITY, eventsMax: 100 }),
    ).rejects.toThrow('a runaway');
  });
});
