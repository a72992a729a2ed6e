/**
 * The words a report leads with: the catalogue against docs/anomalies.md, grouping and the worst
 * instance, the conclusion sentence for every verdict, and faults in words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Anomaly } from '../../checkers/checker.ts';
import { CATALOGUE } from '../../reports/anomaly-catalogue.ts';
import { type GroupInput, groupAnomalies } from '../../reports/anomaly-groups.ts';
import { AnomalyTimes } from '../../reports/anomaly-times.ts';
import { type ConclusionInput, conclusion } from '../../reports/conclusion.ts';
import type { FaultWindow } from '../../reports/fault-windows.ts';
import { faultWords, faultWordsOfLine } from '../../reports/fault-words.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

function fault(
  kind: string,
  value: Record<string, unknown>,
  startMs: number,
  endMs: number | null,
): FaultWindow {
  return {
    kind,
    subject: '',
    startMs,
    endMs: endMs ?? startMs,
    instant: endMs === null,
    open: false,
    startIndex: startMs,
    endIndex: endMs ?? startMs,
    value,
  };
}

const ISOLATE = fault('isolate', { region: TOKYO }, 20_100, 40_100);
const FAILOVER = fault('failover', { cluster: 'ledger', from: TOKYO, to: OSAKA }, 25_100, null);

function negative(account: string, balance: number, n: number, atMs: number): GroupInput {
  const anomaly: Anomaly = {
    type: 'negative-balance',
    message: `account ${account} is ${balance}`,
    ops: [n],
    account,
    balance,
  };
  return { anomaly, n, checker: 'balance', atMs };
}

function input(overrides: Partial<ConclusionInput>): ConclusionInput {
  return {
    valid: true,
    hasHypothesis: true,
    checkers: [],
    groups: [],
    faults: [ISOLATE, FAILOVER],
    clientOpsCount: 5034,
    lastTimeMs: 61_700,
    ...overrides,
  };
}

describe('the anomaly catalogue', () => {
  it('holds every anomaly of docs/anomalies.md, with its checkers and meaning word for word', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'anomalies.md'), 'utf8');
    const rows = doc
      .split('\n')
      .map((line) => /^\| ([a-z, ]+) \| `([a-z-]+)` \| (.+) \| .+ \|$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => ({ checkers: match[1]?.split(', '), name: match[2], meaning: match[3] }));
    expect(rows.length).toBeGreaterThan(20);
    expect(
      CATALOGUE.map((entry) => ({
        checkers: [...entry.checkers],
        name: entry.name,
        meaning: entry.meaning,
      })),
    ).toEqual(rows);
    for (const entry of CATALOGUE) {
      expect(entry.cause.length, entry.name).toBeGreaterThan(20);
      expect(entry.many, entry.name).not.toBe(entry.one);
    }
  });
});

describe('anomaly groups', () => {
  it('groups by type and subject, most numerous first, with the first and the worst instance', () => {
    const groups = groupAnomalies([
      negative('c1', -10, 0, 42_000),
      negative('c2', -5, 1, 43_000),
      negative('c1', -300, 2, 50_000),
      negative('c1', -20, 3, 44_000),
    ]);
    expect(groups.map((group) => [group.subject, group.members])).toEqual([
      ['c1', [0, 2, 3]],
      ['c2', [1]],
    ]);
    expect(groups[0]).toMatchObject({
      first: 0,
      worst: 2,
      worstIsLatest: false,
      firstMs: 42_000,
      lastMs: 50_000,
    });
  });

  it('takes the latest instance as the worst for a type without a magnitude', () => {
    const divergence = (n: number, atMs: number): GroupInput => ({
      anomaly: { type: 'divergence', message: 'x', ops: [n], key: 'k' },
      n,
      checker: 'lww',
      atMs,
    });
    const [group] = groupAnomalies([divergence(0, 5), divergence(1, 9), divergence(2, 7)]);
    expect(group).toMatchObject({ subjectField: 'key', first: 0, worst: 1, worstIsLatest: true });
  });
});

describe('anomaly times', () => {
  it('puts an anomaly at its latest client line, or at its earliest line when it names no client op', () => {
    const times = new AnomalyTimes([
      { type: 'negative-balance', message: '', ops: [1, 3] },
      { type: 'divergence', message: '', ops: [5, 4] },
      { type: 'lost-transfer', message: '', ops: [99] },
    ]);
    const line = (index: number, process: number | 'final', timeMs: number) =>
      times.onOp({ index, time: timeMs * 1e6, process, type: 'ok', f: 'x' });
    line(1, 7, 100);
    line(3, 7, 130);
    line(4, 'final', 900);
    line(5, 'final', 950);
    expect(times.finish(3)).toEqual([130, 900, null]);
  });
});

describe('the conclusion', () => {
  const checker = {
    name: 'balance',
    valid: false as const,
    error: null,
    counts: [['negative-balance', 96] as [string, number]],
  };

  it('names the lead group, its time span and the fault episode before it', () => {
    const groups = groupAnomalies(
      Array.from({ length: 96 }, (_, n) => negative('customer-0', -n, n, 42_300 + n * 200)),
    );
    expect(conclusion(input({ valid: false, checkers: [checker], groups }))).toBe(
      'Hypothesis refuted: 96 negative balances on account customer-0 between 42.3 s and 61.3 s, after Tokyo was isolated at 20.1 s and the ledger cluster failed over from Tokyo to Osaka at 25.1 s.',
    );
  });

  it('counts the anomalies beyond the lead group, and says when they came before any fault', () => {
    const groups = groupAnomalies([negative('a', -1, 0, 1_000), negative('b', -1, 1, 2_000)]);
    const counts: [string, number][] = [
      ['negative-balance', 2],
      ['lost-transfer', 4],
    ];
    const text = conclusion(
      input({ valid: false, hasHypothesis: false, checkers: [{ ...checker, counts }], groups }),
    );
    expect(text).toBe(
      'Invalid: 1 negative balance on account a at 1.0 s, before any fault was injected; 5 more anomalies: negative-balance x1, lost-transfer x4.',
    );
  });

  it('counts every instance of a whole-type group, beyond the ones results.json keeps', () => {
    const lost = (n: number, atMs: number): GroupInput => ({
      anomaly: { type: 'lost-transfer', message: 'x', ops: [n], id: `t${n}`, amount: n },
      n,
      checker: 'balance',
      atMs,
    });
    const groups = groupAnomalies([lost(0, 26_000), lost(1, 27_000)], (name, type) =>
      name === 'balance' && type === 'lost-transfer' ? 534 : 0,
    );
    expect(groups[0]).toMatchObject({ count: 534, members: [0, 1], worst: 1 });
    const counts: [string, number][] = [['lost-transfer', 534]];
    expect(conclusion(input({ valid: false, checkers: [{ ...checker, counts }], groups }))).toBe(
      'Hypothesis refuted: 534 lost payments, the 2 kept between 26.0 s and 27.0 s, while Tokyo was isolated from 20.1 s and the ledger cluster failed over from Tokyo to Osaka at 25.1 s.',
    );
  });

  it('says what held for a valid run, through which faults', () => {
    const checkers = ['balance', 'lww'].map((name) => ({
      name,
      valid: true as const,
      error: null,
      counts: [],
    }));
    expect(conclusion(input({ checkers }))).toBe(
      'Hypothesis held: 2 checkers found no anomaly in 5,034 client ops over 61.7 s, through Tokyo isolated from 20.1 s to 40.1 s and the ledger cluster failed over from Tokyo to Osaka at 25.1 s.',
    );
    expect(conclusion(input({ checkers, faults: [], hasHypothesis: false }))).toBe(
      'Valid: 2 checkers found no anomaly in 5,034 client ops over 61.7 s, with no fault injected.',
    );
  });

  it('gives the reason for an unknown verdict', () => {
    const checkers = [
      { name: 'balance', valid: true as const, error: null, counts: [] },
      { name: 'lww', valid: 'unknown' as const, error: 'budget of 5 s ran out.', counts: [] },
    ];
    expect(conclusion(input({ valid: 'unknown', checkers }))).toBe(
      'Hypothesis not judged: the lww checker could not reach a verdict: budget of 5 s ran out; 1 checker found no anomaly.',
    );
    expect(conclusion(input({ valid: 'unknown', checkers: [], hasHypothesis: false }))).toBe(
      'Not judged: no checker applies to this history: it proves nothing.',
    );
  });
});

describe('faults in words', () => {
  it('names regions by city and every fault kind without JSON', () => {
    expect(faultWords('isolate', TOKYO, { region: TOKYO })).toEqual({
      clause: 'Tokyo was isolated',
      phrase: 'Tokyo isolated',
    });
    expect(faultWords('partition', '', { regions: [TOKYO, OSAKA] }).clause).toBe(
      'the network between Tokyo and Osaka was partitioned',
    );
    expect(faultWords('replica-lag', '', { from: TOKYO, to: OSAKA, lagMs: 800 }).clause).toBe(
      'replication from Tokyo to Osaka lagged by 800 ms',
    );
    expect(faultWords('kill-cluster', '', { cluster: 'ledger', region: 'r1' }).clause).toBe(
      'the ledger cluster in r1 was killed',
    );
    expect(faultWords('clock-skew', '', { region: OSAKA, skewMs: 300 }).phrase).toBe(
      "Osaka's clock skewed by 300 ms",
    );
    expect(faultWords('flood', 'r1', { region: 'r1' }).clause).toBe('flood of r1 began');
    expect(faultWordsOfLine('start-pause-replication {"from":"r1","to":"r2"}').phrase).toBe(
      'replication from r1 to r2 paused',
    );
    expect(faultWordsOfLine('crash-bank {"region":"ap-northeast-3"}').clause).toBe(
      'the bank service in Osaka crashed',
    );
  });
});
