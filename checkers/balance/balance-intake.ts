/**
 * The streaming half of the balance checker: takes each line and each resolved client op, keeps
 * the compact state the end needs (accounts, per-id columns, covering consistent reads, final
 * reads, ledger sums) and reports what one op or line proves alone (unexpected accounts,
 * negative balances) as soon as it is whole: a line at once, a client op when it resolves. No
 * closures or strings are built per op unless an anomaly is found.
 */
import type {
  AccountOpValue,
  BalancesResult,
  ClientOp,
  FinalReadValue,
  InitValue,
  LedgerEntry,
  Op,
  TransferValue,
} from '../../history/op.ts';
import type { AnomalyLog } from '../anomaly-log.ts';
import { formatTimeNs, inRegion } from '../format.ts';
import { AccountTable } from './account-table.ts';
import { negativeBalance, nilBalance, unexpectedAccount } from './anomalies-account.ts';
import { ConsistentReads } from './consistent-reads.ts';
import { FinalReads } from './final-reads.ts';
import { recordAttempt, recordAttemptOf, recordEntry } from './id-attempts.ts';
import { IdTable, KIND_DEPOSIT, KIND_TRANSFER, KIND_WITHDRAW, type Kind } from './id-table.ts';
import { bankOpIndex, OpCounts } from './op-counts.ts';

/** What a parallel read keeps of a balances read's result: see `onBalancesDigest`. */
export interface BalancesDigest {
  consistent: boolean;
  total: number;
  /**
   * Accounts init did not declare, or with a negative or null balance, in result order; a null
   * balance travels as NaN.
   */
  names: readonly string[];
  balances: readonly number[];
  /** The request covers every init account or, without init, asks for every account (null). */
  requestCoversInit: boolean;
  requestNamesNotInit: readonly string[];
}

export class BalanceIntake {
  readonly accounts = new AccountTable();
  readonly ids = new IdTable();
  readonly reads = new ConsistentReads();
  readonly finals = new FinalReads();
  readonly counts = new OpCounts();
  consistentReadsPartial = 0;
  /**
   * Without an init that declares accounts: the accounts of the first consistent read of every
   * account, the reference for totals (judge-totals.ts); final reads holding them all are held
   * to the total. Null until that read.
   */
  referenceAccounts: number[] | null = null;
  /** Consistent reads with a null balance (nil-balance): not held to the total. */
  consistentReadsNil = 0;
  eventualReads = 0;
  finalReadsWithAccounts = 0;
  ledgerLines = 0;
  ledgerLineFirst = -1;
  ledgerLineLast = -1;
  ledgerEntries = 0;
  /** Entries whose tx is no transfer/deposit/withdraw id (saga ids...): counted, not judged. */
  ledgerEntriesForeign = 0;
  /** Index of a bank invoke read after a ledger line had been (-1: none): see `cannotJudge`. */
  invokeAfterLedger = -1;
  /**
   * The id slot of each process's transfer/deposit/withdraw in flight, so a completion needs no
   * second lookup by id string. One entry per op in flight.
   */
  private readonly slotByProcess = new Map<number, number>();
  /**
   * Accounts init never created, first seen in the arguments of a process's op in flight: they
   * are reported when the op resolves, so that `ops` holds its invoke and its completion. Empty
   * unless such an account turns up (at most one entry per unexpected account).
   */
  private readonly unexpectedByProcess = new Map<number, string[]>();
  /** The tx of the ledger entry before, and its slot: a transfer's entries sit side by side. */
  private ledgerTxLast = '';
  private ledgerSlotLast: number | undefined = undefined;

  constructor(private readonly log: AnomalyLog) {}

  onOp(op: Op): void {
    switch (op.f) {
      case 'transfer':
      case 'deposit':
      case 'withdraw':
        if (op.type === 'invoke' && typeof op.process === 'number') this.onMutationInvoke(op);
        return;
      case 'init':
        if (op.process === 'setup') this.onInit(op.value as InitValue);
        return;
      case 'final-read':
        if (op.process === 'final') this.onFinalRead(op);
        return;
      case 'ledger':
        if (op.process === 'final') this.onLedger(op);
        return;
      default:
        return;
    }
  }

  onClientOp(clientOp: ClientOp): void {
    const f = clientOp.invoke.f;
    const fIndex = bankOpIndex(f);
    if (fIndex === -1) return;
    this.counts.add(fIndex, clientOp);
    if (f !== 'balances') {
      const slot = this.takeSlot(clientOp.invoke.process as number);
      if (this.unexpectedByProcess.size > 0) this.reportUnexpectedArguments(clientOp);
      recordAttempt(this.ids, slot, clientOp);
      return;
    }
    if (clientOp.type !== 'ok' || clientOp.completion === null) return;
    const result = clientOp.completion.value as BalancesResult;
    if (result.consistent) this.onConsistentRead(clientOp.invoke, clientOp.completion, result);
    else this.onEventualRead(clientOp.invoke, clientOp.completion, result);
  }

