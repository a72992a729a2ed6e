/**
 * The balance checker's digest, for a parallel read (checkers/parallel): a worker thread that
 * parses a segment of the history writes, for each line only the balance checker reads, the few
 * numbers and strings the checker takes from it; the main thread replays them into the
 * checker's intake in line order, exactly as if it had read the lines. What makes this pay is
 * what stays behind on the worker: JSON parsing, validation, and the hundred balances of each
 * read (summed there; only the unusual ones travel).
 *
 * The layout is a tape: per event a kind, a line, and a run of numbers and strings whose shape
 * the kind fixes. Writer and reader sit side by side in this file; change them together.
 *
 * Memory: per segment, ~6 numbers and ~2 strings per digested op, ~3 numbers and ~1 string
 * per ledger entry.
 */
import {
  type AccountOpValue,
  type BalancesResult,
  type ClientOp,
  type InitValue,
  isBankF,
  type LedgerEntry,
  type Op,
  type OpType,
  PAYMENT_FS,
  type TransferValue,
} from '../../history/op.ts';
import type { BalanceIntake } from './balance-intake.ts';
import { Float64Column, Int32Column } from './columns.ts';
import { KIND_DEPOSIT, KIND_TRANSFER, KIND_WITHDRAW } from './id-table.ts';

const EVENT_MUTATION_INVOKE = 1;
const EVENT_MUTATION_DONE = 2;
const EVENT_BALANCES_DONE = 3;
const EVENT_LEDGER = 4;
const EVENT_CANCELLED = 5;

const MUTATION_FS = PAYMENT_FS;
const COMPLETION_TYPES: readonly OpType[] = ['ok', 'fail', 'info'];

/** Plain data: crosses threads by structured clone, typed arrays transferred. */
export interface BalanceDigestData {
  eventsCount: number;
  kinds: Uint8Array;
  lines: Int32Array;
  numsStart: Int32Array;
  strsStart: Int32Array;
  nums: Float64Array;
  strs: string[];
}

/** The ops the digest covers: a bank client op, or a ledger line. */
export function isDigestible(op: Op): boolean {
  if (typeof op.process === 'number') {
    return isBankF(op.f);
  }
  return op.process === 'final' && op.f === 'ledger';
}

/** Init's declared accounts, in declaration order: both threads number them the same way. */
export function initAccountNames(prelude: readonly Op[]): string[] | null {
  const init = prelude.find((op) => op.process === 'setup' && op.f === 'init');
  const accounts = (init?.value as InitValue | undefined)?.accounts;
  return accounts === undefined ? null : Object.keys(accounts);
}

/** Worker side. */
export class BalanceDigestWriter {
  private readonly kinds = new Int32Column();
  private readonly lines = new Int32Column();
  private readonly numsStart = new Int32Column();
  private readonly strsStart = new Int32Column();
  private readonly nums = new Float64Column();
  private readonly strs: string[] = [];
  private readonly initIndex: Map<string, number>;
  private readonly declared: boolean;

  constructor(initNames: readonly string[] | null) {
    this.declared = initNames !== null;
    this.initIndex = new Map((initNames ?? []).map((name, index) => [name, index]));
  }

  /**
   * A transfer, deposit or withdraw invoke. Returns the event, for `cancel`. Layout (the reader
   * reads it by offset too): nums [index, time, process, fCode, amount, hasRegion, codeA, codeB],
   * strs [id, nameA when codeA is -1, nameB when a transfer's codeB is -1, region when any].
   */
  mutationInvoke(op: Op, line: number): number {
    const event = this.begin(EVENT_MUTATION_INVOKE, line);
    const fCode = MUTATION_FS.indexOf(op.f as (typeof MUTATION_FS)[number]);
    if (fCode === -1) throw new Error(`${op.f} is no transfer, deposit or withdraw`);
    const value = op.value as TransferValue & AccountOpValue;
    this.nums.push(op.index);
    this.nums.push(op.time);
    this.nums.push(op.process as number);
    this.nums.push(fCode);
    this.nums.push(value.amount);
    this.nums.push(op.region === undefined ? 0 : 1);
    this.strs.push(value.id);
    this.account(fCode === 0 ? value.from : value.account);
    if (fCode === 0) this.account(value.to);
    else this.nums.push(-1);
    if (op.region !== undefined) this.strs.push(op.region);
    return event;
  }

