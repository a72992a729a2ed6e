/**
 * Merging per-worker op logs whose clocks are skewed: a register history that truly happened is
 * split over workers whose clocks are off by up to ±2 s (each with its clock samples: a round trip
 * of up to 10 ms), merged, and judged by the real checkers. A correct history stays valid — no
 * anomaly is made up by clock error — and a stale read taken 100 ms after a newer write completed
 * (itself 100 ms after the older one) is still found, with the ops involved. A merge that trusted the workers' clocks instead (offset
 * 0) would invent anomalies: the last test shows it does, so the property is not vacuous.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkHistoryFile } from '../../../checkers/check-session.ts';
import { CHECKERS } from '../../../checkers/registry.ts';
import type { Results } from '../../../checkers/verdict.ts';
import { clockCorrection } from '../../../history/import/clock-correction.ts';
import { mergeOpLogs, type OpLog } from '../../../history/import/merge-op-logs.ts';
import type { ClockSample } from '../../../history/import/op-log.ts';
import type { OpDraft } from '../../../history/op.ts';
import { HistoryWriter } from '../../../history/writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'paychaos-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MS = 1_000_000;
const KEY = 's0';
/** Where the true timeline starts: every worker's clock stays positive for offsets of ±2 s. */
const T0_NS = 10_000 * MS;

/** One op as it truly happened, on the harness's clock, and which worker made it. */
interface TrueOp {
  worker: number;
  invokeNs: number;
  completeNs: number;
  f: 'write' | 'read';
  value: string | null;
}

interface World {
  /** Each worker's true offset: harness time = worker time + offset. */
  offsetsNs: number[];
  /** Each worker's round trip for its samples, and where in it the harness read its clock. */
  samples: { rttNs: number; readAt: number; atNs: number }[][];
  ops: TrueOp[];
}

/**
 * A sequential register history: writes of fresh values and reads of the latest, each op
 * 1-20 ms long, 0-20 ms apart, each on some worker: linearizable whatever the clocks say.
 */