  private onInit(value: InitValue): void {
    if (value.accounts !== undefined) this.accounts.declare(value.accounts);
  }

  private onMutationInvoke(op: Op): void {
    if (this.ledgerLines > 0 && this.invokeAfterLedger === -1) this.invokeAfterLedger = op.index;
    let kind: Kind = KIND_TRANSFER;
    let accountA: number;
    let accountB = -1;
    if (op.f === 'transfer') {
      const value = op.value as TransferValue;
      accountA = this.internArgument(value.from, op);
      accountB = this.internArgument(value.to, op);
    } else {
      kind = op.f === 'deposit' ? KIND_DEPOSIT : KIND_WITHDRAW;
      accountA = this.internArgument((op.value as AccountOpValue).account, op);
    }
    const value = op.value as AccountOpValue;
    this.onMutationInvokeOf(
      op.index,
      op.process as number,
      kind,
      value.id,
      accountA,
      accountB,
      value.amount,
    );
  }

  /**
   * A transfer, deposit or withdraw invoke from its fields, its accounts interned: what a
   * parallel read's digest replays when init declared both accounts (none can be unexpected).
   */
  onMutationInvokeOf(
    index: number,
    process: number,
    kind: Kind,
    id: string,
    accountA: number,
    accountB: number,
    amount: number,
  ): void {
    if (this.ledgerLines > 0 && this.invokeAfterLedger === -1) this.invokeAfterLedger = index;
    const slot = this.ids.register(id, kind, accountA, accountB, amount);
    this.slotByProcess.set(process, slot);
  }

  /** True when no unexpected argument waits for its op to resolve: `onMutationDoneOf` may go. */
  get resolvesByFields(): boolean {
    return this.unexpectedByProcess.size === 0;
  }

  /** A transfer, deposit or withdraw completed, from its fields: see `resolvesByFields`. */
  onMutationDoneOf(
    process: number,
    fIndex: number,
    type: ClientOp['type'],
    invokeIndex: number,
    startNs: number,
    region: string | undefined,
    completionIndex: number,
    completionNs: number,
  ): void {
    if (this.unexpectedByProcess.size > 0)
      throw new Error('an unexpected argument waits for its op');
    this.counts.addCompleted(fIndex, type);
    const slot = this.takeSlot(process);
    recordAttemptOf(
      this.ids,
      slot,
      type,
      invokeIndex,
      startNs,
      region,
      completionIndex,
      completionNs,
    );
  }

  private takeSlot(process: number): number {
    const slot = this.slotByProcess.get(process);
    if (slot === undefined)
      throw new Error(`process ${process}'s op resolved but was never invoked`);
    this.slotByProcess.delete(process);
    return slot;
  }

  /**
   * A consistent read is held to the total when its REQUEST covers every init account, whatever
   * its result holds: an account the result omits contributes nothing to the sum, so a snapshot
   * of "all accounts" that silently drops one is caught (unless the dropped balance was 0).
   */
  private onConsistentRead(invoke: Op, completion: Op, result: BalancesResult): void {
    const balances = result.balances;
    let total = 0;
    let nils: string[] | null = null;
    for (const name in balances) {
      const balance = balances[name];
      if (balance === null || balance === undefined) {
        this.internSeen(name, invoke, completion.index, completion);
        nils ??= [];
        nils.push(name);
        continue;
      }
      this.noteReadBalance(name, balance, invoke, completion, true);
      total += balance;
    }
    if (nils !== null) {
      this.reportNilBalances(nils, invoke, completion);
      return;
    }
    const covers = this.accounts.declared
      ? this.invokeCoversInit(invoke.value)
      : invoke.value === null || invoke.value === undefined;
    if (covers) this.noteReference(Object.keys(balances));
    this.addConsistentRead(invoke, completion, total, covers);
  }

  /** Without init, the first read of every account is the reference: keep its accounts. */
  private noteReference(names: readonly string[]): void {
    if (this.accounts.declared || this.referenceAccounts !== null) return;
    this.referenceAccounts = names.map((name) => this.accounts.intern(name));
  }

  /** A read with a null balance has no total: it is reported, and held to no total. */
  private reportNilBalances(names: readonly string[], invoke: Op, completion: Op): void {
    this.consistentReadsNil += 1;
    const where = this.describeRead(invoke, completion, true);
    this.log.add(nilBalance(names, where, [invoke.index, completion.index]));
  }