  /** An account argument: init's index for it, or -1 and its name. */
  private account(name: string): void {
    const index = this.initIndex.get(name);
    this.nums.push(index ?? -1);
    if (index === undefined) this.strs.push(name);
  }

  /** An event whose op must travel as text after all (its invoke was still in flight). */
  cancel(event: number): void {
    if (this.kinds.data[event] !== EVENT_MUTATION_INVOKE) {
      throw new Error(`digest event ${event} is not a mutation invoke`);
    }
    this.kinds.data[event] = EVENT_CANCELLED;
  }

  /** A client op whose invoke and completion both lie in the segment. */
  resolved(clientOp: ClientOp, line: number): void {
    const completion = clientOp.completion;
    if (completion === null) throw new Error('a digested op resolves with its completion');
    if (clientOp.invoke.f !== 'balances') {
      this.begin(EVENT_MUTATION_DONE, line);
      this.nums.push(completion.process as number);
      this.nums.push(COMPLETION_TYPES.indexOf(clientOp.type));
      this.nums.push(completion.index);
      this.nums.push(completion.time);
      return;
    }
    this.balancesDone(clientOp, completion, line);
  }

  private balancesDone(clientOp: ClientOp, completion: Op, line: number): void {
    const invoke = clientOp.invoke;
    this.begin(EVENT_BALANCES_DONE, line);
    this.nums.push(invoke.process as number);
    this.nums.push(COMPLETION_TYPES.indexOf(clientOp.type));
    this.nums.push(invoke.index);
    this.nums.push(invoke.time);
    this.nums.push(completion.index);
    this.nums.push(completion.time);
    this.nums.push(invoke.region === undefined ? 0 : 1);
    if (invoke.region !== undefined) this.strs.push(invoke.region);
    if (clientOp.type !== 'ok') return;
    const result = completion.value as BalancesResult;
    const consistent = result.consistent;
    this.nums.push(consistent ? 1 : 0);
    let total = 0;
    const namesAt = this.nums.length;
    this.nums.push(0);
    let names = 0;
    for (const name in result.balances) {
      const balance = result.balances[name];
      // A null balance (nil-balance) travels as NaN; it makes the total NaN, which nobody reads.
      const amount = balance === null || balance === undefined ? Number.NaN : balance;
      total += amount;
      if (this.initIndex.has(name) && (amount >= 0 || !consistent)) continue;
      this.strs.push(name);
      this.nums.push(amount);
      names += 1;
    }
    this.nums.data[namesAt] = names;
    this.nums.push(total);
    const request = invoke.value as { accounts: string[] } | null | undefined;
    let initNamed = 0;
    const named = new Set<string>();
    const extrasAt = this.nums.length;
    this.nums.push(0);
    let extras = 0;
    for (const name of request?.accounts ?? []) {
      if (!this.initIndex.has(name)) {
        this.strs.push(name);
        extras += 1;
      } else if (!named.has(name)) {
        named.add(name);
        initNamed += 1;
      }
    }
    this.nums.data[extrasAt] = extras;
    const all = request === null || request === undefined;
    // Without init only a request for every account (null) covers: see BalancesDigest.
    const covers = this.declared ? all || initNamed === this.initIndex.size : all;
    this.nums.push(covers ? 1 : 0);
  }

