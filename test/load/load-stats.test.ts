import { describe, expect, it } from 'vitest';
import { LoadStats } from '../../load/load-stats.ts';
import { okResponse, type Script } from './support/fake-transport.ts';
import { bankWorkload, NS_PER_MS, OSAKA, runLoad, TOKYO } from './support/run-load.ts';

const NS_PER_S = 1_000_000_000;

describe('load stats', () => {
  it('keys rows by region and the phase of the arrival, and sums them', () => {
    const stats = new LoadStats((timeNs) => (timeNs < NS_PER_S ? 'before' : 'during'));
    stats.count('arrivals', TOKYO, 0);
    stats.count('ok', TOKYO, 0);
    stats.latency(TOKYO, 0, 30 * NS_PER_MS);
    stats.count('arrivals', TOKYO, 2 * NS_PER_S);
    stats.count('info', OSAKA, 2 * NS_PER_S);
    const table = stats.table();
    expect(table.map((row) => [row.region, row.phase, row.ok, row.info])).toEqual([
      [TOKYO, 'before', 1, 0],
      [TOKYO, 'during', 0, 0],
      [OSAKA, 'during', 0, 1],
    ]);
    expect(table[0]?.latencyMs).toEqual({ count: 1, p50: 30, p99: 30, max: 30 });
    expect(stats.totals()).toMatchObject({ arrivals: 2, ok: 1, info: 1 });
  });

  it('reports completions per second by region since the previous progress call', () => {
    const stats = new LoadStats(() => 'run');
    for (let i = 0; i < 10; i += 1) stats.count(i < 8 ? 'ok' : 'fail', TOKYO, 0);
    expect(stats.progress(2 * NS_PER_S)).toEqual([{ region: TOKYO, opsPerSec: 5, okPerSec: 4 }]);
    stats.count('ok', TOKYO, 0);
    expect(stats.progress(3 * NS_PER_S)).toEqual([{ region: TOKYO, opsPerSec: 1, okPerSec: 1 }]);
    expect(() => stats.progress(3 * NS_PER_S)).toThrow('no time');
  });

  it('splits a run by phase: a stall in the middle shows as info and long latency there only', async () => {
    const stalled = (timeNs: number) => timeNs >= 1000 * NS_PER_MS && timeNs < 2000 * NS_PER_MS;
    const script: Script = (call) =>
      stalled(call.timeNs) ? null : { afterMs: 10, response: okResponse(call.request, call.n) };
    const { driver } = await runLoad({
      plan: {
        workloads: [bankWorkload({ [TOKYO]: 40, [OSAKA]: 0 })],
        durationMs: 3000,
        phaseOf: (timeNs) =>
          timeNs < 1000 * NS_PER_MS ? 'before' : timeNs < 2000 * NS_PER_MS ? 'during' : 'after',
      },
      script,
    });
    const rows = new Map(driver.stats.table().map((row) => [row.phase, row]));
    expect(rows.get('before')).toMatchObject({ info: 0, latencyMs: { p99: 10 } });
    expect(rows.get('during')?.info).toBe(rows.get('during')?.invokes);
    expect(rows.get('during')?.latencyMs.p50).toBe(1000);
    expect(rows.get('after')).toMatchObject({ info: 0, latencyMs: { max: 10 } });
  });
});
