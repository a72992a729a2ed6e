import { describe, expect, it } from 'vitest';
import { checkHistoryText } from '../../../checkers/check-session.ts';
import { lwwChecker } from '../../../checkers/lww/lww-checker.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import { checkLww } from './support/check-lww.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';

/** A strong key s (init 0) written once with 1, then one final read per region. */
function strongFinals(tokyo: object, osaka: object): { h: HistoryBuilder; finals: number[] } {
  const h = new HistoryBuilder();
  h.init({ registers: { s: 0 }, strong: ['s'] });
  h.invoke(0, 'write', { key: 's', value: 1 }, { region: TOKYO });
  h.ok(0, 'write', undefined, { region: TOKYO });
  const finals = [
    h.final('final-read', { registers: tokyo }, { region: TOKYO }),
    h.final('final-read', { registers: osaka }, { region: OSAKA }),
  ];
  return { h, finals };
}

describe('lww: divergence of strong keys', () => {
  it('regions whose final reads disagree on a strong key diverge', () => {
    const { h, finals } = strongFinals({ s: 1 }, { s: 2 });
    const result = checkLww(h.text());
    expect(result.valid).toBe(false);
    expect(result.anomalies).toEqual([
      {
        type: 'divergence',
        message: `final reads disagree on strong key "s" after quiescence (${TOKYO} has 1, ${OSAKA} has 2): the strongly consistent table did not converge, check for a failover without fencing (two writers) or a region that kept serving after it lost the writer`,
        ops: finals,
        key: 's',
        strong: true,
        values: { [TOKYO]: 1, [OSAKA]: 2 },
        ts: { [TOKYO]: null, [OSAKA]: null },
      },
    ]);
    expect(result.stats.counts).toMatchObject({ keys: 0, finalReads: 0, strongFinalReads: 2 });
  });

  it('near miss: the regions agree', () => {
    expect(checkLww(strongFinals({ s: 1 }, { s: 1 }).h.text()).valid).toBe(true);
  });

  it('near miss: a region that does not list the key does not diverge', () => {
    expect(checkLww(strongFinals({ s: 1 }, {}).h.text()).valid).toBe(true);
  });

  it('only divergence: an agreeing final value nothing wrote, or an old one, is left to linearizable', () => {
    expect(checkLww(strongFinals({ s: 9 }, { s: 9 }).h.text()).valid).toBe(true);
    expect(checkLww(strongFinals({ s: 0 }, { s: 0 }).h.text()).valid).toBe(true);
  });

  it('an LWW key and a strong key diverging in one pair of final reads are two anomalies', () => {
    const { h, finals } = strongFinals({ s: 1, x: null }, { s: 2, x: 'a' });
    const result = checkLww(h.text());
    const divergences = result.anomalies.filter((anomaly) => anomaly.type === 'divergence');
    expect(divergences.map((anomaly) => [anomaly.key, anomaly.strong, anomaly.ops])).toEqual([
      ['x', false, finals],
      ['s', true, finals],
    ]);
  });

  it('applies by default to a history whose only registers are strong keys in final reads', () => {
    const { h } = strongFinals({ s: 1 }, { s: 2 });
    const results = checkHistoryText('strong.jsonl', h.text(), {
      checkers: [lwwChecker],
      timeoutS: 10,
    });
    expect(results.checkers.lww?.valid).toBe(false);
  });
});