  ledger(op: Op, line: number): void {
    this.begin(EVENT_LEDGER, line);
    const entries = (op.value as { entries: LedgerEntry[] }).entries;
    this.nums.push(op.index);
    this.nums.push(op.time);
    this.nums.push(entries.length);
    let txLast = '';
    for (const entry of entries) {
      this.nums.push(entry.amount);
      const account = this.initIndex.get(entry.account);
      this.nums.push(account ?? -1);
      if (account === undefined) this.strs.push(entry.account);
      const newTx = entry.tx !== txLast;
      this.nums.push(newTx ? 1 : 0);
      if (newTx) {
        this.strs.push(entry.tx);
        txLast = entry.tx;
      }
    }
  }

  finish(): BalanceDigestData {
    return {
      eventsCount: this.kinds.length,
      kinds: Uint8Array.from(this.kinds.data.subarray(0, this.kinds.length)),
      lines: this.lines.data.slice(0, this.lines.length),
      numsStart: this.numsStart.data.slice(0, this.numsStart.length),
      strsStart: this.strsStart.data.slice(0, this.strsStart.length),
      nums: this.nums.data.slice(0, this.nums.length),
      strs: this.strs,
    };
  }

  private begin(kind: number, line: number): number {
    const event = this.kinds.length;
    this.kinds.push(kind);
    this.lines.push(line);
    this.numsStart.push(this.nums.length);
    this.strsStart.push(this.strs.length);
    return event;
  }
}

/** Main side: replays one segment's digest into the intake, in line order with other lines. */
export class BalanceDigestReader {
  private event = 0;
  private num = 0;
  private str = 0;
  /** Each process's digested mutation invoke in flight: its event, decoded again on resolving. */
  private readonly invokeEvents = new Map<number, number>();
  private initIds: Int32Array | null = null;

  constructor(
    private readonly data: BalanceDigestData,
    private readonly initNames: readonly string[],
  ) {}

  /** Replays every event on a line before `line` (Infinity: all). */
  replayUntil(line: number, intake: BalanceIntake): void {
    const data = this.data;
    while (this.event < data.eventsCount && (data.lines[this.event] as number) < line) {
      this.num = data.numsStart[this.event] as number;
      this.str = data.strsStart[this.event] as number;
      this.replay(data.kinds[this.event] as number, intake);
      this.event += 1;
    }
    if (this.event === data.eventsCount && this.invokeEvents.size > 0 && line === Infinity) {
      throw new Error(
        `${this.invokeEvents.size} digested invoke(s) never resolved in their segment`,
      );
    }
  }

  private replay(kind: number, intake: BalanceIntake): void {
    switch (kind) {
      case EVENT_MUTATION_INVOKE:
        this.mutationInvoke(intake);
        return;
      case EVENT_MUTATION_DONE:
        this.mutationDone(intake);
        return;
      case EVENT_BALANCES_DONE:
        this.balancesDone(intake);
        return;
      case EVENT_LEDGER:
        this.ledger(intake);
        return;
      case EVENT_CANCELLED:
        return;
      default:
        throw new Error(`unknown balance digest event kind ${kind}`);
    }
  }

  /**
   * A mutation invoke on init's accounts goes to the intake as fields; one naming another account
   * goes as an op, so that the intake reports it exactly as a serial read would.
   */
  private mutationInvoke(intake: BalanceIntake): void {
    const event = this.event;
    // Read in place (layout: BalanceDigestWriter.mutationInvoke); decoded whole only when an
    // account is not init's.
    const nums = this.data.nums;
    const at = this.num;
    const process = nums[at + 2] as number;
    this.invokeEvents.set(process, event);
    const fCode = nums[at + 3] as number;
    const codeA = nums[at + 6] as number;
    const codeB = nums[at + 7] as number;
    if (codeA === -1 || (fCode === 0 && codeB === -1)) {
      intake.onOp(this.mutationOp(this.mutationFields()));
      return;
    }
    const initIds = this.initIdsOf(intake);
    const kind = fCode === 0 ? KIND_TRANSFER : fCode === 1 ? KIND_DEPOSIT : KIND_WITHDRAW;
    const id = this.data.strs[this.str] as string;
    const accountA = initIds[codeA];
    const accountB = fCode === 0 ? initIds[codeB] : -1;
    if (accountA === undefined || accountB === undefined) {
      throw new Error(`digest names init accounts ${codeA}/${codeB}, unknown here`);
    }
    intake.onMutationInvokeOf(
      nums[at] as number,
      process,
      kind,
      id,
      accountA,
      accountB,
      nums[at + 4] as number,
    );
  }

