/**
 * Accounts interned to small integers, with what the checker knows of each: its init balance,
 * whether init declared it, whether it was already reported as unexpected, and its ledger net.
 *
 * Memory: one Map entry plus ~30 bytes of columns per distinct account name. Accounts are few
 * (hundreds), so this is negligible; interning saves string work on every read and ledger entry.
 */
import { Float64Column, Int32Column } from './columns.ts';

const FLAG_INIT = 1;
const FLAG_REPORTED = 2;

export class AccountTable {
  private readonly idByName = new Map<string, number>();
  readonly names: string[] = [];
  private readonly flags = new Int32Column();
  readonly initBalance = new Float64Column();
  /** Sum of every ledger entry on the account, whatever its tx. */
  readonly ledgerNet = new Float64Column();
  /** First and last ledger line holding an entry on the account (-1: none). */
  readonly ledgerLineFirst = new Int32Column();
  readonly ledgerLineLast = new Int32Column();
  /** Generation stamps, to count distinct accounts of one read without allocating a set. */
  private readonly stamps = new Int32Column();
  private stampNext = 0;
  /** True once an init line declared `accounts`: only then are totals and names judged. */
  declared = false;
  initCount = 0;
  initTotal = 0;

  get size(): number {
    return this.names.length;
  }

  intern(name: string): number {
    const known = this.idByName.get(name);
    if (known !== undefined) return known;
    const id = this.names.length;
    this.idByName.set(name, id);
    this.names.push(name);
    this.flags.push(0);
    this.initBalance.push(0);
    this.ledgerNet.push(0);
    this.ledgerLineFirst.push(-1);
    this.ledgerLineLast.push(-1);
    this.stamps.push(-1);
    return id;
  }

  name(account: number): string {
    const name = this.names[account];
    if (name === undefined) throw new Error(`account ${account} was never interned`);
    return name;
  }

  declare(accounts: Record<string, number>): void {
    if (this.declared) throw new Error('init declared accounts twice');
    this.declared = true;
    for (const name in accounts) {
      const account = this.intern(name);
      const balance = accounts[name] as number;
      this.flags.data[account] = (this.flags.data[account] as number) | FLAG_INIT;
      this.initBalance.data[account] = balance;
      this.initCount += 1;
      this.initTotal += balance;
    }
  }

  isInit(account: number): boolean {
    return ((this.flags.data[account] as number) & FLAG_INIT) !== 0;
  }

  /**
   * True the first time an account init never created is seen (when init declared accounts):
   * the caller reports it then, and never again for that account.
   */
  takeUnexpected(account: number): boolean {
    if (!this.declared) return false;
    const flags = this.flags.data[account] as number;
    if ((flags & (FLAG_INIT | FLAG_REPORTED)) !== 0) return false;
    this.flags.data[account] = flags | FLAG_REPORTED;
    return true;
  }

  addLedgerEntry(account: number, amount: number, lineIndex: number): void {
    this.ledgerNet.data[account] = (this.ledgerNet.data[account] as number) + amount;
    if (this.ledgerLineFirst.data[account] === -1) this.ledgerLineFirst.data[account] = lineIndex;
    this.ledgerLineLast.data[account] = lineIndex;
  }

  /** Starts counting distinct accounts of one read; pair with `markDistinct`. */
  newGeneration(): number {
    this.stampNext += 1;
    return this.stampNext;
  }

  /** True when `account` is seen for the first time in generation `stamp`. */
  markDistinct(account: number, stamp: number): boolean {
    if (this.stamps.data[account] === stamp) return false;
    this.stamps.data[account] = stamp;
    return true;
  }
}
