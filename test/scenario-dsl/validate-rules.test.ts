import { describe, expect, it } from 'vitest';
import { BASE, problemsOf } from './scenario-test-support.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';
const REGIONS = `expected one of ${TOKYO}, ${OSAKA}`;

function isolate(at: string, duration: string, region = TOKYO) {
  return { at, duration, fault: { kind: 'isolate', region } };
}

function failover(at: string, from: string, to: string) {
  return { at, fault: { kind: 'failover', cluster: 'ledger', from, to } };
}

function kill(at: string, duration: string, region: string) {
  return { at, duration, fault: { kind: 'kill-cluster', cluster: 'ledger', region } };
}

describe('validateScenario: cross-field rules, one exact line each', () => {
  it('puts every fault inside the run', () => {
    expect(problemsOf({ ...BASE, duration: '60s', faults: [isolate('75s', '5s')] })).toEqual([
      'scenarios/x.ts: faults[0].at: 75s is after the end of the run (60s)',
    ]);
    expect(problemsOf({ ...BASE, duration: '60s', faults: [isolate('60s', '5s')] })).toEqual([
      'scenarios/x.ts: faults[0].at: 60s is the end of the run; expected a time before 60s',
    ]);
    expect(problemsOf({ ...BASE, duration: '60s', faults: [isolate('50s', '20s')] })).toEqual([
      'scenarios/x.ts: faults[0].duration: 20s from 50s ends at 70s, after the end of the run (60s)',
    ]);
    expect(problemsOf({ ...BASE, duration: '60s', faults: [isolate('40s', '20s')] })).toEqual([]);
  });

  it('wants a duration for lasting faults and none for a failover', () => {
    const noDuration = { at: '1s', fault: { kind: 'isolate', region: TOKYO } };
    expect(problemsOf({ ...BASE, faults: [noDuration] })).toEqual([
      "scenarios/x.ts: faults[0].duration: missing; expected how long the isolate lasts, such as '20s'",
    ]);
    expect(problemsOf({ ...BASE, faults: [isolate('1s', '0ms')] })).toEqual([
      'scenarios/x.ts: faults[0].duration: 0ms; expected more than 0ms',
    ]);
    const withDuration = { ...failover('1s', TOKYO, OSAKA), duration: '5s' };
    expect(problemsOf({ ...BASE, faults: [withDuration] })).toEqual([
      'scenarios/x.ts: faults[0].duration: failover is instantaneous; remove duration',
    ]);
  });

  it('wants the regions and clusters faults name to exist', () => {
    expect(problemsOf({ ...BASE, faults: [isolate('1s', '1s', 'eu-west-1')] })).toEqual([
      `scenarios/x.ts: faults[0].fault.region: 'eu-west-1' is not a region of this scenario; ${REGIONS}`,
    ]);
    const orders = {
      at: '1s',
      duration: '1s',
      fault: { kind: 'kill-cluster', cluster: 'orders', region: TOKYO },
    };
    expect(problemsOf({ ...BASE, faults: [orders] })).toEqual([
      "scenarios/x.ts: faults[0].fault.cluster: 'orders' is not a cluster of this scenario; expected one of ledger",
    ]);
  });

  it('wants two different regions on a link', () => {
    const partition = {
      at: '1s',
      duration: '1s',
      fault: { kind: 'partition', regions: [TOKYO, TOKYO] },
    };
    expect(problemsOf({ ...BASE, faults: [partition] })).toEqual([
      `scenarios/x.ts: faults[0].fault.regions[1]: '${TOKYO}' is also regions[0]; a partition needs two different regions`,
    ]);
    const lag = {
      at: '1s',
      duration: '1s',
      fault: { kind: 'replica-lag', from: OSAKA, to: OSAKA, lag: '1s' },
    };
    expect(problemsOf({ ...BASE, faults: [lag] })).toEqual([
      `scenarios/x.ts: faults[0].fault.to: '${OSAKA}' is also from; expected another region`,
    ]);
    expect(problemsOf({ ...BASE, faults: [failover('1s', TOKYO, TOKYO)] })).toEqual([
      `scenarios/x.ts: faults[0].fault.to: '${TOKYO}' is also from; expected another region`,
    ]);
  });

  it('refuses a lag or skew of zero, which changes nothing', () => {
    const lag = {
      at: '1s',
      duration: '1s',
      fault: { kind: 'replica-lag', from: TOKYO, to: OSAKA, lag: 0 },
    };
    const skew = {
      at: '1s',
      duration: '1s',
      fault: { kind: 'clock-skew', region: TOKYO, skew: '0s' },
    };
    expect(problemsOf({ ...BASE, faults: [lag, skew] })).toEqual([
      'scenarios/x.ts: faults[0].fault.lag: 0ms of lag changes nothing; expected more than 0ms',
      "scenarios/x.ts: faults[1].fault.skew: 0ms of skew changes nothing; expected a skew such as '500ms' or '-2s'",
    ]);
  });

  it('refuses faults that hold the same thing at once, and allows back-to-back ones', () => {
    expect(problemsOf({ ...BASE, faults: [isolate('20s', '20s'), isolate('25s', '5s')] })).toEqual([
      `scenarios/x.ts: faults[1].at: isolate of ${TOKYO} at 25s overlaps faults[0], the same fault from 20s to 40s; start it at 40s or later`,
    ]);
    expect(problemsOf({ ...BASE, faults: [isolate('20s', '20s'), isolate('40s', '5s')] })).toEqual(
      [],
    );
    expect(
      problemsOf({ ...BASE, faults: [isolate('20s', '20s'), isolate('25s', '5s', OSAKA)] }),
    ).toEqual([]);
    const ab = { at: '1s', duration: '5s', fault: { kind: 'partition', regions: [TOKYO, OSAKA] } };
    const ba = { at: '2s', duration: '5s', fault: { kind: 'partition', regions: [OSAKA, TOKYO] } };
    expect(problemsOf({ ...BASE, faults: [ab, ba] })).toEqual([
      `scenarios/x.ts: faults[1].at: partition between ${OSAKA} and ${TOKYO} at 2s overlaps faults[0], the same fault from 1s to 6s; start it at 6s or later`,
    ]);
  });

  it('fails over only from the writer at that time', () => {
    expect(problemsOf({ ...BASE, faults: [failover('10s', OSAKA, TOKYO)] })).toEqual([
      `scenarios/x.ts: faults[0].fault.from: ${OSAKA} is not the writer of ledger at 10s (${TOKYO} is); expected from: '${TOKYO}'`,
    ]);
    const twice = [failover('10s', TOKYO, OSAKA), failover('20s', TOKYO, OSAKA)];
    expect(problemsOf({ ...BASE, faults: twice })).toEqual([
      `scenarios/x.ts: faults[1].fault.from: ${TOKYO} is not the writer of ledger at 20s (${OSAKA} is); expected from: '${OSAKA}'`,
    ]);
  });

  it('refuses failing back to an old writer that has not rejoined, and a third region is fine', () => {
    const back = [failover('10s', TOKYO, OSAKA), failover('20s', OSAKA, TOKYO)];
    expect(problemsOf({ ...BASE, faults: back })).toEqual([
      `scenarios/x.ts: faults[1].fault.to: ${TOKYO} was the writer of ledger until 10s and has not rejoined as a replica (old writers rejoin only when the run heals); fail over to another region`,
    ]);
    const onward = [failover('10s', TOKYO, OSAKA), failover('20s', OSAKA, 'us-west-2')];
    expect(problemsOf({ ...BASE, regions: [TOKYO, OSAKA, 'us-west-2'], faults: onward })).toEqual(
      [],
    );
  });

  it('promotes only a live replica; killing the writer and failing over at once is the usual case', () => {
    expect(
      problemsOf({ ...BASE, faults: [kill('5s', '10s', OSAKA), failover('10s', TOKYO, OSAKA)] }),
    ).toEqual([
      `scenarios/x.ts: faults[1].fault.to: ledger in ${OSAKA} is killed at 10s (faults[0]); promote a live replica, or fail over after it restarts`,
    ]);
    expect(
      problemsOf({ ...BASE, faults: [kill('5s', '5s', OSAKA), failover('10s', TOKYO, OSAKA)] }),
    ).toEqual([]);
    expect(
      problemsOf({ ...BASE, faults: [kill('10s', '10s', TOKYO), failover('10s', TOKYO, OSAKA)] }),
    ).toEqual([]);
    expect(
      problemsOf({ ...BASE, faults: [kill('10s', '10s', TOKYO), kill('15s', '1s', TOKYO)] }),
    ).toEqual([
      `scenarios/x.ts: faults[1].at: kill-cluster of ledger in ${TOKYO} at 15s overlaps faults[0], the same fault from 10s to 20s; start it at 20s or later`,
    ]);
  });

  it('wants unique regions, accounts, clusters and bugs, and homes and writers that exist', () => {
    const spec = {
      ...BASE,
      regions: [TOKYO, OSAKA, TOKYO],
      bank: {
        accounts: [
          { name: 'alice', balance: 1 },
          { name: 'bob', balance: 1, home: 'eu-west-1' },
          { name: 'alice', balance: 2 },
        ],
        bugs: ['async-commit-ack', 'async-commit-ack'],
      },
      clusters: [
        { name: 'ledger', writer: TOKYO },
        { name: 'ledger', writer: 'us-east-1' },
      ],
    };
    expect(problemsOf(spec)).toEqual([
      `scenarios/x.ts: regions[2]: '${TOKYO}' is also regions[0]; regions must be unique`,
      `scenarios/x.ts: bank.accounts[1].home: 'eu-west-1' is not a region of this scenario; expected one of ${TOKYO}, ${OSAKA}, ${TOKYO}`,
      "scenarios/x.ts: bank.accounts[2].name: 'alice' is also bank.accounts[0].name; account names must be unique",
      "scenarios/x.ts: bank.bugs[1]: 'async-commit-ack' is also bank.bugs[0]; list each bug once",
      `scenarios/x.ts: clusters[1].writer: 'us-east-1' is not a region of this scenario; expected one of ${TOKYO}, ${OSAKA}, ${TOKYO}`,
      "scenarios/x.ts: clusters[1].name: 'ledger' is also clusters[0].name; cluster names must be unique",
    ]);
  });

  it('wants a mix whose fractions sum to 1, counting left-out fractions as 0', () => {
    expect(
      problemsOf({ ...BASE, workloads: [{ kind: 'bank', mix: { transfer: 0.6, deposit: 0.3 } }] }),
    ).toEqual([
      'scenarios/x.ts: workloads[0].mix: fractions sum to 0.9 (transfer 0.6 + deposit 0.3 + withdraw 0 + consistentRead 0 + eventualRead 0); expected them to sum to 1',
    ]);
    const decimal = { transfer: 0.1, deposit: 0.2, withdraw: 0.7 };
    expect(problemsOf({ ...BASE, workloads: [{ kind: 'bank', mix: decimal }] })).toEqual([]);
    expect(
      problemsOf({ ...BASE, workloads: [{ kind: 'registers', mix: { write: 0.5, read: 0.6 } }] }),
    ).toEqual([
      'scenarios/x.ts: workloads[0].mix: fractions sum to 1.1 (write 0.5 + read 0.6 + cas 0); expected them to sum to 1',
    ]);
  });

  it('wants rates for known regions, keys to use, amounts in order and accounts to move money between', () => {
    const spec = {
      ...BASE,
      bank: { accounts: [{ name: 'solo', balance: 1 }] },
      workloads: [
        { kind: 'bank', rate: { 'eu-west-1': 5 }, amount: { min: 10, max: 5 } },
        { kind: 'registers', keys: { eventual: 0, strong: 0 } },
        { kind: 'checkout' },
      ],
    };
    expect(problemsOf(spec)).toEqual([
      `scenarios/x.ts: workloads[0].rate.eu-west-1: 'eu-west-1' is not a region of this scenario; ${REGIONS}`,
      'scenarios/x.ts: workloads[0].mix.transfer: transfers need two accounts but bank.accounts has 1; add an account',
      'scenarios/x.ts: workloads[0].amount: min 10 is greater than max 5; expected min <= max',
      'scenarios/x.ts: workloads[1].keys: has no keys; expected at least one eventual or strong key',
      'scenarios/x.ts: workloads[2].kind: checkouts need two accounts but bank.accounts has 1; add an account',
    ]);
  });

  it('wants a run of at least a second and positive client timings', () => {
    const spec = {
      ...BASE,
      duration: '500ms',
      clients: { timeout: 0, healthCheck: { interval: '0s' } },
    };
    expect(problemsOf(spec)).toEqual([
      'scenarios/x.ts: duration: 500ms is too short; expected at least 1s',
      'scenarios/x.ts: clients.timeout: 0ms; expected more than 0ms',
      'scenarios/x.ts: clients.healthCheck.interval: 0ms; expected more than 0ms',
    ]);
  });

  it('wants slo regions that exist and p99 budgets above zero', () => {
    const spec = {
      ...BASE,
      slo: { during: { p99Latency: 0 }, regions: { 'eu-west-1': { rto: '5s' } } },
    };
    expect(problemsOf(spec)).toEqual([
      `scenarios/x.ts: slo.regions.eu-west-1: 'eu-west-1' is not a region of this scenario; ${REGIONS}`,
      'scenarios/x.ts: slo.during.p99Latency: 0ms; expected more than 0ms',
    ]);
  });
});

