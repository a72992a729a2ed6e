/**
 * A history that promises a final state (a `plan` line) and ends before its seal (the `end`
 * line) is "unknown", never valid — cut anywhere, by any reader. One without a plan is judged as
 * before. Simulator histories are cut at every final-state boundary and mid-run; generated bank
 * histories (their ledger split over several lines) at every line, on one core and on two.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckOptions,
  CheckSession,
  checkHistoryFile,
  checkHistoryText,
} from '../../checkers/check-session.ts';
import { COMPLETENESS } from '../../checkers/completeness.ts';
import { checkHistoryFileParallel } from '../../checkers/parallel/parallel-check.ts';
import { startInProcessExecutor } from '../../checkers/parallel/segment-executor.ts';
import { CHECKERS } from '../../checkers/registry.ts';
import type { Results } from '../../checkers/verdict.ts';
import type { Op } from '../../history/op.ts';
import { readHistoryText } from '../../history/reader.ts';
import { HistoryWriter } from '../../history/writer.ts';
import { driveRun } from '../../run/drive-run.ts';
import { QUIET_REPORTER } from '../../run/reporter.ts';
import { simTarget } from '../../run/targets/sim/sim-target.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';
import { HistoryBuilder } from '../support/history-builder.ts';
import { historyText, modelInputArbitrary, runModel } from './balance/support/bank-model.ts';

const OPTIONS: CheckOptions = { checkers: CHECKERS, timeoutS: 60 };
const quiet = { onWarning: () => {} };
const dir = mkdtempSync(join(tmpdir(), 'paychaos-completeness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

function check(lines: readonly string[]): Results {
  return checkHistoryText('cut.jsonl', lines.map((line) => `${line}\n`).join(''), OPTIONS, quiet);
}

function expectCutShort(results: Results, lastLine: string): void {
  expect(results.valid).toBe('unknown');
  const timeS = (JSON.parse(lastLine) as Op).time / 1e9;
  const error = results.checkers[COMPLETENESS]?.error ?? '';
  expect(error).toMatch(/^the history ends before its final state was read: the run was inter/);
  expect(error).toContain(`interrupted at ${timeS.toFixed(timeS < 10 ? 3 : 1)} s`);
}

async function simulatorHistory(
  scenarioFile: string,
  seed: number,
  bank: 'correct' | 'as-planted',
): Promise<string[]> {
  const loaded = await loadScenario(scenarioFile);
  const scenario = bank === 'correct' ? { ...loaded, bank: { ...loaded.bank, bugs: [] } } : loaded;
  const file = join(dir, `${scenario.name}-${seed}.jsonl`);
  const history = new HistoryWriter(file);
  try {
    await driveRun({ target: simTarget, scenario, seed, history, reporter: QUIET_REPORTER });
  } finally {
    history.close();
  }
  return linesOf(readFileSync(file, 'utf8'));
}

/** Line counts at which to cut: before and after every final line but the end, and mid-run. */
function cuts(lines: readonly string[]): number[] {
  const firstFinal = lines.findIndex((line) => line.includes('"process":"final"'));
  expect(firstFinal).toBeGreaterThan(0);
  const atFinals = Array.from({ length: lines.length - firstFinal }, (_, i) => firstFinal + i);
  return [4, Math.floor(firstFinal / 3), Math.floor((2 * firstFinal) / 3), ...atFinals];
}

describe('completeness: a simulator run cut short', () => {
  let lines: string[] = [];
  beforeAll(async () => {
    // The correct bank under bank load only: such a history cut before its final reads passed.
    lines = await simulatorHistory('scenarios/bugs/funds-check-on-replica.ts', 2, 'correct');
  });

  it('is valid whole, and promised its final reads and sealed them', () => {
    const results = check(lines);
    expect(results.valid).toBe(true);
    expect(results.checkers[COMPLETENESS]).toEqual({
      valid: true,
      anomalies: [],
      stats: { finalReadsPromised: 4, sealed: true },
    });
    expect(lines[2]).toContain('"f":"plan"');
    expect(lines.at(-1)).toMatch(/"process":"final","type":"ok","f":"end"}$/);
  });

  it('is unknown cut at every final-state boundary and mid-run, never valid', () => {
    for (const count of cuts(lines)) {
      const cut = lines.slice(0, count);
      expectCutShort(check(cut), cut.at(-1) as string);
    }
  });

  it('is unknown with only its torn last line missing', () => {
    const text = lines.join('\n');
    const results = checkHistoryText('torn.jsonl', text.slice(0, -3), OPTIONS, quiet);
    expectCutShort(results, lines.at(-2) as string);
  });
});

