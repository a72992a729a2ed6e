/**
 * The balance checker: Jepsen's bank checks and more, as per-op invariants in O(n log n) — never
 * a linearizability search over the whole bank. See docs/anomalies/balance.md for each rule.
 *
 * State (see each module): interned accounts; ~200 bytes per transfer/deposit/withdraw id (its
 * columns, Map entry and id string); 48 bytes per consistent read whose request covers every account; the
 * final reads whole; without init, the accounts of the reference read; nothing for other ops.
 */
import type { ClientOp, Op } from '../../history/op.ts';
import { AnomalyLog } from '../anomaly-log.ts';
import type { CheckContext, Checker, CheckerRun, CheckResult } from '../checker.ts';
import { Unjudged } from '../unjudged.ts';
import { BalanceDigestReader } from './balance-digest.ts';
import { BalanceIntake } from './balance-intake.ts';
import { balanceParallelRead } from './balance-parallel-read.ts';
import { moneyMovementsOf } from './consistent-reads.ts';
import { judgeDivergence, judgeLedgerMismatch } from './judge-finals.ts';
import { type IdVerdicts, judgeIds } from './judge-ids.ts';
import {
  finalHeldToTotal,
  judgeFinalTotals,
  judgeReadTotals,
  type TotalReference,
  totalReference,
} from './judge-totals.ts';

interface TotalsJudged {
  /** Null when no total was judged. */
  reference: TotalReference | null;
  finalReadTotalsChecked: number;
}

class BalanceRun implements CheckerRun {
  private readonly log: AnomalyLog;
  private readonly intake: BalanceIntake;
  private readonly unjudged = new Unjudged();

  constructor(private readonly context: CheckContext) {
    this.log = new AnomalyLog(context.anomaliesPerTypeMax);
    this.intake = new BalanceIntake(this.log);
  }

  onOp(op: Op): void {
    this.intake.onOp(op);
  }

  onClientOp(clientOp: ClientOp): void {
    this.intake.onClientOp(clientOp);
  }

  replayDigest(digest: unknown, beforeLine: number): void {
    if (!(digest instanceof BalanceDigestReader))
      throw new Error('balance was handed a digest its parallel read did not make');
    digest.replayUntil(beforeLine, this.intake);
  }

  applies(): boolean {
    const intake = this.intake;
    return intake.counts.total > 0 || intake.ledgerLines > 0 || intake.finalReadsWithAccounts > 0;
  }

  finish(): CheckResult {
    const intake = this.intake;
    const ids = this.judgeLedgerIds();
    const totals = this.judgeTotals(ids.idsConflicting);
    judgeDivergence(intake, this.log);
    const ledgerChecked = intake.accounts.declared && intake.ledgerLines > 0;
    if (ledgerChecked) judgeLedgerMismatch(intake, this.log);
    const judgedAnything =
      intake.reads.size + intake.consistentReadsPartial + intake.consistentReadsNil > 0 ||
      intake.finalReadsWithAccounts > 0 ||
      intake.ledgerLines > 0;
    if (!judgedAnything) {
      this.cannotJudge(
        'the history holds no consistent balances read, final read with accounts or ledger, so no money invariant could be checked',
      );
    }
    return this.unjudged.result(this.log, this.stats(ids, totals, ledgerChecked));
  }

  private judgeLedgerIds(): IdVerdicts {
    const intake = this.intake;
    const verdicts = { lostAcknowledged: 0, idsJudged: 0, idsConflicting: 0 };
    for (let slot = 0; slot < intake.ids.size; slot += 1) {
      if (intake.ids.conflicting.at(slot) !== 0) verdicts.idsConflicting += 1;
    }
    if (verdicts.idsConflicting > 0) {
      const first = intake.ids.ids[intake.ids.conflicting.data.indexOf(1)];
      this.cannotJudge(
        `${verdicts.idsConflicting} id(s) (first: ${first}) were reused with other arguments, so they and the totals were not judged; ids must be unique per payment`,
      );
    }
    if (intake.ledgerLines === 0) return verdicts;
    if (intake.invokeAfterLedger !== -1) {
      this.cannotJudge(
        `a transfer/deposit/withdraw is invoked at line ${intake.invokeAfterLedger}, after the ledger was read, so ledger entries could not be matched to ids; the ledger is read after the run`,
      );
      return verdicts;
    }
    return judgeIds(intake, this.log, this.context.deadline);
  }

  /** Judges every total it can; says where the totals started and how many final reads were held. */
  private judgeTotals(idsConflicting: number): TotalsJudged {
    const intake = this.intake;
    if (idsConflicting > 0) return { reference: null, finalReadTotalsChecked: 0 };
    const movements = moneyMovementsOf(intake.ids);
    const reference = totalReference(intake, movements);
    if (reference === null) {
      if (intake.finalReadsWithAccounts > 0) {
        this.cannotJudge(
          "no init declares the accounts and no consistent read of every account gives a reference total, so the final reads' totals were not checked; declare the accounts in init (paychaos import jepsen --accounts, --total)",
        );
      }
      return { reference: null, finalReadTotalsChecked: 0 };
    }
    judgeReadTotals(intake, this.log, this.context.deadline, reference, movements);
    for (const read of intake.finals.reads) {
      if (finalHeldToTotal(intake, read)) continue;
      this.cannotJudge(
        intake.accounts.declared
          ? `the final read in ${read.region} (line ${read.index}) lacks accounts that init declared, so its total was not checked; final reads must include every account`
          : `the final read in ${read.region} (line ${read.index}) lacks accounts that the reference read (the first consistent read of every account; no init declares them) holds, so its total was not checked; final reads must include every account`,
      );
    }
    return { reference, finalReadTotalsChecked: judgeFinalTotals(intake, this.log, reference) };
  }

  private cannotJudge(reason: string): void {
    this.unjudged.add(reason);
  }

  private stats(ids: IdVerdicts, totals: TotalsJudged, ledgerChecked: boolean) {
    const intake = this.intake;
    const basis = totals.reference?.basis;
    return {
      ops: intake.counts.toStats(),
      accounts: intake.accounts.size,
      initAccounts: intake.accounts.initCount,
      totalsChecked: totals.reference !== null,
      totalReferenceRead:
        basis !== undefined && 'reference' in basis ? basis.reference.completionIndex : null,
      consistentReadsChecked: intake.reads.size,
      consistentReadsPartial: intake.consistentReadsPartial,
      consistentReadsNil: intake.consistentReadsNil,
      eventualReads: intake.eventualReads,
      finalReadsChecked: intake.finalReadsWithAccounts,
      finalReadTotalsChecked: totals.finalReadTotalsChecked,
      ledgerLines: intake.ledgerLines,
      ledgerEntries: intake.ledgerEntries,
      ledgerEntriesForeign: intake.ledgerEntriesForeign,
      ledgerMismatchChecked: ledgerChecked,
      ids: intake.ids.size,
      idsJudgedAgainstLedger: ids.idsJudged,
      idsConflicting: ids.idsConflicting,
      lostAcknowledged: ids.lostAcknowledged,
      anomalyCounts: this.log.countsByType(),
    };
  }
}

export const balanceChecker: Checker = {
  name: 'balance',
  description:
    'money invariants of the bank: totals, negative balances, unknown accounts, final-read divergence, and every payment against the ledger',
  start: (context) => new BalanceRun(context),
  parallelRead: balanceParallelRead,
};