  private onEventualRead(invoke: Op, completion: Op, result: BalancesResult): void {
    this.eventualReads += 1;
    for (const name in result.balances) this.internSeen(name, invoke, completion.index, completion);
  }

  /**
   * A balances read digested on another thread (checkers/parallel): the digest holds its total,
   * the balances that are not plain (an account init did not declare, or a negative balance)
   * and, for a consistent read, the request's names init did not declare; an init account with
   * a balance >= 0 changes nothing here, so it is left out.
   */
  onBalancesDigest(clientOp: ClientOp, digest: BalancesDigest): void {
    this.counts.add(bankOpIndex('balances'), clientOp);
    const completion = clientOp.completion;
    if (clientOp.type !== 'ok' || completion === null) return;
    const invoke = clientOp.invoke;
    if (!digest.consistent) {
      this.eventualReads += 1;
      for (const name of digest.names) this.internSeen(name, invoke, completion.index, completion);
      return;
    }
    let nils: string[] | null = null;
    for (let i = 0; i < digest.names.length; i += 1) {
      const name = digest.names[i] as string;
      const balance = digest.balances[i] as number;
      if (Number.isNaN(balance)) {
        this.internSeen(name, invoke, completion.index, completion);
        nils ??= [];
        nils.push(name);
      } else {
        this.noteReadBalance(name, balance, invoke, completion, true);
      }
    }
    if (nils !== null) {
      this.reportNilBalances(nils, invoke, completion);
      return;
    }
    if (this.accounts.declared) {
      for (const name of digest.requestNamesNotInit) this.accounts.intern(name);
    } else if (digest.requestCoversInit) {
      // Without init every name travels in the digest: none is an init account.
      this.noteReference(digest.names);
    }
    this.addConsistentRead(invoke, completion, digest.total, digest.requestCoversInit);
  }

  private noteReadBalance(
    name: string,
    balance: number,
    invoke: Op,
    completion: Op,
    consistent: boolean,
  ): void {
    this.internSeen(name, invoke, completion.index, completion);
    if (balance < 0) {
      this.log.add(
        negativeBalance(name, balance, this.describeRead(invoke, completion, consistent), [
          invoke.index,
          completion.index,
        ]),
      );
    }
  }

  private addConsistentRead(invoke: Op, completion: Op, total: number, covers: boolean): void {
    if (!covers) {
      this.consistentReadsPartial += 1;
      return;
    }
    this.reads.add(invoke, completion, total, this.ids.internRegion(invoke.region));
  }

  /** An invoke value null asks for every account; a list covers init if it names them all. */
  private invokeCoversInit(value: unknown): boolean {
    if (value === null || value === undefined) return true;
    const names = (value as { accounts: string[] }).accounts;
    const stamp = this.accounts.newGeneration();
    let initNamed = 0;
    for (const name of names) {
      const account = this.accounts.intern(name);
      if (this.accounts.isInit(account) && this.accounts.markDistinct(account, stamp)) {
        initNamed += 1;
      }
    }
    return initNamed === this.accounts.initCount;
  }

  private onFinalRead(op: Op): void {
    const value = op.value as FinalReadValue | undefined;
    const named = value?.accounts;
    if (named === undefined) return;
    this.finalReadsWithAccounts += 1;
    const names = Object.keys(named);
    const accounts = new Int32Array(names.length);
    const balances = new Float64Array(names.length);
    let initSeen = 0;
    for (let i = 0; i < names.length; i += 1) {
      const name = names[i] as string;
      const balance = named[name] as number;
      const account = this.internSeen(name, op, -1);
      if (this.accounts.isInit(account)) initSeen += 1;
      accounts[i] = account;
      balances[i] = balance;
      if (balance < 0) {
        const where = `the final read${inRegion(op.region)} at ${formatTimeNs(op.time)}`;
        this.log.add(negativeBalance(name, balance, where, [op.index]));
      }
    }
    const complete = this.accounts.declared && initSeen === this.accounts.initCount;
    this.finals.add(op, accounts, balances, complete);
  }

  private onLedger(op: Op): void {
    this.startLedgerLine(op);
    for (const entry of (op.value as { entries: LedgerEntry[] }).entries) {
      this.onLedgerEntry(op, entry.tx, entry.account, entry.amount);
    }
  }

