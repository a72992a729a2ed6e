/**
 * One pass of the saga checker over a history. Checkout ops are folded into compact per-id
 * records as they stream by; each saga record is judged on its own steps the moment its `sagas`
 * line arrives, then kept as a small summary; the client outcome (wrong-outcome) and the ledger
 * (saga-leak) are judged in finish(), when every checkout attempt is resolved and every ledger
 * line has been read, whatever the order of the final lines.
 *
 * Memory: a CheckoutRecord per checkout id, a SagaSummary per saga, ledger sums per saga id
 * (LedgerSums), and the first PROBLEMS_KEPT_MAX reasons for an "unknown" verdict.
 */
import type { ClientOp, Op, SagaRecord } from '../../history/op.ts';
import { AnomalyLog } from '../anomaly-log.ts';
import type { CheckContext, CheckerRun, CheckResult } from '../checker.ts';
import { BudgetExceeded } from '../deadline.ts';
import { Unjudged } from '../unjudged.ts';
import { CheckoutBook, outcomeOf } from './checkout-book.ts';
import { LedgerSums } from './ledger-sums.ts';
import { judgeRecordlessLeak, judgeSagaLeak } from './saga-leak.ts';
import { judgeOutcome } from './saga-outcome.ts';
import { SagaStats } from './saga-stats.ts';
import { judgeSteps } from './saga-steps.ts';
import type { SagaSummary } from './saga-summary.ts';

/** Steps in one saga record; more is bad input, not a saga. */
export const STEPS_PER_SAGA_MAX = 10_000;
/** How often (in sagas or checkouts judged) finish() polls its deadline. */
const DEADLINE_POLL_EVERY = 4096;

export class SagaRun implements CheckerRun {
  private readonly log: AnomalyLog;
  private readonly book = new CheckoutBook();
  private readonly sagas = new Map<string, SagaSummary>();
  private readonly ledger = new LedgerSums(
    (tx) => this.book.get(tx) !== undefined || this.sagas.has(tx),
  );
  private readonly stats = new SagaStats();
  private sagasLines = 0;
  private readonly unjudged = new Unjudged();
  private judged = 0;

  constructor(private readonly context: CheckContext) {
    this.log = new AnomalyLog(context.anomaliesPerTypeMax);
  }

  onOp(op: Op): void {
    if (op.process === 'final' && op.type === 'ok') {
      if (op.f === 'sagas') this.onSagasLine(op);
      else if (op.f === 'ledger') this.ledger.addLine(op);
      return;
    }
    if (typeof op.process === 'number' && op.type === 'invoke' && op.f === 'checkout') {
      this.book.onInvoke(op, this.ledger.linesSeen > 0);
    }
  }

  onClientOp(clientOp: ClientOp): void {
    if (clientOp.invoke.f === 'checkout') this.book.onResolved(clientOp);
  }

  applies(): boolean {
    return this.book.size > 0 || this.sagasLines > 0;
  }

  finish(): CheckResult {
    if (!this.applies()) {
      this.unjudged.add(
        'the history holds no checkout op and no "sagas" line, so there was nothing to judge',
      );
    } else if (this.sagasLines === 0) {
      this.unjudged.add(
        `the history has ${this.book.size} checkout id(s) but no "sagas" final line, so no saga could be judged`,
      );
    } else {
      this.judgeCheckouts();
      this.judgeLeaks();
    }
    const stats = {
      ...this.stats.toJson(this.book),
      ledgerEntries: this.ledger.entriesSeen,
      anomalyCounts: this.log.countsByType(),
    };
    return this.unjudged.result(this.log, stats);
  }

  private onSagasLine(op: Op): void {
    this.sagasLines += 1;
    for (const saga of op.value as SagaRecord[]) this.onSagaRecord(saga, op.index);
  }

  private onSagaRecord(saga: SagaRecord, lineIndex: number): void {
    if (saga.steps.length > STEPS_PER_SAGA_MAX) {
      throw new Error(
        `saga ${saga.id} at index ${lineIndex} has ${saga.steps.length} steps, more than ${STEPS_PER_SAGA_MAX}`,
      );
    }
    const earlier = this.sagas.get(saga.id);
    if (earlier !== undefined) {
      this.unjudged.add(
        `saga ${saga.id} has two records (indices ${earlier.lineIndex} and ${lineIndex}); only the first was judged`,
      );
      return;
    }
    const checkout = this.book.get(saga.id);
    for (const anomaly of judgeSteps({ saga, lineIndex, checkout })) this.log.add(anomaly);
    this.stats.addSaga(saga, checkout !== undefined);
    this.sagas.set(saga.id, {
      id: saga.id,
      status: saga.status,
      lineIndex,
      knownOnlyAfterLedger:
        this.ledger.linesSeen > 0 && (checkout === undefined || checkout.afterLedger),
    });
  }

  private judgeCheckouts(): void {
    for (const checkout of this.book.values()) {
      this.pollDeadline('judging checkout outcomes');
      const summary = this.sagas.get(checkout.id);
      const anomaly = judgeOutcome(checkout, summary);
      if (anomaly !== null) this.log.add(anomaly);
      if (summary !== undefined || this.ledger.linesSeen === 0) continue;
      if (outcomeOf(checkout) === 'acknowledged') continue;
      const sums = this.ledger.sumsOf(checkout.id);
      if (sums === undefined) continue;
      const leak = judgeRecordlessLeak(checkout, sums);
      if (leak !== null) this.log.add(leak);
    }
  }

  private judgeLeaks(): void {
    if (this.ledger.linesSeen === 0) return;
    for (const summary of this.sagas.values()) {
      this.pollDeadline('checking sagas against the ledger');
      if (this.ledger.mayBePartial(summary.knownOnlyAfterLedger)) {
        this.unjudged.add(
          `saga ${summary.id} was first named after the ledger lines, and ledger entries of unknown ids were dropped past the orphan limit, so its ledger entries may be incomplete`,
        );
        continue;
      }
      const judgement = judgeSagaLeak(
        summary,
        this.book.get(summary.id),
        this.ledger.sumsOf(summary.id),
      );
      if (judgement === null) continue;
      if ('anomaly' in judgement) this.log.add(judgement.anomaly);
      else this.unjudged.add(judgement.cannotJudge);
    }
  }

  private pollDeadline(what: string): void {
    this.judged += 1;
    if (this.judged % DEADLINE_POLL_EVERY === 0 && this.context.deadline.expired()) {
      throw new BudgetExceeded(`${what}, after ${this.judged} sagas and checkouts`);
    }
  }
}
