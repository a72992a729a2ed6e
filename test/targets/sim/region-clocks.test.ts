import { describe, expect, it } from 'vitest';
import { RegionClocks } from '../../../targets/sim/region-clocks.ts';
import { Scheduler } from '../../../targets/sim/scheduler.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

describe('RegionClocks', () => {
  it('reads the virtual time in whole microseconds, plus each region its own skew', async () => {
    const scheduler = new Scheduler();
    const clocks = new RegionClocks(scheduler, [TOKYO, OSAKA]);
    await scheduler.run({ untilNs: 2_500_999, eventsMax: 1 });
    expect(clocks.trueNowUs()).toBe(2_500);
    expect(clocks.nowUs(TOKYO)).toBe(2_500);
    clocks.setSkewMs(OSAKA, -1.5);
    expect(clocks.nowUs(OSAKA)).toBe(1_000);
    expect(clocks.skewMs(OSAKA)).toBe(-1.5);
    expect(clocks.nowUs(TOKYO)).toBe(2_500);
    expect(clocks.trueNowUs()).toBe(2_500);
  });

  it('heals a skew by setting it back to 0, and never keeps a -0', () => {
    const clocks = new RegionClocks(new Scheduler(), [TOKYO]);
    clocks.setSkewMs(TOKYO, 250);
    expect(clocks.nowUs(TOKYO)).toBe(250_000);
    clocks.setSkewMs(TOKYO, -0.0001);
    expect(clocks.skewMs(TOKYO)).toBe(0);
  });

  it('refuses unknown regions and absurd skews', () => {
    const clocks = new RegionClocks(new Scheduler(), [TOKYO]);
    expect(() => clocks.nowUs('us-east-1')).toThrow('unknown region "us-east-1"');
    expect(() => clocks.setSkewMs('us-east-1', 5)).toThrow('unknown region');
    expect(() => clocks.setSkewMs(TOKYO, Number.NaN)).toThrow('clock skew must be finite');
    expect(() => clocks.setSkewMs(TOKYO, 90_000_000)).toThrow('within');
    expect(() => new RegionClocks(new Scheduler(), [])).toThrow('at least one region');
  });
});