describe('completeness: failover without fencing', () => {
  it('is invalid whole and unknown cut before its final reads', async () => {
    const lines = await simulatorHistory(
      'scenarios/bugs/failover-without-fencing.ts',
      1,
      'as-planted',
    );
    const whole = check(lines);
    expect(whole.valid).toBe(false);
    expect(whole.anomalyTypes).toContain('lost-transfer');
    const firstFinal = lines.findIndex((line) => line.includes('"process":"final"'));
    const cut = lines.slice(0, firstFinal);
    expectCutShort(check(cut), cut.at(-1) as string);
  });
});

/** A generated bank history with a plan after init and the seal after its last line. */
function planned(ops: readonly Op[]): Op[] {
  const regions = ops.filter((op) => op.f === 'final-read').map((op) => op.region);
  const final = [...regions.map((region) => ({ f: 'final-read', region })), { f: 'ledger' }];
  const last = ops.at(-1) as Op;
  const withPromise: Op[] = [
    ops[0] as Op,
    {
      index: 1,
      time: (ops[0] as Op).time,
      process: 'setup',
      type: 'ok',
      f: 'plan',
      value: { final },
    },
    ...ops.slice(1),
    { index: 0, time: last.time, process: 'final', type: 'ok', f: 'end' },
  ];
  return withPromise.map((op, index) => ({ ...op, index }));
}

