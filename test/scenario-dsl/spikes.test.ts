/**
 * Workload spikes: their shape, their resolution into integer milliseconds, and each rule's one
 * exact problem line.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHistoryFile, TIMEOUT_S_DEFAULT } from '../../checkers/check-session.ts';
import { CHECKERS } from '../../checkers/registry.ts';
import type { Results } from '../../checkers/verdict.ts';
import { HistoryWriter } from '../../history/writer.ts';
import { driveRun } from '../../run/drive-run.ts';
import { QUIET_REPORTER } from '../../run/reporter.ts';
import { simTarget } from '../../run/targets/sim/sim-target.ts';
import type { BugFlag } from '../../scenario-dsl/bug-flags.ts';
import type { FieldProblem } from '../../scenario-dsl/field-problem.ts';
import { resolveWorkloads } from '../../scenario-dsl/resolve-workloads.ts';
import type { WorkloadParsed } from '../../scenario-dsl/workload-schema.ts';
import retryStorm from '../../scenarios/retry-storm.ts';
import { BASE, problemsOf, resolved } from './scenario-test-support.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

function spike(at: string, duration: string, factor = 4) {
  return { at, duration, factor };
}

function bankWith(spikes: unknown, rate: unknown = 10) {
  return { ...BASE, workloads: [{ kind: 'bank', rate, spikes }] };
}

/** A spike as the schema parses it: durations already in ms. */
function parsedSpike(atMs: number, durationMs: number, factor = 4) {
  return { at: atMs, duration: durationMs, factor };
}

/** resolveWorkloads with the run's length, as the scenario resolver gives it. */
function problemsInRun(spikes: WorkloadParsed['spikes'], runMs: number): string[] {
  const problems: FieldProblem[] = [];
  const workloads: WorkloadParsed[] = [{ kind: 'bank', rate: 10, spikes }];
  resolveWorkloads(workloads, { regions: [TOKYO, OSAKA], accountCount: 10, runMs }, problems);
  return problems.map((p) => `${p.path}: ${p.message}`);
}

describe('workload spikes: resolution', () => {
  it('resolves each spike into integer milliseconds, in the order written', () => {
    const scenario = resolved(bankWith([spike('40s', '5s', 0.5), spike('20s', '15s30ms', 4)]));
    expect(scenario.workloads[0]?.spikes).toEqual([
      { atMs: 40_000, durationMs: 5_000, factor: 0.5 },
      { atMs: 20_000, durationMs: 15_030, factor: 4 },
    ]);
  });

  it('leaves spikes out of a workload without any, so old scenarios resolve as before', () => {
    expect(resolved(BASE).workloads[0]).not.toHaveProperty('spikes');
    expect(resolved(bankWith([])).workloads[0]).not.toHaveProperty('spikes');
  });

  it('takes spikes on every workload kind', () => {
    const workloads = [
      { kind: 'registers', spikes: [spike('1s', '1s', 2)] },
      { kind: 'checkout', spikes: [spike('2s', '1s', 3)] },
    ];
    expect(resolved({ ...BASE, workloads }).workloads.map((w) => w.spikes)).toEqual([
      [{ atMs: 1000, durationMs: 1000, factor: 2 }],
      [{ atMs: 2000, durationMs: 1000, factor: 3 }],
    ]);
  });
});