  private mutationDone(intake: BalanceIntake): void {
    const process = this.nextNum();
    const type = this.nextType();
    const index = this.nextNum();
    const time = this.nextNum();
    const invokeEvent = this.invokeEvents.get(process);
    if (invokeEvent === undefined) throw new Error(`digest: process ${process} resolves no invoke`);
    this.invokeEvents.delete(process);
    if (intake.resolvesByFields) {
      // Read straight from the invoke's event (layout: see BalanceDigestWriter.mutationInvoke).
      const nums = this.data.nums;
      const at = this.data.numsStart[invokeEvent] as number;
      const fCode = nums[at + 3] as number;
      let region: string | undefined;
      if (nums[at + 5] === 1) {
        const skipped =
          (nums[at + 6] === -1 ? 1 : 0) + (fCode === 0 && nums[at + 7] === -1 ? 1 : 0);
        region = this.data.strs[(this.data.strsStart[invokeEvent] as number) + 1 + skipped];
      }
      const invokeIndex = nums[at] as number;
      const invokeNs = nums[at + 1] as number;
      intake.onMutationDoneOf(process, fCode, type, invokeIndex, invokeNs, region, index, time);
      return;
    }
    const resume = { num: this.num, str: this.str };
    this.num = this.data.numsStart[invokeEvent] as number;
    this.str = this.data.strsStart[invokeEvent] as number;
    const invoke = this.mutationFields();
    this.num = resume.num;
    this.str = resume.str;
    const completion: Op = { index, time, process, type, f: invoke.f };
    intake.onClientOp(clientOpOf(this.mutationOp(invoke), completion));
  }

  private mutationFields(): MutationFields {
    const index = this.nextNum();
    const time = this.nextNum();
    const process = this.nextNum();
    const f = MUTATION_FS[this.nextNum()];
    if (f === undefined) throw new Error('a mutation invoke with no f');
    const amount = this.nextNum();
    const hasRegion = this.nextNum() === 1;
    const id = this.nextStr();
    const codeA = this.nextNum();
    const nameA = codeA === -1 ? this.nextStr() : this.initName(codeA);
    const codeB = this.nextNum();
    const nameB = f !== 'transfer' ? '' : codeB === -1 ? this.nextStr() : this.initName(codeB);
    const region = hasRegion ? this.nextStr() : undefined;
    return { index, time, process, f, amount, id, codeA, nameA, codeB, nameB, region };
  }

  /** The invoke as the op the intake reads, for the rare paths that report on it. */
  private mutationOp(fields: MutationFields): Op {
    const value =
      fields.f === 'transfer'
        ? { id: fields.id, from: fields.nameA, to: fields.nameB, amount: fields.amount }
        : { id: fields.id, account: fields.nameA, amount: fields.amount };
    const op: Op = {
      index: fields.index,
      time: fields.time,
      process: fields.process,
      type: 'invoke',
      f: fields.f,
      value,
    };
    if (fields.region !== undefined) op.region = fields.region;
    return op;
  }

  private initName(account: number): string {
    const name = this.initNames[account];
    if (name === undefined) throw new Error(`digest names init account ${account}, unknown here`);
    return name;
  }

