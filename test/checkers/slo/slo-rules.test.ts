/** The slo checker's judgement calls: when it applies, and when it must say "unknown". */
import { describe, expect, it } from 'vitest';
import { INSUFFICIENT_FUNDS } from '../../../bank/payments.ts';
import { CAS_MISMATCH } from '../../../bank/registers.ts';
import { checkHistoryText } from '../../../checkers/check-session.ts';
import { isBusinessRejection } from '../../../checkers/slo/op-outcome.ts';
import { sloChecker } from '../../../checkers/slo/slo-checker.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';
import { clientOp, MS, OSAKA, regionBudget, runSlo, S, setup, TOKYO } from './support/run-slo.ts';

describe('slo rules', () => {
  it('does not apply without an slo line, and is "unknown" when named without one', () => {
    const b = new HistoryBuilder();
    b.init({ accounts: { a: 1 } });
    clientOp(b, { process: 0, atNs: S, endNs: S + MS, type: 'ok' });
    const all = checkHistoryText('t.jsonl', b.text(), { checkers: [sloChecker], timeoutS: 10 });
    expect(all.checkers.slo).toBeUndefined();
    const named = runSlo(b.text(), true);
    expect(named?.valid).toBe('unknown');
    expect(named?.error).toContain('no "slo" setup line');
  });

  it('is "unknown" when an RPO budget is set and acknowledged payments have no ledger to check', () => {
    const b = new HistoryBuilder();
    setup(b, { [TOKYO]: regionBudget({ rpoMsMax: 0 }) });
    const value = { id: 't1', from: 'a', to: 'b', amount: 1 };
    clientOp(b, { process: 0, f: 'transfer', value, atNs: S, endNs: S + MS, type: 'ok' });
    const result = runSlo(b.text());
    expect(result?.valid).toBe('unknown');
    expect(result?.error).toContain('no "ledger" final line');
  });

  it('is "unknown" when a stop line stops no started fault', () => {
    const b = new HistoryBuilder();
    setup(b, { [TOKYO]: regionBudget({ rtoMsMax: 1 }) });
    b.nemesis('stop-isolate', { region: TOKYO });
    expect(runSlo(b.text())?.error).toContain('stops no fault');
  });

  it('a failover is an instant: before ends at it, with no during window of its own', () => {
    const b = new HistoryBuilder();
    setup(b, { [OSAKA]: regionBudget({ after: { successRateMin: 1, latencyP99MsMax: null } }) });
    b.nemesis('failover', { cluster: 'ledger', from: TOKYO, to: OSAKA }, { timeNs: S });
    clientOp(b, { process: 0, region: OSAKA, atNs: S, endNs: S + MS, type: 'ok' });
    const result = runSlo(b.text());
    expect(result?.valid).toBe(true);
    expect(result?.stats.phases).toEqual([
      { phase: 'before', startNs: 0, endNs: S },
      { phase: 'after', startNs: S, endNs: S + MS },
    ]);
  });

  it("the business rejections are the reference bank's own texts", () => {
    expect(isBusinessRejection(INSUFFICIENT_FUNDS)).toBe(true);
    expect(isBusinessRejection(CAS_MISMATCH)).toBe(true);
    expect(isBusinessRejection('unknown account zed')).toBe(true);
    expect(isBusinessRejection('store refused: sql timeout at ap-northeast-1')).toBe(false);
    expect(isBusinessRejection(undefined)).toBe(false);
  });
});
