/**
 * The local target's clock on real time: its timers never fire before their due time (node's own
 * may, by up to a ms); a timer whose deadline has already passed (its caller read nowNs before
 * real time moved on) fires at once instead of failing the run; a delay past the bound, or not a
 * number, is refused.
 */
import { describe, expect, it } from 'vitest';
import { realClock } from '../../../../run/targets/local/real-clock.ts';

describe('realClock', () => {
  it('fires each timer at or after its due time, and a cancelled one never', async () => {
    const clock = realClock();
    const earlyNs: number[] = [];
    let cancelledFired = false;
    await new Promise<void>((done) => {
      let left = 300;
      for (let i = 0; i < 300; i += 1) {
        const delayNs = (i % 7) * 333_333 + (i % 3) * 1_000;
        const dueNs = clock.nowNs + delayNs;
        clock.after(delayNs, () => {
          earlyNs.push(dueNs - clock.nowNs);
          left -= 1;
          if (left === 0) done();
        });
      }
      clock.after(1_000_000, () => (cancelledFired = true)).cancel();
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(earlyNs).toHaveLength(300);
    expect(Math.max(...earlyNs)).toBeLessThanOrEqual(0);
    expect(cancelledFired).toBe(false);
  });

  it('fires a timer already past at once', async () => {
    const clock = realClock();
    const fired = await new Promise<number>((resolve) => {
      clock.after(-2_722_444, () => resolve(clock.nowNs));
    });
    expect(fired).toBeGreaterThanOrEqual(0);
  });

  it('refuses a delay beyond a day either way, and NaN', () => {
    const clock = realClock();
    expect(() => clock.after(86_400_000_000_001, () => {})).toThrow(/delayNs/);
    expect(() => clock.after(-86_400_000_000_001, () => {})).toThrow(/delayNs/);
    expect(() => clock.after(Number.NaN, () => {})).toThrow(/delayNs/);
  });
});