  private balancesDone(intake: BalanceIntake): void {
    const process = this.nextNum();
    const type = this.nextType();
    const invokeIndex = this.nextNum();
    const invokeTime = this.nextNum();
    const completionIndex = this.nextNum();
    const completionTime = this.nextNum();
    const hasRegion = this.nextNum() === 1;
    const invoke: Op = {
      index: invokeIndex,
      time: invokeTime,
      process,
      type: 'invoke',
      f: 'balances',
    };
    if (hasRegion) invoke.region = this.nextStr();
    const completion: Op = {
      index: completionIndex,
      time: completionTime,
      process,
      type,
      f: 'balances',
    };
    if (type !== 'ok') {
      intake.onBalancesDigest(clientOpOf(invoke, completion), EMPTY_BALANCES);
      return;
    }
    const consistent = this.nextNum() === 1;
    completion.value = { consistent };
    const namesCount = this.nextNum();
    const names: string[] = [];
    const balances: number[] = [];
    for (let i = 0; i < namesCount; i += 1) {
      names.push(this.nextStr());
      balances.push(this.nextNum());
    }
    const total = this.nextNum();
    const extrasCount = this.nextNum();
    const requestNamesNotInit: string[] = [];
    for (let i = 0; i < extrasCount; i += 1) requestNamesNotInit.push(this.nextStr());
    const requestCoversInit = this.nextNum() === 1;
    intake.onBalancesDigest(clientOpOf(invoke, completion), {
      consistent,
      total,
      names,
      balances,
      requestCoversInit,
      requestNamesNotInit,
    });
  }

  private ledger(intake: BalanceIntake): void {
    const index = this.nextNum();
    const time = this.nextNum();
    const count = this.nextNum();
    const txs: string[] = new Array(count);
    const accountIds = new Int32Array(count);
    const initIds = this.initIdsOf(intake);
    const otherNames: string[] = [];
    const amounts = new Float64Array(count);
    let tx = '';
    for (let i = 0; i < count; i += 1) {
      amounts[i] = this.nextNum();
      const account = this.nextNum();
      if (account === -1) {
        accountIds[i] = -1;
        otherNames.push(this.nextStr());
      } else {
        const id = initIds[account];
        if (id === undefined) throw new Error(`digest names init account ${account}, unknown here`);
        accountIds[i] = id;
      }
      if (this.nextNum() === 1) tx = this.nextStr();
      txs[i] = tx;
    }
    const op: Op = { index, time, process: 'final', type: 'ok', f: 'ledger' };
    intake.onLedgerDigest(op, txs, accountIds, otherNames, amounts);
  }

  /** Init's accounts by declaration order, as the intake's account ids. */
  private initIdsOf(intake: BalanceIntake): Int32Array {
    if (this.initIds === null) {
      this.initIds = Int32Array.from(this.initNames, (name) => intake.initAccountId(name));
    }
    return this.initIds;
  }

  private nextNum(): number {
    const value = this.data.nums[this.num];
    if (value === undefined) throw new Error('balance digest ran out of numbers');
    this.num += 1;
    return value;
  }

  private nextStr(): string {
    const value = this.data.strs[this.str];
    if (value === undefined) throw new Error('balance digest ran out of strings');
    this.str += 1;
    return value;
  }

  private nextType(): ClientOp['type'] {
    const type = COMPLETION_TYPES[this.nextNum()];
    if (type === undefined || type === 'invoke') throw new Error('digest: bad completion type');
    return type as ClientOp['type'];
  }
}

interface MutationFields {
  index: number;
  time: number;
  process: number;
  f: (typeof MUTATION_FS)[number];
  amount: number;
  id: string;
  codeA: number;
  nameA: string;
  codeB: number;
  nameB: string;
  region: string | undefined;
}

const EMPTY_BALANCES = {
  consistent: false,
  total: 0,
  names: [],
  balances: [],
  requestCoversInit: false,
  requestNamesNotInit: [],
};

function clientOpOf(invoke: Op, completion: Op): ClientOp {
  return {
    invoke,
    completion,
    type: completion.type as ClientOp['type'],
    startNs: invoke.time,
    endNs: completion.type === 'info' ? Number.POSITIVE_INFINITY : completion.time,
  };
}
