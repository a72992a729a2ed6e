/** A read whose value is unknown (an imported Jepsen nil read) gives lww nothing to judge. */
import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../../support/history-builder.ts';
import { checkLww } from './support/check-lww.ts';

describe('lww: reads whose value is unknown', () => {
  it('judges no read whose value is unknown, and still judges the others', () => {
    const h = new HistoryBuilder();
    h.init({ registers: { x: 0 } });
    h.invoke(0, 'write', { key: 'x', value: 1 }, { region: 'ap-northeast-1' });
    h.ok(0, 'write');
    h.invoke(1, 'read', { key: 'x' }, { region: 'ap-northeast-3' });
    h.ok(1, 'read', { key: 'x', valueUnknown: true });
    const valid = checkLww(h.text());
    expect(valid.valid).toBe(true);
    expect(valid.anomalies).toEqual([]);
    h.invoke(1, 'read', { key: 'x' }, { region: 'ap-northeast-3' });
    h.ok(1, 'read', { key: 'x', value: 7 });
    expect(checkLww(h.text()).anomalies.map((a) => a.type)).toEqual(['phantom-value']);
  });
});