describe('validateScenario: explore space', () => {
  it('wants well-formed ranges inside the run', () => {
    const explore = {
      faults: {
        kinds: ['isolate', 'isolate'],
        count: { min: 4, max: 2 },
        at: { min: '10s', max: '60s' },
        duration: { min: '55s', max: '56s' },
        lag: { min: 0, max: '1s' },
        skew: { min: '1s', max: '-1s' },
        regions: ['eu-west-1'],
      },
      workloads: { rateScale: { min: 2, max: 1 }, skew: { min: 2, max: 1 } },
    };
    expect(problemsOf({ ...BASE, duration: '60s', explore })).toEqual([
      "scenarios/x.ts: explore.faults.kinds[1]: 'isolate' is also explore.faults.kinds[0]; list each kind once",
      `scenarios/x.ts: explore.faults.regions[0]: 'eu-west-1' is not a region of this scenario; ${REGIONS}`,
      'scenarios/x.ts: explore.faults.count: min 4 is greater than max 2; expected min <= max',
      'scenarios/x.ts: explore.faults.skew: min 1s is greater than max -1s; expected min <= max',
      'scenarios/x.ts: explore.faults.at.max: 60s is not before the end of the run (60s); expected less than 60s',
      'scenarios/x.ts: explore.faults.duration.min: 55s from at.min 10s ends after the end of the run (60s); no fault of this space fits in the run',
      'scenarios/x.ts: explore.faults.lag.min: 0ms of lag changes nothing; expected more than 0ms',
      'scenarios/x.ts: explore.workloads.rateScale: min 2 is greater than max 1; expected min <= max',
      'scenarios/x.ts: explore.workloads.skew: min 2 is greater than max 1; expected min <= max',
    ]);
  });

  it('wants two regions for link faults and a cluster for cluster faults', () => {
    const explore = { faults: { kinds: ['partition', 'failover'], regions: [TOKYO] } };
    expect(problemsOf({ ...BASE, clusters: [], explore })).toEqual([
      'scenarios/x.ts: explore.faults.kinds: partition needs two regions but explore.faults.regions has 1; add a region or remove partition',
      'scenarios/x.ts: explore.faults.kinds: failover needs two regions but explore.faults.regions has 1; add a region or remove failover',
      'scenarios/x.ts: explore.faults.kinds: failover needs a cluster but clusters is empty; add a cluster or remove failover',
    ]);
  });

  it('refuses unknown kinds and a zero rate scale by shape', () => {
    const explore = { faults: { kinds: ['flood'] }, workloads: { rateScale: { min: 0, max: 1 } } };
    expect(problemsOf({ ...BASE, explore })).toEqual([
      "scenarios/x.ts: explore.faults.kinds[0]: got 'flood'; expected one of 'isolate', 'partition', 'replica-lag', 'pause-replication', 'kill-cluster', 'failover', 'clock-skew', 'crash-bank'",
      'scenarios/x.ts: explore.workloads.rateScale.min: got 0; expected more than 0',
    ]);
  });
});