describe('completeness: generated bank histories cut at any line', () => {
  it('are unknown on one core and on two, with the same results', () => {
    fc.assert(
      fc.property(
        modelInputArbitrary,
        fc.nat(),
        fc.integer({ min: 60, max: 800 }),
        (input, at, segmentBytes) => {
          const ops = planned(runModel(input).ops);
          // From the plan on: a history cut before it promised nothing.
          const count = 2 + (at % (ops.length - 2));
          const file = join(dir, 'generated.jsonl');
          writeFileSync(file, historyText(ops.slice(0, count)));
          const serial = checkHistoryFile(file, OPTIONS, quiet);
          expectCutShort(serial, JSON.stringify(ops[count - 1]));
          const parallel = checkHistoryFileParallel(file, OPTIONS, quiet, {
            minBytes: 0,
            segmentBytes,
            mainFirst: 1,
            mainEvery: 3,
            lookaheadSegments: 3,
            startExecutor: startInProcessExecutor,
          });
          expect(parallel).toEqual(serial);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('are valid whole', () => {
    fc.assert(
      fc.property(modelInputArbitrary, (input) => {
        const results = checkHistoryText(
          'whole.jsonl',
          historyText(planned(runModel(input).ops)),
          OPTIONS,
        );
        expect(results.valid).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('cut between ledger lines, report none of the transfers on the lines never written', () => {
    let cutInsideLedger = 0;
    let madeUpByTheCut = 0;
    for (const sample of fc.sample(modelInputArbitrary, { seed: 3, numRuns: 300 })) {
      const model = runModel(sample);
      if (model.ledgerLines.length < 2) continue;
      const ops = planned(model.ops);
      // Up to and including the first ledger line: the ones after it hold entries of acked ids.
      const text = historyText(ops.slice(0, ops.findIndex((op) => op.f === 'ledger') + 1));
      const results = checkHistoryText('cut.jsonl', text, OPTIONS);
      expect(results.valid).toBe('unknown');
      expect(results.anomalyTypes).toEqual([]);
      cutInsideLedger += 1;
      // What the checkers make of the partial ledger, on the one read the session would do.
      const firstRead = new CheckSession(OPTIONS);
      readHistoryText('cut.jsonl', text, firstRead);
      if (firstRead.finish().valid === false) madeUpByTheCut += 1;
    }
    expect(cutInsideLedger).toBeGreaterThan(10);
    expect(madeUpByTheCut).toBeGreaterThan(5);
  });
});

describe('completeness: what a history promises', () => {
  function bank(): HistoryBuilder {
    const h = new HistoryBuilder();
    h.init({ accounts: { a: 10, b: 0 } });
    return h;
  }

  it('judges a history without a plan as before: no entry, valid', () => {
    const h = bank();
    h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'b', amount: 3 });
    h.ok(0, 'transfer');
    h.final('final-read', { accounts: { a: 7, b: 3 } }, { region: 'r1' });
    const results = checkHistoryText('h.jsonl', h.text(), OPTIONS);
    expect(results.valid).toBe(true);
    expect(results.checkers[COMPLETENESS]).toBeUndefined();
  });

  it('says a run interrupted before its load ran out, though sealed, is unknown', () => {
    const h = bank();
    h.add('setup', 'ok', 'plan', { final: [{ f: 'final-read', region: 'r1' }] });
    h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'b', amount: 3 });
    h.ok(0, 'transfer', undefined, { timeNs: 23_400_000_000 });
    h.final('final-read', { accounts: { a: 7, b: 3 } }, { region: 'r1' });
    h.final('end', { interrupted: { signal: 'SIGINT', atNs: 23_400_000_000 } });
    const results = checkHistoryText('h.jsonl', h.text(), OPTIONS);
    expect(results.valid).toBe('unknown');
    expect(results.checkers[COMPLETENESS]?.error).toMatch(
      /^the run was interrupted \(SIGINT\) at 23\.4 s, before its load ran out; its final state was read/,
    );
  });

  it('keeps the anomalies of an interrupted run whose final state was read', () => {
    const h = bank();
    h.add('setup', 'ok', 'plan', { final: [{ f: 'final-read', region: 'r1' }] });
    h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'b', amount: 3 });
    h.ok(0, 'transfer');
    h.final('final-read', { accounts: { a: 7, b: 4 } }, { region: 'r1' });
    h.final('end', { interrupted: { signal: 'SIGTERM', atNs: 1 } });
    const results = checkHistoryText('h.jsonl', h.text(), OPTIONS);
    expect(results.valid).toBe(false);
    expect(results.anomalyTypes).toEqual(['wrong-total']);
  });

  it('is unknown whatever --checker names, and with no checker that applies', () => {
    const h = bank();
    h.add('setup', 'ok', 'plan', { final: [{ f: 'final-read', region: 'r1' }] });
    h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'b', amount: 3 });
    h.ok(0, 'transfer');
    const results = checkHistoryText('h.jsonl', h.text(), { ...OPTIONS, only: ['balance'] });
    expect(results.valid).toBe('unknown');
    expect(Object.keys(results.checkers)).toEqual(['balance', COMPLETENESS]);
    const sealedOnly = new HistoryBuilder();
    sealedOnly.add('setup', 'ok', 'plan', { final: [] });
    sealedOnly.final('end', undefined);
    expect(checkHistoryText('h.jsonl', sealedOnly.text(), OPTIONS).valid).toBe('unknown');
  });

  it.each([
    [
      'a plan after a client op',
      (h: HistoryBuilder) => {
        h.invoke(0, 'transfer', { id: 't1', from: 'a', to: 'b', amount: 3 });
        h.add('setup', 'ok', 'plan', { final: [] });
      },
      /plan comes after a client op/,
    ],
    [
      'a second plan',
      (h: HistoryBuilder) => {
        h.add('setup', 'ok', 'plan', { final: [] });
        h.add('setup', 'ok', 'plan', { final: [] });
      },
      /a second plan/,
    ],
    [
      'a plan without its list',
      (h: HistoryBuilder) => h.add('setup', 'ok', 'plan', { final: 'all' }),
      /field "value.final": expected an array of the final reads promised/,
    ],
    [
      'an end line with a bad interruption',
      (h: HistoryBuilder) => h.final('end', { interrupted: { signal: 'SIGINT' } }),
      /field "value.interrupted.atNs"/,
    ],
  ])('rejects %s, naming the line', (_name, build, message) => {
    const h = bank();
    build(h);
    expect(() => checkHistoryText('h.jsonl', h.text(), OPTIONS)).toThrow(message);
  });
});
