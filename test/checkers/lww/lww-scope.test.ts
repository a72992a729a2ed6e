import { describe, expect, it } from 'vitest';
import { LWW_LIMITS } from '../../../checkers/lww/lww-checker.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import { checkLww } from './support/check-lww.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

function withLimit<K extends keyof typeof LWW_LIMITS>(name: K, value: number, run: () => void) {
  const saved = LWW_LIMITS[name];
  LWW_LIMITS[name] = value;
  try {
    run();
  } finally {
    LWW_LIMITS[name] = saved;
  }
}

describe('lww scope and verdicts', () => {
  it('ignores strong keys, and does not apply to a history without LWW registers', () => {
    const h = new HistoryBuilder();
    h.init({ registers: { s: 0 }, strong: ['s'] });
    h.invoke(0, 'read', { key: 's' }, { region: TOKYO });
    h.ok(0, 'read', { key: 's', value: 99 }, { region: TOKYO });
    h.final('final-read', { registers: { s: 42 } }, { region: TOKYO });
    const result = checkLww(h.text());
    expect(result.valid).toBe(true);
    expect(result.stats.counts).toMatchObject({ keys: 0, finalReads: 0 });
  });

  it('makes the verdict unknown when a key had a value written twice and nothing else is wrong', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO });
    h.ok(0, 'write', undefined, { region: TOKYO });
    h.invoke(1, 'write', { key: 'x', value: 1 }, { region: OSAKA });
    h.ok(1, 'write', undefined, { region: OSAKA });
    h.invoke(2, 'read', { key: 'x' }, { region: OSAKA });
    h.ok(2, 'read', { key: 'x', value: 77 }, { region: OSAKA });
    const result = checkLww(h.text());
    expect(result.valid).toBe('unknown');
    expect(result.error).toContain('1 register key(s) ("x") had the same value written twice');
    expect(result.stats).toMatchObject({ ambiguousKeys: ['x'], ambiguousKeysCount: 1 });
  });

  it('still judges divergence and clocks on an ambiguous key', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO });
    h.ok(0, 'write', { ts: 5 }, { region: TOKYO });
    h.invoke(1, 'write', { key: 'x', value: 1 }, { region: OSAKA });
    h.ok(1, 'write', { ts: 3 }, { region: OSAKA });
    h.final('final-read', { registers: { x: 1 } }, { region: TOKYO });
    h.final('final-read', { registers: { x: 2 } }, { region: OSAKA });
    const result = checkLww(h.text());
    expect(result.valid).toBe(false);
    expect(result.anomalies.map((a) => a.type)).toEqual(['clock-anomaly', 'divergence']);
  });

  it('counts a write equal to the init value as a duplicate', () => {
    const h = new HistoryBuilder();
    h.init({ registers: { x: 0 } });
    h.invoke(0, 'write', { key: 'x', value: 0 }, { region: TOKYO });
    h.ok(0, 'write', undefined, { region: TOKYO });
    expect(checkLww(h.text()).valid).toBe('unknown');
  });

  it('says unknown when more reads wait for their writes than it may keep', () => {
    withLimit('readsWaitingMax', 1, () => {
      const h = new HistoryBuilder();
      h.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO });
      for (const process of [1, 2]) {
        h.invoke(process, 'read', { key: 'x' }, { region: OSAKA });
        h.ok(process, 'read', { key: 'x', value: 1 }, { region: OSAKA });
      }
      h.ok(0, 'write', undefined, { region: TOKYO });
      const result = checkLww(h.text());
      expect(result).toMatchObject({ valid: 'unknown', stats: { readsUnjudged: 1 } });
      expect(result.error).toContain('1 read(s) were not judged');
    });
  });

  it('caps the anomalies it keeps but counts them all', () => {
    const h = new HistoryBuilder();
    for (let process = 0; process < 150; process += 1) {
      h.invoke(process, 'read', { key: 'x' }, { region: TOKYO });
      h.ok(process, 'read', { key: 'x', value: process + 1 }, { region: TOKYO });
    }
    const result = checkLww(h.text());
    expect(result.anomalies).toHaveLength(100);
    expect(result.stats.anomalyCounts).toEqual({ 'phantom-value': 150 });
  });
});