const worldArb = fc
  .record({
    workers: fc.integer({ min: 2, max: 4 }),
    steps: fc.array(
      fc.record({
        worker: fc.nat(),
        write: fc.boolean(),
        durationMs: fc.integer({ min: 1, max: 20 }),
        gapMs: fc.integer({ min: 0, max: 20 }),
      }),
      { minLength: 2, maxLength: 40 },
    ),
    offsetsMs: fc.array(fc.integer({ min: -2_000, max: 2_000 }), { minLength: 4, maxLength: 4 }),
    samples: fc.array(
      fc.array(
        fc.record({
          rttMs: fc.integer({ min: 0, max: 10 }),
          readAt: fc.double({ min: 0, max: 1, noNaN: true }),
          atMs: fc.integer({ min: 0, max: 2_000 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
      { minLength: 4, maxLength: 4 },
    ),
  })
  .map(({ workers, steps, offsetsMs, samples }): World => {
    let nowNs = T0_NS;
    let latest: string | null = null;
    const ops = steps.map((step, i): TrueOp => {
      const invokeNs = nowNs + step.gapMs * MS;
      const completeNs = invokeNs + step.durationMs * MS;
      nowNs = completeNs;
      const worker = step.worker % workers;
      if (step.write) {
        latest = `v${i}`;
        return { worker, invokeNs, completeNs, f: 'write', value: latest };
      }
      return { worker, invokeNs, completeNs, f: 'read', value: latest };
    });
    return {
      offsetsNs: offsetsMs.slice(0, workers).map((ms) => ms * MS),
      samples: samples
        .slice(0, workers)
        .map((list) =>
          list.map(({ rttMs, readAt, atMs }) => ({ rttNs: rttMs * MS, readAt, atNs: atMs * MS })),
        ),
      ops,
    };
  });

/** Each worker's log as it would write it: its own clock, its own process 0, its samples. */
function logsOf(world: World): OpLog[] {
  return world.offsetsNs.map((offsetNs, w) => {
    const samples: ClockSample[] = world.samples[w]!.map(({ rttNs, readAt, atNs }) => {
      const sentTrueNs = T0_NS + atNs;
      return {
        sentNs: sentTrueNs - offsetNs,
        receivedNs: sentTrueNs + rttNs - offsetNs,
        harnessNs: sentTrueNs + Math.round(readAt * rttNs),
      };
    });
    const ops: { op: OpDraft; line: number }[] = [];
    for (const op of world.ops.filter((o) => o.worker === w)) {
      const invokeValue = op.f === 'write' ? { key: KEY, value: op.value } : { key: KEY };
      ops.push({
        op: {
          time: op.invokeNs - offsetNs,
          process: 0,
          type: 'invoke',
          f: op.f,
          value: invokeValue,
        },
        line: ops.length + 2,
      });
      ops.push({
        op: {
          time: op.completeNs - offsetNs,
          process: 0,
          type: 'ok',
          f: op.f,
          value: { key: KEY, value: op.value },
        },
        line: ops.length + 2,
      });
    }
    return {
      file: `worker-${w}.jsonl`,
      header: { opLog: 1, source: 'worker', worker: `w${w}` },
      samples,
      ops,
      tornLastLine: false,
    };
  });
}

let files = 0;
function mergeAndCheck(logs: OpLog[]): Results {
  const file = join(dir, `h${files++}.jsonl`);
  const writer = new HistoryWriter(file);
  writer.append({
    time: 0,
    process: 'setup',
    type: 'ok',
    f: 'init',
    value: { registers: { [KEY]: null }, strong: [KEY] },
  });
  mergeOpLogs(logs, writer, { invokedNsMin: 0, completedNsMax: Number.MAX_SAFE_INTEGER });
  writer.close();
  return checkHistoryFile(file, { checkers: CHECKERS, timeoutS: 30 });
}

describe('clockCorrection', () => {
  it('intersects the samples: the worked example of its comment', () => {
    const correction = clockCorrection([
      { sentNs: 1_000, receivedNs: 1_600, harnessNs: 50_300 },
      { sentNs: 9_000, receivedNs: 9_200, harnessNs: 58_200 },
    ]);
    expect(correction).toEqual({ offsetNs: 49_100, boundNs: 100, samples: 2, drifted: false });
  });

  it('takes the hull, and says so, when the samples disagree (the clock moved)', () => {
    const correction = clockCorrection([
      { sentNs: 0, receivedNs: 10, harnessNs: 1_000 },
      { sentNs: 100, receivedNs: 110, harnessNs: 5_100 },
    ]);
    expect(correction).toMatchObject({ drifted: true });
    const { offsetNs, boundNs } = correction!;
    expect(offsetNs - boundNs).toBeLessThanOrEqual(990);
    expect(offsetNs + boundNs).toBeGreaterThanOrEqual(5_000);
  });

  it('has nothing to say without a sample', () => {
    expect(clockCorrection([])).toBeNull();
  });
});

describe('mergeOpLogs with skewed worker clocks', () => {
  it('makes up no anomaly: a linearizable history merged from skewed workers stays valid', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const results = mergeAndCheck(logsOf(world));
        expect(results.anomalyTypes).toEqual([]);
        expect(results.valid).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  // Each write and the read 100 ms apart: more than the clocks' uncertainty (a 10 ms round trip
  // at most, so ± 5 ms per worker, twice over two workers). Closer, the merge rightly makes
  // them concurrent, and the stale read becomes legal.
  it('still finds a real anomaly: a read 100 ms after a newer write completed, of the older value', () => {
    fc.assert(
      fc.property(worldArb, fc.nat(), fc.nat(), (world, w1, w2) => {
        const workers = world.offsetsNs.length;
        const lastNs = Math.max(...world.ops.map((op) => op.completeNs));
        const older = { worker: w1 % workers, f: 'write' as const, value: 'old' };
        const newer = { worker: w2 % workers, f: 'write' as const, value: 'new' };
        const stale = { worker: (w1 + w2 + 1) % workers, f: 'read' as const, value: 'old' };
        const ops: TrueOp[] = [
          ...world.ops,
          { ...older, invokeNs: lastNs + 10 * MS, completeNs: lastNs + 15 * MS },
          { ...newer, invokeNs: lastNs + 115 * MS, completeNs: lastNs + 120 * MS },
          { ...stale, invokeNs: lastNs + 220 * MS, completeNs: lastNs + 225 * MS },
        ];
        const results = mergeAndCheck(logsOf({ ...world, ops }));
        expect(results.valid).toBe(false);
        expect(results.anomalyTypes).toEqual(['nonlinearizable']);
      }),
      { numRuns: 40 },
    );
  });

  it('is needed: trusting the workers’ clocks (offset 0) makes anomalies up', () => {
    const world = fc.sample(worldArb, { seed: 7, numRuns: 200 }).map(
      (sampled): World => ({
        ...sampled,
        offsetsNs: sampled.offsetsNs.map((_, w) => (w === 0 ? 1_500 * MS : -1_500 * MS)),
      }),
    );
    const trusting = (logs: OpLog[]) =>
      logs.map((log) => ({
        ...log,
        header: { ...log.header, source: 'harness' as const },
        samples: [],
      }));
    const invalid = world.filter((w) => mergeAndCheck(trusting(logsOf(w))).valid === false);
    expect(invalid.length).toBeGreaterThan(0);
    for (const w of invalid.slice(0, 5)) expect(mergeAndCheck(logsOf(w)).valid).toBe(true);
  });
});