describe('workload spikes: shape problems', () => {
  const at = (field: string) => `scenarios/x.ts: workloads[0].spikes[0].${field}`;

  it('wants a factor in (0, 100]', () => {
    expect(problemsOf(bankWith([spike('1s', '1s', 0)]))).toEqual([
      `${at('factor')}: got 0; expected more than 0`,
    ]);
    expect(problemsOf(bankWith([spike('1s', '1s', 101)]))).toEqual([
      `${at('factor')}: got 101; expected at most 100`,
    ]);
    expect(problemsOf(bankWith([spike('1s', '1s', 100)]))).toEqual([]);
    expect(problemsOf(bankWith([spike('1s', '1s', 0.01)]))).toEqual([]);
  });

  it('wants at, duration and factor, and nothing else', () => {
    expect(problemsOf(bankWith([{ at: '1s', factor: 2 }]))).toEqual([
      `${at('duration')}: missing; expected a duration such as '500ms', '20s', '2m' or a number of milliseconds`,
    ]);
    expect(problemsOf(bankWith([{ ...spike('1s', '1s'), ramp: '1s' }]))).toEqual([
      `${at('ramp')}: unknown field; expected one of at, duration, factor`,
    ]);
    expect(problemsOf(bankWith([spike('1x', '1s')]))).toEqual([
      `${at('at')}: '1x' is not a duration; expected a duration such as '500ms', '20s', '2m' or a number of milliseconds`,
    ]);
    expect(problemsOf(bankWith('x'))).toEqual([
      "scenarios/x.ts: workloads[0].spikes: got 'x'; expected a list",
    ]);
  });

  it('takes at most 100 spikes per workload', () => {
    const many = Array.from({ length: 101 }, (_, i) => spike(`${i * 100}ms`, '50ms'));
    expect(problemsOf(bankWith(many))).toEqual([
      'scenarios/x.ts: workloads[0].spikes: has 101 items; expected at most 100',
    ]);
  });
});

describe('workload spikes: cross-field rules', () => {
  it('wants a spike to last', () => {
    expect(problemsOf(bankWith([spike('1s', '0ms')]))).toEqual([
      'scenarios/x.ts: workloads[0].spikes[0].duration: 0ms; expected more than 0ms',
    ]);
  });

  it('keeps the spiked rate within 100,000 ops/s per region, naming the busiest region', () => {
    const rate = { [TOKYO]: 20_000, [OSAKA]: 30_000 };
    expect(problemsOf(bankWith([spike('1s', '1s', 4)], rate))).toEqual([
      `scenarios/x.ts: workloads[0].spikes[0].factor: 4 × 30000 ops/s in ${OSAKA} is 120000 ops/s; expected at most 100000 ops/s`,
    ]);
    expect(problemsOf(bankWith([spike('1s', '1s', 3)], rate))).toEqual([]);
  });

  it('refuses overlapping spikes of one workload, but lets one start as another ends', () => {
    expect(problemsOf(bankWith([spike('10s', '10s'), spike('15s', '10s')]))).toEqual([
      'scenarios/x.ts: workloads[0].spikes[1].at: 15s overlaps spikes[0], from 10s to 20s; start it at 20s or later',
    ]);
    expect(problemsOf(bankWith([spike('10s', '10s'), spike('20s', '10s')]))).toEqual([]);
    expect(problemsOf(bankWith([spike('30s', '5s'), spike('10s', '30s')]))).toEqual([
      'scenarios/x.ts: workloads[0].spikes[0].at: 30s overlaps spikes[1], from 10s to 40s; start it at 40s or later',
    ]);
  });

  it('lets spikes of different workloads overlap', () => {
    const workloads = [
      { kind: 'bank', spikes: [spike('10s', '10s')] },
      { kind: 'checkout', spikes: [spike('10s', '10s')] },
    ];
    expect(problemsOf({ ...BASE, workloads })).toEqual([]);
  });

  it('holds every spike inside the run', () => {
    expect(problemsInRun([parsedSpike(75000, 5000)], 60_000)).toEqual([
      'workloads[0].spikes[0].at: 75s is after the end of the run (60s)',
    ]);
    expect(problemsInRun([parsedSpike(60000, 5000)], 60_000)).toEqual([
      'workloads[0].spikes[0].at: 60s is the end of the run; expected a time before 60s',
    ]);
    expect(problemsInRun([parsedSpike(50000, 20000)], 60_000)).toEqual([
      'workloads[0].spikes[0].duration: 20s from 50s ends at 70s, after the end of the run (60s)',
    ]);
    expect(problemsInRun([parsedSpike(0, 20000), parsedSpike(40000, 20000)], 60_000)).toEqual([]);
  });

  it('reports a spike outside the run once, not again as an overlap', () => {
    expect(problemsInRun([parsedSpike(50000, 20000), parsedSpike(55000, 1000)], 60_000)).toEqual([
      'workloads[0].spikes[0].duration: 20s from 50s ends at 70s, after the end of the run (60s)',
    ]);
  });
});

