/**
 * Judges the final state: regions' final reads must agree account by account (divergence), and
 * each final balance must equal the init balance plus every ledger entry on the account, whatever
 * its tx (ledger-mismatch).
 */
import type { AnomalyLog } from '../anomaly-log.ts';
import { divergence, ledgerMismatch, type RegionBalance } from './anomalies-account.ts';
import type { BalanceIntake } from './balance-intake.ts';
import type { FinalRead } from './final-reads.ts';

/** Fills `into` with a final read's balances by account; NaN marks an absent account. */
function spread(read: FinalRead, into: Float64Array): void {
  into.fill(Number.NaN);
  for (let i = 0; i < read.accounts.length; i += 1) {
    into[read.accounts[i] as number] = read.balances[i] as number;
  }
}

function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * One anomaly per account whose balance differs between final reads (absent counts as a value).
 * Memory: two balances-by-account buffers, reused for every read, plus the differing accounts.
 */
export function judgeDivergence(intake: BalanceIntake, log: AnomalyLog): void {
  const reads = intake.finals.reads;
  const first = reads[0];
  if (first === undefined || reads.length < 2) return;
  const accountsCount = intake.accounts.size;
  const reference = new Float64Array(accountsCount);
  const current = new Float64Array(accountsCount);
  const differs = new Uint8Array(accountsCount);
  spread(first, reference);
  for (let r = 1; r < reads.length; r += 1) {
    spread(reads[r] as FinalRead, current);
    for (let account = 0; account < accountsCount; account += 1) {
      if (!same(reference[account] as number, current[account] as number)) differs[account] = 1;
    }
  }
  const byAccount = new Map<number, RegionBalance[]>();
  for (let account = 0; account < accountsCount; account += 1) {
    if (differs[account] === 1) byAccount.set(account, []);
  }
  if (byAccount.size === 0) return;
  for (const read of reads) {
    spread(read, current);
    for (const [account, balances] of byAccount) {
      const value = current[account] as number;
      balances.push({
        region: read.region,
        index: read.index,
        balance: Number.isNaN(value) ? null : value,
      });
    }
  }
  for (const [account, balances] of byAccount) {
    log.add(divergence(intake.accounts.name(account), balances));
  }
}

/** Needs init balances and a ledger; the caller checks both. */
export function judgeLedgerMismatch(intake: BalanceIntake, log: AnomalyLog): void {
  const { accounts } = intake;
  for (const read of intake.finals.reads) {
    for (let i = 0; i < read.accounts.length; i += 1) {
      const account = read.accounts[i] as number;
      const balance = read.balances[i] as number;
      const initBalance = accounts.initBalance.at(account);
      const ledgerNet = accounts.ledgerNet.at(account);
      if (balance === initBalance + ledgerNet) continue;
      log.add(
        ledgerMismatch({
          account: accounts.name(account),
          read,
          balance,
          initBalance,
          ledgerNet,
          ledgerLines: [accounts.ledgerLineFirst.at(account), accounts.ledgerLineLast.at(account)],
        }),
      );
    }
  }
}
