/**
 * The parallel read must give the serial read's result, line for line, whatever the segment
 * cut: the same Results for valid and broken histories, the same first bad line for bad input.
 * Segments are scanned in-process here (deterministic, and each case runs in milliseconds);
 * one test goes through a real worker thread.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { generateBankHistory } from '../../../bench/generate-bank-history.ts';
import { type CheckOptions, checkHistoryFile } from '../../../checkers/check-session.ts';
import {
  checkHistoryFileParallel,
  type ParallelOutcome,
  type ParallelPlan,
} from '../../../checkers/parallel/parallel-check.ts';
import {
  startInProcessExecutor,
  startWorkerExecutor,
  WorkerFailed,
} from '../../../checkers/parallel/segment-executor.ts';
import { CHECKERS } from '../../../checkers/registry.ts';
import type { Results } from '../../../checkers/verdict.ts';
import type { Op } from '../../../history/op.ts';
import { HistoryWriter } from '../../../history/writer.ts';
import { driveRun } from '../../../run/drive-run.ts';
import { QUIET_REPORTER } from '../../../run/reporter.ts';
import { simTarget } from '../../../run/targets/sim/sim-target.ts';
import { loadScenario } from '../../../scenario-dsl/load-scenario.ts';
import { historyText, modelInputArbitrary, runModel } from '../balance/support/bank-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'paychaos-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

function writeHistory(text: string): string {
  fileCount += 1;
  const file = join(dir, `h${fileCount}.jsonl`);
  writeFileSync(file, text);
  return file;
}

const OPTIONS: CheckOptions = { checkers: CHECKERS, timeoutS: 60 };

const outcomes: ParallelOutcome[] = [];

function planOf(segmentBytes: number, mainEvery: number): ParallelPlan {
  return {
    minBytes: 0,
    segmentBytes,
    mainFirst: 1,
    mainEvery,
    lookaheadSegments: 3,
    startExecutor: startInProcessExecutor,
    onOutcome: (outcome) => outcomes.push(outcome),
  };
}

/** How many of the reads since `from` went parallel with at least one worker segment. */
function parallelReadsSince(from: number): number {
  return outcomes.slice(from).filter((o) => o.parallel && o.workerSegments > 0).length;
}

/** Wall-clock figures differ between two reads; everything else must not. */
function comparable(results: Results): unknown {
  return JSON.parse(
    JSON.stringify(results, (key, value) =>
      key === 'keyTimeMsMax' || key === 'slowestKey' ? undefined : value,
    ),
  );
}

type Outcome = { results: unknown } | { error: string };