describe('the retry-storm scenario', () => {
  it('is valid, and spikes every workload 4x around its replica-lag fault', () => {
    const scenario = resolved(retryStorm);
    const spikes = scenario.workloads.map((w) => w.spikes);
    expect(spikes).toEqual(
      scenario.workloads.map(() => [{ atMs: 20_000, durationMs: 15_000, factor: 4 }]),
    );
    const [lag] = scenario.faults;
    expect(lag?.fault).toMatchObject({ kind: 'replica-lag', lagMs: 1500 });
    // The lag lies inside the spike and outlasts the client timeout: that is the storm.
    expect(lag?.atMs).toBeGreaterThanOrEqual(20_000);
    expect((lag?.atMs ?? 0) + (lag?.durationMs ?? 0)).toBeLessThanOrEqual(35_000);
    expect(scenario.clients.timeoutMs).toBeLessThan(1500);
    expect(scenario.clients.idempotencyKeys).toBe(true);
  });
});

/** Runs retry-storm on the simulator in-process; returns the verdicts and the timeouts' times. */
async function runRetryStorm(
  seed: number,
  bugs: BugFlag[],
): Promise<{ results: Results; timeoutNs: number[] }> {
  const base = resolved(retryStorm);
  const scenario = { ...base, bank: { ...base.bank, bugs } };
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-retry-storm-'));
  const file = join(dir, 'history.jsonl');
  try {
    const history = new HistoryWriter(file);
    try {
      await driveRun({ target: simTarget, scenario, seed, history, reporter: QUIET_REPORTER });
    } finally {
      history.close();
    }
    const results = checkHistoryFile(file, { checkers: CHECKERS, timeoutS: TIMEOUT_S_DEFAULT });
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const timeoutNs = lines
      .map((line) => JSON.parse(line) as { time: number; error?: unknown })
      .filter((op) => op.error === 'timeout')
      .map((op) => op.time);
    return { results, timeoutNs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('retry-storm on the simulator', () => {
  it('the correct bank passes; its timeouts all fire inside the spike', async () => {
    const { results, timeoutNs } = await runRetryStorm(1, []);
    expect(results.valid).toBe(true);
    expect(Object.keys(results.checkers)).toEqual(expect.arrayContaining(['balance', 'saga']));
    expect(timeoutNs.length).toBeGreaterThan(100);
    // Relative to the load's start (after the bank's start-up): within the spike, give or take
    // one timeout.
    const earliestS = Math.min(...timeoutNs) / 1e9;
    const latestS = Math.max(...timeoutNs) / 1e9;
    expect(earliestS).toBeGreaterThan(22);
    expect(latestS).toBeLessThan(37);
  }, 60_000);

  it('retry-without-idempotency is caught as duplicate-transfer', async () => {
    const { results } = await runRetryStorm(1, ['retry-without-idempotency']);
    expect(results.valid).toBe(false);
    expect(results.anomalyTypes).toContain('duplicate-transfer');
  }, 60_000);
});

describe('workload spikes: validated with the whole scenario', () => {
  it('names a spike that ends after the run, as a problem of the scenario', async () => {
    const { validateScenario } = await import('../../scenario-dsl/validate-scenario.ts');
    const spec = {
      name: 'late-spike',
      description: 'A spike past the end.',
      hypothesis: 'Never runs.',
      duration: '10s',
      workloads: [
        {
          kind: 'bank',
          rate: 10,
          spikes: [{ at: '8s', duration: '5s', factor: 2 }],
        },
      ],
    };
    const validation = validateScenario(spec, 'late.ts');
    expect(validation.ok).toBe(false);
    if (!validation.ok) {
      expect(validation.problems).toEqual([
        expect.stringMatching(/^late\.ts: workloads\[0\]\.spikes\[0\]/),
      ]);
    }
  });
});
