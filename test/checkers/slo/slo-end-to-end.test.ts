/**
 * End to end: the region-isolation scenario run on the simulator in-process with budgets set,
 * the budgets written into the history as the slo setup line, and the history judged by the slo
 * checker alone. The measured RTO and RPO must be sensible for the correct bank.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistoryFile } from '../../../checkers/check-session.ts';
import { sloChecker } from '../../../checkers/slo/slo-checker.ts';
import { HistoryWriter } from '../../../history/writer.ts';
import { driveRun } from '../../../run/drive-run.ts';
import { QUIET_REPORTER } from '../../../run/reporter.ts';
import { simTarget } from '../../../run/targets/sim/sim-target.ts';
import { loadScenario } from '../../../scenario-dsl/load-scenario.ts';
import type { ResolvedScenario } from '../../../scenario-dsl/resolved-scenario.ts';
import { OSAKA, TOKYO } from './support/run-slo.ts';

const BUDGET = {
  before: { successRateMin: 0.95, latencyP99MsMax: null },
  during: { successRateMin: null, latencyP99MsMax: null },
  after: { successRateMin: null, latencyP99MsMax: null },
  rtoMsMax: 60_000,
  rpoMsMax: 0,
};

async function scenario(): Promise<ResolvedScenario> {
  const base = await loadScenario('scenarios/region-isolation.ts');
  return { ...base, slo: { byRegion: { [TOKYO]: BUDGET, [OSAKA]: BUDGET } } };
}

describe('slo end to end on the simulator', () => {
  it('region-isolation: the budgets travel in the history, RTO during the isolation > 0, RPO 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-slo-'));
    const file = join(dir, 'history.jsonl');
    try {
      const history = new HistoryWriter(file);
      try {
        await driveRun({
          target: simTarget,
          scenario: await scenario(),
          seed: 1,
          history,
          reporter: QUIET_REPORTER,
        });
      } finally {
        history.close();
      }
      const secondLine = JSON.parse(readFileSync(file, 'utf8').split('\n')[1]!);
      expect(secondLine).toMatchObject({
        process: 'setup',
        f: 'slo',
        value: { byRegion: { [TOKYO]: BUDGET } },
      });
      const result = checkHistoryFile(file, { checkers: [sloChecker], timeoutS: 30 }).checkers.slo;
      expect(result?.anomalies.map((anomaly) => anomaly.message)).toEqual([]);
      expect(result?.valid).toBe(true);
      const rto = result?.stats.rtoByRegion as Record<
        string,
        { fault: string; rtoMs: number | null }[]
      >;
      const isolation = rto[TOKYO]?.find((entry) => entry.fault.startsWith('start-isolate'));
      expect(isolation?.rtoMs).toBeGreaterThan(0);
      // Tokyo's own clients fail over to Osaka: they are served again long before Tokyo is.
      const home = result?.stats.rtoByHome as typeof rto;
      const homeIsolation = home[TOKYO]?.find((entry) => entry.fault.startsWith('start-isolate'));
      expect(homeIsolation?.rtoMs as number).toBeLessThan(isolation?.rtoMs as number);
      expect(result?.stats.rpoMs).toBe(0);
      expect(result?.stats.acknowledgedPayments as number).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