function outcome(read: () => Results): Outcome {
  try {
    return { results: comparable(read()) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function expectSameAsSerial(
  file: string,
  plan: ParallelPlan,
  options: CheckOptions = OPTIONS,
): Outcome {
  const warnings: { serial: string[]; parallel: string[] } = { serial: [], parallel: [] };
  const serial = outcome(() =>
    checkHistoryFile(file, options, { onWarning: (w) => warnings.serial.push(w) }),
  );
  const parallel = outcome(() =>
    checkHistoryFileParallel(file, options, { onWarning: (w) => warnings.parallel.push(w) }, plan),
  );
  expect(parallel).toEqual(serial);
  expect(warnings.parallel).toEqual(warnings.serial);
  return serial;
}

function opsOf(text: string): Op[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Op);
}

const planArbitrary = fc.record({
  segmentBytes: fc.integer({ min: 60, max: 800 }),
  mainEvery: fc.integer({ min: 2, max: 5 }),
});

describe('parallel read: the serial result on bank histories', () => {
  it('gives the same Results for histories of a correct bank, any cut', () => {
    const from = outcomes.length;
    fc.assert(
      fc.property(modelInputArbitrary, planArbitrary, (input, plan) => {
        const file = writeHistory(historyText(runModel(input).ops));
        const result = expectSameAsSerial(file, planOf(plan.segmentBytes, plan.mainEvery));
        expect('results' in result).toBe(true);
      }),
      { numRuns: 60 },
    );
    expect(parallelReadsSince(from)).toBeGreaterThan(30);
  });

  it('gives the same anomalies when a line is changed to break an invariant', () => {
    fc.assert(
      fc.property(
        modelInputArbitrary,
        planArbitrary,
        fc.nat(),
        fc.integer({ min: -500, max: 500 }),
        (input, plan, choice, delta) => {
          const ops = opsOf(historyText(runModel(input).ops));
          const targets = ops.filter(
            (op) =>
              (op.f === 'balances' && op.type === 'ok') ||
              op.f === 'ledger' ||
              op.f === 'final-read' ||
              (op.type === 'invoke' && op.f === 'transfer'),
          );
          fc.pre(targets.length > 0);
          const target = targets[choice % targets.length] as Op;
          breakValue(target, delta, choice);
          const file = writeHistory(historyText(ops));
          expectSameAsSerial(file, planOf(plan.segmentBytes, plan.mainEvery));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('gives the same Results without init (totals from the first read of every account)', () => {
    fc.assert(
      fc.property(
        modelInputArbitrary,
        planArbitrary,
        fc.nat(),
        fc.integer({ min: -500, max: 500 }),
        (input, plan, choice, delta) => {
          const [, ...rest] = opsOf(historyText(runModel(input).ops));
          const ops = rest.map((op) => ({ ...op, index: op.index - 1 }));
          const reads = ops.filter((op) => op.f === 'balances' && op.type === 'ok');
          if (reads.length > 0 && choice % 2 === 0) {
            breakValue(reads[choice % reads.length] as Op, delta, choice);
          }
          const file = writeHistory(historyText(ops));
          const result = expectSameAsSerial(file, planOf(plan.segmentBytes, plan.mainEvery));
          expect('results' in result).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reports the same nil-balance when a consistent read lacks a balance', () => {
    fc.assert(
      fc.property(modelInputArbitrary, planArbitrary, fc.nat(), (input, plan, choice) => {
        const model = runModel(input);
        const reads = model.reads.filter((r) => r.consistent);
        fc.pre(reads.length > 0);
        const read = reads[choice % reads.length] as (typeof reads)[number];
        const ops = opsOf(historyText(model.ops));
        const value = (ops[read.completion] as Op).value as {
          balances: Record<string, number | null>;
        };
        const names = Object.keys(value.balances);
        value.balances[names[choice % names.length] as string] = null;
        const file = writeHistory(historyText(ops));
        const result = expectSameAsSerial(file, planOf(plan.segmentBytes, plan.mainEvery));
        expect(JSON.stringify(result)).toContain('"nil-balance"');
      }),
      { numRuns: 40 },
    );
  });

  it('reports the same first bad line for a line made invalid', () => {
    fc.assert(
      fc.property(
        modelInputArbitrary,
        planArbitrary,
        fc.nat(),
        fc.nat(5),
        (input, plan, at, how) => {
          const lines = historyText(runModel(input).ops).split('\n');
          lines.pop();
          const line = 1 + (at % (lines.length - 1));
          lines[line] = corrupt(lines[line] as string, how);
          const file = writeHistory(`${lines.join('\n')}\n`);
          const result = expectSameAsSerial(file, planOf(plan.segmentBytes, plan.mainEvery));
          if (how < 3) expect('error' in result).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('drops a torn last line with the same warning', () => {
    const text = historyText(
      runModel(fc.sample(modelInputArbitrary, { seed: 5, numRuns: 1 })[0] as never).ops,
    );
    const file = writeHistory(`${text}{"index":`);
    expectSameAsSerial(file, planOf(700, 2));
  });
});

/** Changes one value so that some balance rule may break (or, by chance, not). */
function breakValue(op: Op, delta: number, choice: number): void {
  const value = op.value as Record<string, unknown>;
  if (op.f === 'balances') {
    const balances = value.balances as Record<string, number | null>;
    const names = Object.keys(balances);
    const name = names[choice % names.length] as string;
    if (choice % 3 === 0) balances[`ghost-${choice % 7}`] = delta;
    else if (choice % 3 === 1 && delta % 4 === 0) balances[name] = null;
    else balances[name] = (balances[name] as number) + delta;
  } else if (op.f === 'ledger') {
    const entries = value.entries as { tx: string; account: string; amount: number }[];
    if (entries.length === 0) return;
    const entry = entries[choice % entries.length] as (typeof entries)[number];
    if (choice % 2 === 0) entries.splice(choice % entries.length, 1);
    else entry.amount += delta === 0 ? 1 : delta;
  } else if (op.f === 'final-read') {
    const accounts = value.accounts as Record<string, number>;
    const name = Object.keys(accounts)[0];
    if (name !== undefined) accounts[name] = (accounts[name] as number) + delta;
  } else {
    value.to = choice % 2 === 0 ? 'acct-unknown' : value.to;
    value.amount = Math.abs(delta);
  }
}

function corrupt(line: string, how: number): string {
  const op = JSON.parse(line) as Op;
  switch (how) {
    case 0:
      return line.slice(0, Math.max(1, line.length - 3));
    case 1:
      return JSON.stringify({ ...op, index: op.index + 2 });
    case 2:
      return JSON.stringify({ ...op, time: -1 });
    case 3:
      return JSON.stringify({ ...op, type: op.type === 'invoke' ? 'ok' : 'invoke' });
    case 4:
      return JSON.stringify({
        ...op,
        process: typeof op.process === 'number' ? op.process + 1 : op.process,
      });
    default:
      return JSON.stringify({ ...op, time: Math.max(0, op.time - 5_000_000_000) });
  }
}

describe('parallel read: the serial result on simulator histories', () => {
  it.each([
    ['scenarios/region-isolation.ts', []],
    ['scenarios/bugs/lww-balance-update.ts', ['lww-balance-update']],
    ['scenarios/bugs/skip-compensation-on-timeout.ts', ['skip-compensation-on-timeout']],
  ])('%s (registers, sagas, budgets: most lines travel as text)', async (scenarioFile) => {
    const from = outcomes.length;
    const scenario = await loadScenario(scenarioFile);
    const file = join(dir, `${scenario.name}.jsonl`);
    const history = new HistoryWriter(file);
    try {
      await driveRun({ target: simTarget, scenario, seed: 3, history, reporter: QUIET_REPORTER });
    } finally {
      history.close();
    }
    for (const [segmentBytes, mainEvery] of [
      [4000, 2],
      [25_000, 3],
      [100_000, 4],
    ] as const) {
      expectSameAsSerial(file, planOf(segmentBytes, mainEvery));
      for (const only of [['saga'], ['balance'], ['lww', 'linearizable']]) {
        expectSameAsSerial(file, planOf(segmentBytes, mainEvery), { ...OPTIONS, only });
      }
    }
    expect(parallelReadsSince(from)).toBeGreaterThan(3);
  });
});

describe('parallel read: a real worker thread', () => {
  it('checks a bank history through the worker with the serial result', () => {
    const input = fc.sample(modelInputArbitrary, { seed: 11, numRuns: 1 })[0];
    const text = historyText(runModel(input as never).ops);
    const file = writeHistory(text);
    const plan: ParallelPlan = {
      minBytes: 0,
      segmentBytes: 2000,
      mainFirst: 1,
      mainEvery: 3,
      lookaheadSegments: 4,
    };
    expectSameAsSerial(file, plan);
  });
});

describe('parallel read: a benchmark-shaped bank history (100 accounts)', () => {
  const file = join(dir, 'bench-shaped.jsonl');
  generateBankHistory({
    file,
    opsCount: 20_000,
    accountsCount: 100,
    processesCount: 16,
    readFraction: 0.1,
    unknownFraction: 0.01,
    seed: 3,
    regions: ['ap-northeast-1', 'ap-northeast-3'],
  });
  const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
  const breakable = lines.flatMap((line, index) => {
    const op = JSON.parse(line) as Op;
    const fits =
      (op.f === 'balances' && op.type === 'ok') ||
      op.f === 'ledger' ||
      op.f === 'final-read' ||
      (op.f === 'transfer' && op.type === 'invoke');
    return fits ? [index] : [];
  });

  it('gives the serial result', () => {
    const from = outcomes.length;
    expectSameAsSerial(file, planOf(150_000, 3));
    expect(outcomes[from]?.parallel).toBe(true);
    expect(outcomes[from]?.workerSegments).toBeGreaterThan(5);
  });

  it('gives the serial anomalies after balances, ledger and arguments are broken', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(breakable.length - 1), { minLength: 1, maxLength: 6 }),
        fc.nat(),
        (at, how) => {
          const broken = [...lines];
          for (const [i, choice] of at.entries()) {
            const index = breakable[choice] as number;
            const op = JSON.parse(broken[index] as string) as Op;
            breakValue(op, how % 2 === 0 ? -5000 : -(how % 50) - 1, how + i);
            broken[index] = JSON.stringify(op);
          }
          const mutated = writeHistory(`${broken.join('\n')}\n`);
          expectSameAsSerial(mutated, planOf(150_000, 3));
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('parallel read: a worker that fails', () => {
  it('reports a crash at once instead of hanging', () => {
    const file = writeHistory(
      historyText(
        runModel(fc.sample(modelInputArbitrary, { seed: 2, numRuns: 1 })[0] as never).ops,
      ),
    );
    const executor = startWorkerExecutor(file, {
      preludeLines: [],
      checkers: [{ name: 'no-such-checker', explicit: false }],
      lineBytesMax: 1024,
    });
    try {
      executor.dispatch({
        segment: 1,
        startByte: 0,
        endByte: 10,
        isLast: false,
        activeCheckers: [],
      });
      const startedMs = performance.now();
      expect(() => executor.take(1)).toThrow(/no-such-checker cannot take part/);
      expect(performance.now() - startedMs).toBeLessThan(10_000);
    } finally {
      executor.close();
    }
  });

  it('falls back to one core with a warning, and the serial result', () => {
    const file = writeHistory(
      historyText(
        runModel(fc.sample(modelInputArbitrary, { seed: 4, numRuns: 1 })[0] as never).ops,
      ),
    );
    const warnings: string[] = [];
    const failing: ParallelPlan = {
      ...planOf(200, 2),
      startExecutor: () => ({
        dispatch: () => {},
        take: () => {
          throw new WorkerFailed('the parse worker failed: on purpose');
        },
        close: () => {},
      }),
    };
    const parallel = checkHistoryFileParallel(
      file,
      OPTIONS,
      { onWarning: (w) => warnings.push(w) },
      failing,
    );
    expect(comparable(parallel)).toEqual(comparable(checkHistoryFile(file, OPTIONS)));
    expect(warnings).toEqual([
      `the parse worker failed: on purpose; reading ${file} on one core instead`,
    ]);
  });
});

describe('parallel read: speculation that fails', () => {
  it('reads on one core when saga applies after its ledger lines were skipped', () => {
    const input = fc.sample(modelInputArbitrary, { seed: 6, numRuns: 1 })[0];
    const ops = runModel(input as never).ops;
    const last = ops[ops.length - 1] as Op;
    // A sagas line after the ledger: saga applies only once it is read, the ledger before it
    // was skipped as context on the worker.
    const sagasLine = {
      index: last.index + 1,
      time: last.time,
      process: 'final',
      type: 'ok',
      f: 'sagas',
      value: [],
    };
    const file = writeHistory(`${historyText(ops)}${JSON.stringify(sagasLine)}\n`);
    const seen: ParallelOutcome[] = [];
    const plan: ParallelPlan = { ...planOf(150, 2), onOutcome: (o) => seen.push(o) };
    const parallel = checkHistoryFileParallel(file, OPTIONS, {}, plan);
    expect(comparable(parallel)).toEqual(comparable(checkHistoryFile(file, OPTIONS)));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.parallel).toBe(false);
    expect(seen[0]?.reason).toMatch(/saga applies after \d+ of its context lines were skipped/);
  });
});

describe('parallel read: the checkers it may serve', () => {
  const input = fc.sample(modelInputArbitrary, { seed: 3, numRuns: 1 })[0];
  const file = () => writeHistory(historyText(runModel(input as never).ops));

  it('reads on one core, with the same result, when a checker declares no parallel read', () => {
    const undeclared = CHECKERS.map((checker) =>
      checker.name === 'lww' ? { ...checker, parallelRead: undefined } : checker,
    );
    const options: CheckOptions = { checkers: undeclared, timeoutS: 60 };
    const history = file();
    const seen: ParallelOutcome[] = [];
    const plan: ParallelPlan = { ...planOf(150, 2), onOutcome: (o) => seen.push(o) };
    const parallel = checkHistoryFileParallel(history, options, {}, plan);
    expect(comparable(parallel)).toEqual(comparable(checkHistoryFile(history, OPTIONS)));
    expect(seen.map((o) => [o.parallel, o.reason])).toEqual([
      [false, 'checker lww declares no parallel read'],
    ]);
  });

  it('reads in parallel, with the same result, when every checker declares one', () => {
    const history = file();
    const seen: ParallelOutcome[] = [];
    const plan: ParallelPlan = { ...planOf(150, 2), onOutcome: (o) => seen.push(o) };
    const parallel = checkHistoryFileParallel(history, OPTIONS, {}, plan);
    expect(comparable(parallel)).toEqual(comparable(checkHistoryFile(history, OPTIONS)));
    expect(seen[0]?.parallel).toBe(true);
    expect(seen[0]?.workerSegments).toBeGreaterThan(0);
  });
});
