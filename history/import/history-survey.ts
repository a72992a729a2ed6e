/**
 * The first pass of an import: what kind of history this is, which the second pass needs before
 * it writes line 0 (the `init` naming every register key) or converts a single op (is `:read` a
 * register read or a bank read? is `[1 4]` a tuple or a cas?).
 *
 * Memory: the set of register keys, one entry per key.
 */
import type { EdnValue } from '../edn/edn-value.ts';
import { isKind, sequentialItems } from '../edn/edn-value.ts';
import { REGISTER_FS } from '../op.ts';
import { ednKeyString } from './edn-to-json.ts';
import type { RawOp } from './raw-op.ts';

export interface HistoryFacts {
  /**
   * A bank history (jepsen.tests.bank): `:read` then means a read of every balance. Some client
   * op is a `:transfer`, or the input's own init (or the import's `accounts`) declares accounts,
   * or the history has reads
   * only, and every ok read returns a map (of balances) or nil: see `HistorySurvey.facts`.
   */
  bank: boolean;
  /** Register values are jepsen.independent `[key value]` tuples. */
  tuples: boolean;
  /** Register keys in order of first appearance: the tuple keys, or just `plainKey`. */
  keys: string[];
  /** The key of a history of one register. */
  plainKey: string;
  /** The input has its own `init` (a paychaos export): it is kept, none is made up. */
  hasInit: boolean;
  /** The input line of that init; -1 when there is none. */
  initLine: number;
  /** The first op has a `:time`; then every op must. */
  timed: boolean;
}

/** The key a history of one register gets when the input does not name it. */
export const PLAIN_REGISTER_KEY = 'register';

/**
 * The op key (`:value-unknown true`) the EDN export puts on a read whose value is unknown, so
 * that importing the export gives it back as such, whatever `nilRead` says.
 */
export const VALUE_UNKNOWN_KEY = 'value-unknown';

type TupleStatus = 'tuple' | 'plain' | 'neutral';

function isPair(value: EdnValue | undefined): boolean {
  const items = value === undefined ? null : sequentialItems(value);
  return items !== null && items.length === 2;
}

/** Whether a register op's value reads as a tuple; completions without a value say nothing. */
export function tupleStatus(op: RawOp): TupleStatus {
  const value = op.value;
  const completion = op.type !== 'invoke';
  if (completion && (value === undefined || value === null)) return 'neutral';
  if (completion && op.type !== 'ok' && isKind(value ?? null, 'keyword')) return 'neutral';
  if (!isPair(value)) return 'plain';
  if (op.f !== 'cas') return 'tuple';
  const inner = sequentialItems(value!)![1]!;
  if (isPair(inner) || (completion && (inner === null || isKind(inner, 'keyword')))) return 'tuple';
  return 'plain';
}

/** Whether an input `init` declares accounts (a paychaos export of a bank history). */
function initDeclaresAccounts(value: EdnValue | undefined): boolean {
  if (value === undefined || !isKind(value, 'map')) return false;
  return value.entries.some(([key]) => ednKeyString(key) === 'accounts');
}

/** Keys named by an input `init`: its registers and its strong list. */
function initKeys(value: EdnValue | undefined): Set<string> {
  const keys = new Set<string>();
  if (value === undefined || !isKind(value, 'map')) return keys;
  for (const [key, item] of value.entries) {
    const name = ednKeyString(key);
    if (name === 'registers' && isKind(item, 'map')) {
      for (const [registerKey] of item.entries) keys.add(ednKeyString(registerKey));
    }
    const strong = sequentialItems(item) ?? (isKind(item, 'set') ? item.items : null);
    if (name === 'strong' && strong !== null) for (const k of strong) keys.add(ednKeyString(k));
  }
  return keys;
}

interface KeyTally {
  plain: boolean;
  tuples: number;
  keys: Map<string, number>;
}

export class HistorySurvey {
  private initLine = -1;
  private transfers = false;
  private initAccounts = false;
  /** Ok reads returning a map, and ok reads returning anything else but nil. */
  private readsOfMaps = 0;
  private readsOfOther = false;
  private timed: boolean | null = null;
  private init: Set<string> | null = null;
  /** Reads are tallied apart: in a bank history they are not register ops. */
  private readonly reads: KeyTally = { plain: false, tuples: 0, keys: new Map() };
  private readonly writes: KeyTally = { plain: false, tuples: 0, keys: new Map() };

  /** `accountsDeclared`: the import declares the accounts (`--accounts`), so this is a bank. */
  constructor(private readonly accountsDeclared = false) {}

  visit(op: RawOp): void {
    this.timed ??= op.timeNs !== undefined;
    if (op.process === 'setup' && op.f === 'init') {
      this.init = initKeys(op.value);
      this.initAccounts = initDeclaresAccounts(op.value);
      this.initLine = op.line;
    }
    if (typeof op.process !== 'number') return;
    if (op.f === 'transfer') this.transfers = true;
    if (!REGISTER_FS.has(op.f)) return;
    if (op.f === 'read' && op.type === 'ok') this.tallyReadResult(op.value);
    const tally = op.f === 'read' ? this.reads : this.writes;
    const status = tupleStatus(op);
    if (status === 'plain') tally.plain = true;
    if (status !== 'tuple') return;
    tally.tuples += 1;
    const key = ednKeyString(sequentialItems(op.value!)![0]!);
    if (!tally.keys.has(key)) tally.keys.set(key, op.line);
  }

  private tallyReadResult(value: EdnValue | undefined): void {
    if (value !== undefined && isKind(value, 'map')) this.readsOfMaps += 1;
    else if (value !== undefined && value !== null) this.readsOfOther = true;
  }

  /**
   * A history of reads only, each returning a map, is a read-only bank history: a register
   * history always writes, and one that wrote maps has writes to tell it by.
   */
  private get bank(): boolean {
    if (this.transfers || this.initAccounts || this.accountsDeclared) return true;
    const writes = this.writes.plain || this.writes.tuples > 0;
    return !writes && !this.readsOfOther && this.readsOfMaps > 0;
  }

  facts(): HistoryFacts {
    const tallies = this.bank ? [this.writes] : [this.writes, this.reads];
    const tuples = tallies.every((t) => !t.plain) && tallies.some((t) => t.tuples > 0);
    const named = this.init === null ? [] : [...this.init];
    const plainKey = named.length === 1 ? named[0]! : PLAIN_REGISTER_KEY;
    const registerOps = tallies.some((t) => t.plain || t.tuples > 0);
    let keys: string[] = [];
    if (tuples) {
      const firstLines = new Map<string, number>();
      for (const t of tallies) {
        for (const [key, line] of t.keys)
          firstLines.set(key, Math.min(line, firstLines.get(key) ?? line));
      }
      keys = [...firstLines.entries()].sort((a, b) => a[1] - b[1]).map(([key]) => key);
    } else if (registerOps) keys = [plainKey];
    return {
      bank: this.bank,
      tuples,
      keys,
      plainKey,
      hasInit: this.init !== null,
      initLine: this.initLine,
      timed: this.timed ?? false,
    };
  }
}
