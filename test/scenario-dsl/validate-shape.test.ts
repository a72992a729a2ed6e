import { describe, expect, it } from 'vitest';
import { BASE, problemsOf } from './scenario-test-support.ts';

const DURATION = "expected a duration such as '500ms', '20s', '2m' or a number of milliseconds";

describe('validateScenario: shape problems, one line each, in plain words', () => {
  it('names the root when the default export is not an object', () => {
    expect(problemsOf(5)).toEqual(['scenarios/x.ts: scenario: got 5; expected an object']);
  });

  it('names missing required fields', () => {
    expect(problemsOf({})).toEqual([
      'scenarios/x.ts: name: missing; expected a string',
      'scenarios/x.ts: hypothesis: missing; expected a string',
    ]);
  });

  it('says what a bad name, region or duration should look like', () => {
    expect(problemsOf({ ...BASE, name: 'X', regions: ['Tokyo'], duration: true })).toEqual([
      "scenarios/x.ts: name: got 'X'; expected a name of lowercase letters, digits and dashes, such as region-isolation",
      "scenarios/x.ts: regions[0]: got 'Tokyo'; expected a region name of lowercase letters, digits and dashes, such as ap-northeast-1",
      `scenarios/x.ts: duration: got true; ${DURATION}`,
    ]);
  });

  it('keeps the hypothesis to one sentence on one line', () => {
    expect(problemsOf({ ...BASE, hypothesis: 'One.\nTwo.' })).toEqual([
      "scenarios/x.ts: hypothesis: got 'One.\nTwo.'; expected one sentence on one line",
    ]);
    expect(problemsOf({ ...BASE, hypothesis: 'x'.repeat(301) })).toEqual([
      'scenarios/x.ts: hypothesis: is 301 characters long; expected at most 300',
    ]);
  });

  it('names unknown fields and the fields that are allowed there', () => {
    expect(problemsOf({ ...BASE, slo: { recovery: {} } })).toEqual([
      'scenarios/x.ts: slo.recovery: unknown field; expected one of before, during, after, rto, rpo, regions',
    ]);
    const fault = { kind: 'replica-lag', from: 'ap-northeast-1', to: 'ap-northeast-3', lagms: 5 };
    expect(problemsOf({ ...BASE, faults: [{ at: '1s', duration: '1s', fault }] })).toEqual([
      `scenarios/x.ts: faults[0].fault.lag: missing; ${DURATION}`,
      'scenarios/x.ts: faults[0].fault.lagms: unknown field; expected one of kind, from, to, lag',
    ]);
  });

  it('lists the fault kinds and bug flags it knows', () => {
    expect(problemsOf({ ...BASE, faults: [{ at: '1s', fault: { kind: 'nope' } }] })).toEqual([
      "scenarios/x.ts: faults[0].fault.kind: got 'nope'; expected one of 'isolate', 'partition', 'replica-lag', 'pause-replication', 'kill-cluster', 'failover', 'clock-skew', 'crash-bank'",
    ]);
    expect(problemsOf({ ...BASE, bank: { bugs: ['slow-disk'] } })).toEqual([
      "scenarios/x.ts: bank.bugs[0]: got 'slow-disk'; expected one of 'lww-balance-update', 'retry-without-idempotency', 'skip-compensation-on-timeout', 'funds-check-on-replica', 'failover-without-fencing', 'async-commit-ack', 'skewed-clock-lww'",
    ]);
  });

  it('refuses bad durations with the reason', () => {
    const faults = [
      { at: '20x', duration: '-1s', fault: { kind: 'isolate', region: 'ap-northeast-1' } },
    ];
    expect(problemsOf({ ...BASE, faults })).toEqual([
      `scenarios/x.ts: faults[0].at: '20x' is not a duration; ${DURATION}`,
      "scenarios/x.ts: faults[0].duration: '-1s' is negative; expected 0 or more",
    ]);
  });

  it('refuses negative rates, inside a per-region object too, and bad region keys', () => {
    expect(problemsOf({ ...BASE, workloads: [{ kind: 'bank', rate: -1 }] })).toEqual([
      'scenarios/x.ts: workloads[0].rate: got -1; expected at least 0',
    ]);
    const rate = { Tokyo: 1, 'ap-northeast-1': -2 };
    expect(problemsOf({ ...BASE, workloads: [{ kind: 'bank', rate }] })).toEqual([
      "scenarios/x.ts: workloads[0].rate.Tokyo: 'Tokyo' is not a valid key; expected a region name of lowercase letters, digits and dashes, such as ap-northeast-1",
      'scenarios/x.ts: workloads[0].rate.ap-northeast-1: got -2; expected at least 0',
    ]);
    expect(problemsOf({ ...BASE, workloads: [{ kind: 'bank', rate: 'fast' }] })).toEqual([
      "scenarios/x.ts: workloads[0].rate: got 'fast'; expected a rate in ops/s, or an object of region name to ops/s",
    ]);
  });

  it('bounds numbers: fractions, skew, seeds, retries, amounts', () => {
    const spec = {
      ...BASE,
      seed: -1,
      clients: { retries: 11 },
      workloads: [{ kind: 'bank', skew: 11, mix: { transfer: 1.5 }, amount: { min: 0, max: 1.5 } }],
      bank: { accounts: [] },
    };
    expect(problemsOf(spec)).toEqual([
      'scenarios/x.ts: seed: got -1; expected at least 0',
      'scenarios/x.ts: bank.accounts: has 0 items; expected at least 1',
      'scenarios/x.ts: workloads[0].skew: got 11; expected at most 10',
      'scenarios/x.ts: workloads[0].mix.transfer: got 1.5; expected at most 1',
      'scenarios/x.ts: workloads[0].amount.min: got 0; expected at least 1',
      'scenarios/x.ts: workloads[0].amount.max: got 1.5; expected an integer',
      'scenarios/x.ts: clients.retries: got 11; expected at most 10',
    ]);
  });

  it('wants a partition between exactly two regions', () => {
    const fault = { kind: 'partition', regions: ['ap-northeast-1'] };
    expect(problemsOf({ ...BASE, faults: [{ at: '1s', duration: '1s', fault }] })).toEqual([
      'scenarios/x.ts: faults[0].fault.regions: has 1 item; expected at least 2',
    ]);
  });
});
