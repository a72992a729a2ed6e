/**
 * Properties over histories from a model with a known availability pattern (support/
 * availability-model.ts): the checker measures the model's success rates and RTO and finds the
 * history within budgets set to them; each mutation that injects one anomaly is named, with the
 * ops involved.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Op, OpDraft } from '../../../history/op.ts';
import {
  buildModel,
  expectedRtoNs,
  type Model,
  modelPlan,
  renderModel,
  toText,
} from './support/availability-model.ts';
import { anomalyTypes, MS, OSAKA, regionBudget, runSlo, TOKYO } from './support/run-slo.ts';

const NUM_RUNS = 100;

function budgetsFor(model: Model): Record<string, ReturnType<typeof regionBudget>> {
  const rtoMsMax = expectedRtoNs(model) / MS;
  const steady = { successRateMin: 1, latencyP99MsMax: 5 };
  return {
    [TOKYO]: regionBudget({
      before: steady,
      during: { successRateMin: 0, latencyP99MsMax: null },
      rtoMsMax,
      rpoMsMax: 0,
    }),
    [OSAKA]: regionBudget({ before: steady, during: steady, rtoMsMax, rpoMsMax: 0 }),
  };
}

function head(model: Model, payment: boolean): OpDraft[] {
  const lines: OpDraft[] = [
    { time: 0, process: 'setup', type: 'ok', f: 'init', value: { accounts: { a: 100, b: 0 } } },
    { time: 0, process: 'setup', type: 'ok', f: 'slo', value: { byRegion: budgetsFor(model) } },
  ];
  if (payment) {
    const value = { id: 't-lost', from: 'a', to: 'b', amount: 1 };
    lines.push(
      { time: 0, process: 9999, type: 'invoke', f: 'transfer', value, region: OSAKA },
      { time: 0, process: 9999, type: 'ok', f: 'transfer', value, region: OSAKA },
    );
  }
  return lines;
}

const LEDGER: OpDraft = {
  time: 0,
  process: 'final',
  type: 'ok',
  f: 'ledger',
  value: { entries: [] },
};

function history(model: Model, payment = false): Op[] {
  return renderModel(model, head(model, payment), [LEDGER]);
}

type Cells = Record<
  string,
  Record<string, { ok: number; info: number; businessFail: number; successRate: number | null }>
>;

describe('slo checker properties', () => {
  it('measures the model: rates per region and phase, and the RTO of the isolated region', () => {
    fc.assert(
      fc.property(modelPlan, (plan) => {
        const model = buildModel(plan);
        const result = runSlo(toText(history(model)));
        expect(result?.anomalies).toEqual([]);
        expect(result?.valid).toBe(true);
        const cells = result?.stats.byRegion as Cells;
        const isolated = model.ops.filter((op) => op.outcome === 'info').length;
        expect(cells[TOKYO]?.during).toMatchObject({ ok: 0, info: isolated, successRate: 0 });
        expect(cells[OSAKA]?.during?.successRate).toBe(1);
        const rto = result?.stats.rtoByRegion as Record<string, { rtoMs: number }[]>;
        expect(rto[TOKYO]?.map((entry) => entry.rtoMs)).toEqual([expectedRtoNs(model) / MS]);
        expect(rto[OSAKA]?.map((entry) => entry.rtoMs)).toEqual([0]);
        expect(result?.stats.rpoMs).toBe(0);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('an availability failure in Osaka before the fault is an slo-violation naming that op', () => {
    fc.assert(
      fc.property(modelPlan, fc.nat(), (plan, pick) => {
        const model = buildModel(plan);
        const ops = history(model);
        const candidates = model.ops.filter(
          (op) => op.region === OSAKA && op.outcome === 'ok' && op.invokeNs < model.faultStartNs,
        );
        // A plan may make every read before the fault a business rejection (seed 663073064).
        fc.pre(candidates.length > 0);
        const victim = candidates[pick % candidates.length]!;
        const completion = ops[victim.completionIndex!]!;
        Object.assign(completion, {
          type: 'fail',
          error: 'store refused: down',
          value: { key: 'k' },
        });
        const result = runSlo(toText(ops));
        expect(anomalyTypes(result)).toEqual(['slo-violation']);
        expect(result?.anomalies[0]).toMatchObject({
          region: OSAKA,
          phase: 'before',
          budget: 'successRate',
        });
        expect(result?.anomalies[0]?.ops).toEqual([victim.invokeIndex, victim.completionIndex]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("a timeout of Tokyo's recovering read is an rto-exceeded naming the fault", () => {
    fc.assert(
      fc.property(modelPlan, (plan) => {
        const model = buildModel(plan);
        const ops = history(model);
        const recovery = model.ops.find(
          (op) => op.region === TOKYO && op.outcome === 'ok' && op.invokeNs >= model.faultEndNs,
        )!;
        Object.assign(ops[recovery.completionIndex!]!, {
          type: 'info',
          error: 'timeout',
          value: { key: 'k' },
        });
        const result = runSlo(toText(ops));
        expect(anomalyTypes(result)).toEqual(['rto-exceeded']);
        const start = ops.find((op) => op.f === 'start-isolate')!.index;
        expect(result?.anomalies[0]).toMatchObject({ region: TOKYO, fault: 'start-isolate' });
        expect(result?.anomalies[0]?.ops).toContain(start);
        expect(result?.anomalies[0]?.rtoMs as number).toBeGreaterThan(expectedRtoNs(model) / MS);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('an acknowledged payment missing from the ledger is an rpo-exceeded naming it', () => {
    fc.assert(
      fc.property(modelPlan, (plan) => {
        const result = runSlo(toText(history(buildModel(plan), true)));
        expect(anomalyTypes(result)).toEqual(['rpo-exceeded']);
        expect(result?.anomalies[0]).toMatchObject({ region: OSAKA, lostIds: ['t-lost'] });
        expect(result?.anomalies[0]?.ops).toEqual([2, 3]);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
