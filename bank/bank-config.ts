/**
 * What one bank is built with: its accounts (system accounts added), its planted bugs, and the
 * timing of its background work. Every limit the bank's loops obey lives here, with its unit.
 */
import type { BugFlag } from '../scenario-dsl/bug-flags.ts';
import type { ResolvedAccount } from '../scenario-dsl/resolved-scenario.ts';

/** The system account a checkout reserves into before it captures. */
export const HOLD_ACCOUNT = 'hold';

export interface BankTiming {
  /** How often the projector looks at the outbox. */
  projectIntervalMs: number;
  /** Outbox rows projected per look. */
  projectBatchMax: number;
  /**
   * How long a projector that just took over waits before it re-projects every balance. Longer
   * than any in-flight put of the projector it replaces, so its re-projection is stamped after
   * theirs and wins under last-writer-wins.
   */
  handoverDelayMs: number;
  /** How often the saga recovery looks for pending sagas. */
  recoveryIntervalMs: number;
  /** A pending saga untouched this long is taken over by the recovery. */
  sagaStaleMs: number;
  /** Pending sagas the recovery drives per look. */
  recoveryBatchMax: number;
}

export const BANK_TIMING_DEFAULT: BankTiming = {
  projectIntervalMs: 10,
  projectBatchMax: 200,
  handoverDelayMs: 1_000,
  recoveryIntervalMs: 500,
  sagaStaleMs: 5_000,
  recoveryBatchMax: 50,
};

/** Accounts the bank keeps; scans of them must fit in one page. */
export const ACCOUNTS_MAX = 10_000;
/** Ledger entries and saga records per page of the final state (design.md's line size). */
export const FINAL_PAGE_ENTRIES_MAX = 10_000;
/** Pages of ledger or saga log the final-state reader reads before it gives up. */
export const FINAL_PAGES_MAX = 100_000;

export interface BankConfig {
  /** Every account, system accounts included, by name. */
  readonly accounts: ReadonlyMap<string, ResolvedAccount>;
  /** Account names in key order. */
  readonly accountNames: readonly string[];
  readonly bugs: ReadonlySet<BugFlag>;
  readonly timing: BankTiming;
  /** Every commit waits for replication, except under 'async-commit-ack'. */
  readonly waitForReplication: boolean;
}

export function bankConfig(
  accounts: readonly ResolvedAccount[],
  bugs: readonly BugFlag[],
  writerRegion: string,
  timing: Partial<BankTiming> = {},
): BankConfig {
  const byName = new Map<string, ResolvedAccount>();
  for (const account of accounts) {
    if (byName.has(account.name)) throw new Error(`account "${account.name}" is declared twice`);
    if (!Number.isSafeInteger(account.balance) || account.balance < 0) {
      throw new Error(`account "${account.name}": balance must be an integer >= 0`);
    }
    byName.set(account.name, { ...account });
  }
  // The hold lives where the ledger is written: money in flight has no other home.
  if (!byName.has(HOLD_ACCOUNT)) {
    byName.set(HOLD_ACCOUNT, { name: HOLD_ACCOUNT, balance: 0, home: writerRegion });
  }
  if (byName.size > ACCOUNTS_MAX) throw new Error(`more than ${ACCOUNTS_MAX} accounts`);
  const bugSet = new Set(bugs);
  return {
    accounts: byName,
    accountNames: [...byName.keys()].sort(),
    bugs: bugSet,
    timing: { ...BANK_TIMING_DEFAULT, ...timing },
    waitForReplication: !bugSet.has('async-commit-ack'),
  };
}

/** Client payments may not touch system accounts. */
export function isSystemAccount(account: string): boolean {
  return account === HOLD_ACCOUNT;
}
