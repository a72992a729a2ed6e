/**
 * The local target's clock on real time: a timer whose deadline has already passed (its caller
 * read nowNs before real time moved on) fires at once instead of failing the run; a delay past
 * the bound, or not a number, is refused.
 */
import { describe, expect, it } from 'vitest';
import { realClock } from '../../../../run/targets/local/real-clock.ts';

describe('realClock', () => {
  it('fires a timer already past at once', async () => {
    const clock = realClock();
    const fired = await new Promise<number>((resolve) => {
      clock.after(-2_722_444, () => resolve(clock.nowNs));
    });
    expect(fired).toBeGreaterThanOrEqual(0);
  });

  it('fires a future timer no earlier than asked', async () => {
    const clock = realClock();
    const askedNs = clock.nowNs + 20_000_000;
    const fired = await new Promise<number>((resolve) => {
      clock.after(20_000_000, () => resolve(clock.nowNs));
    });
    expect(fired).toBeGreaterThanOrEqual(askedNs - 1_000_000);
  });

  it('refuses a delay beyond a day either way, and NaN', () => {
    const clock = realClock();
    expect(() => clock.after(86_400_000_000_001, () => {})).toThrow(/delayNs/);
    expect(() => clock.after(-86_400_000_000_001, () => {})).toThrow(/delayNs/);
    expect(() => clock.after(Number.NaN, () => {})).toThrow(/delayNs/);
  });
});
