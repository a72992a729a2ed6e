import { describe, expect, it } from 'vitest';
import { defineScenario, manyAccounts } from '../../scenario-dsl/define-scenario.ts';
import { BASE, resolved } from './scenario-test-support.ts';

describe('validateScenario: defaults', () => {
  it('fills every default of a minimal scenario', () => {
    const scenario = resolved(BASE);
    expect(scenario).toMatchObject({
      name: 'x',
      description: '',
      hypothesis: 'Nothing breaks.',
      regions: ['ap-northeast-1', 'ap-northeast-3'],
      durationMs: 60_000,
      seed: 1,
      clusters: [{ name: 'ledger', writer: 'ap-northeast-1' }],
      faults: [],
      explore: null,
      clients: {
        timeoutMs: 1000,
        retriesMax: 2,
        retryBackoffMs: 100,
        idempotencyKeys: true,
        failover: { enabled: true, healthCheckIntervalMs: 1000, failureThreshold: 3 },
      },
      workloads: [
        {
          kind: 'bank',
          opsPerSecByRegion: { 'ap-northeast-1': 10, 'ap-northeast-3': 10 },
          skew: 0.99,
          mix: {
            transfer: 0.7,
            deposit: 0.05,
            withdraw: 0.05,
            consistentRead: 0.1,
            eventualRead: 0.1,
          },
          amount: { min: 1, max: 1000 },
        },
      ],
    });
    expect(scenario.bank.bugs).toEqual([]);
    expect(scenario.bank.accounts).toHaveLength(10);
    expect(scenario.bank.accounts.slice(0, 3)).toEqual([
      { name: 'acct-0', balance: 10_000, home: 'ap-northeast-1' },
      { name: 'acct-1', balance: 10_000, home: 'ap-northeast-3' },
      { name: 'acct-2', balance: 10_000, home: 'ap-northeast-1' },
    ]);
    const unjudged = { successRateMin: null, latencyP99MsMax: null };
    expect(scenario.slo.byRegion['ap-northeast-3']).toEqual({
      before: unjudged,
      during: unjudged,
      after: unjudged,
      rtoMsMax: null,
      rpoMsMax: null,
    });
  });

  it('defaults each workload kind, with a per-region rate object filling left-out regions with 0', () => {
    const workloads = [
      { kind: 'registers', rate: { 'ap-northeast-3': 7 } },
      { kind: 'checkout', rate: 3, skew: 0 },
    ] as const;
    expect(resolved({ ...BASE, workloads }).workloads).toEqual([
      {
        kind: 'registers',
        opsPerSecByRegion: { 'ap-northeast-1': 0, 'ap-northeast-3': 7 },
        skew: 0.99,
        keys: { eventual: 8, strong: 4 },
        mix: { write: 0.4, read: 0.5, cas: 0.1 },
      },
      {
        kind: 'checkout',
        opsPerSecByRegion: { 'ap-northeast-1': 3, 'ap-northeast-3': 3 },
        skew: 0,
        amount: { min: 1, max: 1000 },
      },
    ]);
  });

  it("lets 'after' inherit 'before' and regions override field by field", () => {
    const slo = {
      before: { successRate: 0.99, p99Latency: '200ms' },
      after: { p99Latency: '400ms' },
      rto: '30s',
      regions: { 'ap-northeast-3': { before: { successRate: 0.999 }, rpo: 0 } },
    };
    const { byRegion } = resolved({ ...BASE, slo }).slo;
    expect(byRegion['ap-northeast-1']).toEqual({
      before: { successRateMin: 0.99, latencyP99MsMax: 200 },
      during: { successRateMin: null, latencyP99MsMax: null },
      after: { successRateMin: 0.99, latencyP99MsMax: 400 },
      rtoMsMax: 30_000,
      rpoMsMax: null,
    });
    expect(byRegion['ap-northeast-3']).toEqual({
      before: { successRateMin: 0.999, latencyP99MsMax: 200 },
      during: { successRateMin: null, latencyP99MsMax: null },
      after: { successRateMin: 0.999, latencyP99MsMax: 400 },
      rtoMsMax: 30_000,
      rpoMsMax: 0,
    });
  });

  it('parses fault durations into ms fields and fills the explore space from the run', () => {
    const scenario = resolved({
      ...BASE,
      duration: '2m',
      faults: [
        {
          at: '10s',
          duration: '1m',
          fault: { kind: 'replica-lag', from: 'ap-northeast-1', to: 'ap-northeast-3', lag: '1.5s' },
        },
        {
          at: 500,
          duration: '1s',
          fault: { kind: 'clock-skew', region: 'ap-northeast-3', skew: '-250ms' },
        },
      ],
      explore: {},
    });
    expect(scenario.faults).toEqual([
      {
        atMs: 10_000,
        durationMs: 60_000,
        fault: { kind: 'replica-lag', from: 'ap-northeast-1', to: 'ap-northeast-3', lagMs: 1500 },
      },
      {
        atMs: 500,
        durationMs: 1000,
        fault: { kind: 'clock-skew', region: 'ap-northeast-3', skewMs: -250 },
      },
    ]);
    expect(scenario.explore).toEqual({
      faults: {
        kinds: [
          'isolate',
          'partition',
          'replica-lag',
          'pause-replication',
          'kill-cluster',
          'failover',
          'clock-skew',
          'crash-bank',
        ],
        count: { min: 1, max: 3 },
        atMs: { min: 0, max: 60_000 },
        durationMs: { min: 1000, max: 30_000 },
        lagMs: { min: 100, max: 5000 },
        skewMs: { min: -2000, max: 2000 },
        regions: ['ap-northeast-1', 'ap-northeast-3'],
      },
      workloads: { rateScale: { min: 1, max: 1 }, skew: null },
    });
  });

  it('defineScenario returns its argument; manyAccounts names accounts in order', () => {
    const spec = { ...BASE, bank: { accounts: manyAccounts(2, 500, 'm-') } };
    expect(defineScenario(spec)).toBe(spec);
    expect(spec.bank.accounts).toEqual([
      { name: 'm-0', balance: 500 },
      { name: 'm-1', balance: 500 },
    ]);
  });
});