describe('visibility lag', () => {
  it('measures ack to the first later read that sees the write or a newer one, per region pair', () => {
    const h = new HistoryBuilder(1_000_000);
    h.init({ registers: { x: 0 } });
    h.invoke(9, 'read', { key: 'x' }, { region: TOKYO }); // t=1ms: TOKYO reads, so it is a reader
    h.ok(9, 'read', { key: 'x', value: 0 }, { region: TOKYO });
    h.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO });
    h.ok(0, 'write', undefined, { region: TOKYO }); // acked at 4 ms
    h.invoke(1, 'read', { key: 'x' }, { region: OSAKA });
    h.ok(1, 'read', { key: 'x', value: 0 }, { region: OSAKA }); // stale: not yet visible
    h.invoke(2, 'write', { key: 'x', value: 2 }, { region: OSAKA }); // invoked after 1's ack
    h.ok(2, 'write', undefined, { region: OSAKA }); // acked at 8 ms, never read in TOKYO
    h.invoke(3, 'read', { key: 'x' }, { region: OSAKA });
    h.ok(3, 'read', { key: 'x', value: 2 }, { region: OSAKA }); // newer than 1: seen at 10 ms
    const stats = checkLww(h.text()).stats;
    expect(stats.visibilityLagMs).toEqual({
      'ap-northeast-1->ap-northeast-3': { count: 1, p50: 6, p99: 6, max: 6, unseen: 0 },
      'ap-northeast-3->ap-northeast-1': { count: 0, p50: null, p99: null, max: null, unseen: 1 },
    });
  });

  it('counts a concurrent write as seen when the value read has a larger ts', () => {
    const build = (tsA: number | undefined, tsB: number | undefined) => {
      const h = new HistoryBuilder(1_000_000);
      h.invoke(0, 'write', { key: 'x', value: 'a' }, { region: TOKYO });
      h.invoke(1, 'write', { key: 'x', value: 'b' }, { region: OSAKA });
      h.ok(0, 'write', tsA === undefined ? undefined : { ts: tsA }, { region: TOKYO }); // 2 ms
      h.ok(1, 'write', tsB === undefined ? undefined : { ts: tsB }, { region: OSAKA });
      h.invoke(2, 'read', { key: 'x' }, { region: OSAKA });
      h.ok(2, 'read', { key: 'x', value: 'b' }, { region: OSAKA }); // 5 ms
      return checkLww(h.text()).stats.visibilityLagMs;
    };
    expect(build(100, 200)).toMatchObject({
      'ap-northeast-1->ap-northeast-3': { count: 1, max: 3, unseen: 0 },
    });
    expect(build(undefined, undefined)).toMatchObject({
      'ap-northeast-1->ap-northeast-3': { count: 0, unseen: 1 },
    });
  });

  it('does not count a read invoked before the ack', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'write', { key: 'x', value: 1 }, { region: TOKYO });
    h.invoke(1, 'read', { key: 'x' }, { region: OSAKA });
    h.ok(0, 'write', undefined, { region: TOKYO });
    h.ok(1, 'read', { key: 'x', value: 1 }, { region: OSAKA });
    expect(checkLww(h.text()).stats.visibilityLagMs).toMatchObject({
      'ap-northeast-1->ap-northeast-3': { count: 0, unseen: 1 },
    });
  });

  it('counts writes it could not follow as dropped', () => {
    withLimit('visibilityEntriesMax', 1, () => {
      const h = new HistoryBuilder();
      h.invoke(9, 'read', { key: 'x' }, { region: OSAKA });
      h.ok(9, 'read', { key: 'x', value: null }, { region: OSAKA });
      for (const process of [0, 1, 2]) {
        h.invoke(process, 'write', { key: 'x', value: process }, { region: TOKYO });
        h.ok(process, 'write', undefined, { region: TOKYO });
      }
      expect(checkLww(h.text()).stats).toMatchObject({ visibilityDropped: 2 });
    });
  });
});