  /** A ledger line digested on another thread: its entries as columns. */
  /** A ledger line digested on another thread: account ids of init accounts, -1 for others. */
  onLedgerDigest(
    op: Op,
    txs: readonly string[],
    accountIds: Int32Array,
    otherNames: readonly string[],
    amounts: Float64Array,
  ): void {
    this.startLedgerLine(op);
    let other = 0;
    for (let i = 0; i < txs.length; i += 1) {
      const account = accountIds[i] as number;
      const tx = txs[i] as string;
      const amount = amounts[i] as number;
      if (account === -1) {
        this.onLedgerEntry(op, tx, otherNames[other] as string, amount);
        other += 1;
      } else {
        this.ledgerEntryOn(op, tx, account, amount);
      }
    }
  }

  /** The id of an account init declared (interning a declared name changes nothing). */
  initAccountId(name: string): number {
    const account = this.accounts.intern(name);
    if (!this.accounts.isInit(account)) throw new Error(`${name} is not an account init declared`);
    return account;
  }

  private startLedgerLine(op: Op): void {
    this.ledgerLines += 1;
    if (this.ledgerLineFirst === -1) this.ledgerLineFirst = op.index;
    this.ledgerLineLast = op.index;
    this.ledgerTxLast = '';
    this.ledgerSlotLast = undefined;
  }

  private onLedgerEntry(op: Op, tx: string, accountName: string, amount: number): void {
    this.ledgerEntryOn(op, tx, this.internSeen(accountName, op, -1, undefined, tx), amount);
  }

  /** An init account is never unexpected: its entries skip `internSeen`. */
  private ledgerEntryOn(op: Op, tx: string, account: number, amount: number): void {
    this.ledgerEntries += 1;
    this.accounts.addLedgerEntry(account, amount, op.index);
    // A transfer's entries sit side by side: reuse the previous entry's lookup for the same tx.
    if (tx !== this.ledgerTxLast) {
      this.ledgerTxLast = tx;
      this.ledgerSlotLast = this.ids.slotOf(tx);
    }
    const slot = this.ledgerSlotLast;
    if (slot === undefined) this.ledgerEntriesForeign += 1;
    else recordEntry(this.ids, slot, account, amount, op.index);
  }

  /**
   * Interns an account named in a transfer/deposit/withdraw invoke; one init never created is
   * kept for its process and reported when the op resolves (`reportUnexpectedArguments`).
   */
  private internArgument(name: string, invoke: Op): number {
    const account = this.accounts.intern(name);
    if (this.accounts.takeUnexpected(account)) {
      const process = invoke.process as number;
      const names = this.unexpectedByProcess.get(process);
      if (names === undefined) this.unexpectedByProcess.set(process, [name]);
      else names.push(name);
    }
    return account;
  }

  private reportUnexpectedArguments(clientOp: ClientOp): void {
    const invoke = clientOp.invoke;
    const names = this.unexpectedByProcess.get(invoke.process as number);
    if (names === undefined) return;
    this.unexpectedByProcess.delete(invoke.process as number);
    const completionIndex = clientOp.completion?.index ?? -1;
    const where = this.describePlace(invoke, undefined, undefined);
    for (const name of names) {
      this.log.add(unexpectedAccount(name, where, [invoke.index, completionIndex]));
    }
  }

  /** Interns an account and reports it the first time it turns out init never created it. */
  private internSeen(
    name: string,
    op: Op,
    completionIndex: number,
    completion?: Op,
    tx?: string,
  ): number {
    const account = this.accounts.intern(name);
    if (this.accounts.takeUnexpected(account)) {
      const where = this.describePlace(op, completion, tx);
      this.log.add(
        unexpectedAccount(
          name,
          where,
          completionIndex === -1 ? [op.index] : [op.index, completionIndex],
        ),
      );
    }
    return account;
  }

  private describePlace(op: Op, completion: Op | undefined, tx: string | undefined): string {
    if (completion !== undefined) {
      const consistent = (completion.value as BalancesResult).consistent;
      return this.describeRead(op, completion, consistent);
    }
    if (op.f === 'ledger') return `a ledger entry of tx ${tx ?? '?'} (line ${op.index})`;
    if (op.f === 'final-read') return `the final read${inRegion(op.region)}`;
    const id = (op.value as { id: string }).id;
    return `${op.f} ${id} invoked by process ${op.process} at ${formatTimeNs(op.time)}${inRegion(op.region)}`;
  }

  private describeRead(invoke: Op, completion: Op, consistent: boolean): string {
    const kind = consistent ? 'consistent' : 'eventual';
    return `the ${kind} balances read by process ${invoke.process}${inRegion(invoke.region)} (invoked ${formatTimeNs(invoke.time)}, completed ${formatTimeNs(completion.time)})`;
  }
}
