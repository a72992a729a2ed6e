/**
 * The anomaly catalogue as the reports show it: for every anomaly name of design.md, the
 * checkers that report it, what it means (word for word the table of docs/anomalies.md; a test
 * holds the two together), the usual cause (from the "What to do" of its checker's page), the
 * nouns a sentence counts it with, and the detail field that names its subject (the account,
 * key, saga or region the report groups it by; null when every instance is one group).
 */

export type SubjectField = 'account' | 'key' | 'saga' | 'region';

export interface CatalogueEntry {
  name: string;
  checkers: readonly string[];
  meaning: string;
  cause: string;
  one: string;
  many: string;
  subject: readonly SubjectField[];
  /** docs/anomalies/<page>.md holds the rule, its edge cases and what to do. */
  page: string;
}

function entry(
  name: string,
  checkers: readonly string[],
  nouns: [string, string],
  subject: readonly SubjectField[],
  meaning: string,
  cause: string,
): CatalogueEntry {
  const page = checkers[0] ?? 'balance';
  return { name, checkers, meaning, cause, one: nouns[0], many: nouns[1], subject, page };
}

export const CATALOGUE: readonly CatalogueEntry[] = [
  entry(
    'wrong-total',
    ['balance'],
    ['wrong total', 'wrong totals'],
    [],
    "a consistent read, or a region's final read, sums to a total no legal execution could produce (unknown deposits/withdrawals widen the range)",
    'money was created or destroyed, or the "consistent" read is not a snapshot (a torn read across shards, a read-modify-write race such as `lww-balance-update`)',
  ),
  entry(
    'negative-balance',
    ['balance'],
    ['negative balance', 'negative balances'],
    ['account'],
    'an account below zero in a consistent read or a final read',
    'a debit was allowed without the funds to cover it: the funds check ran on a stale replica (`funds-check-on-replica`) or outside the transaction that debits',
  ),
  entry(
    'nil-balance',
    ['balance'],
    ['read with no balance', 'reads with no balance'],
    [],
    "a consistent read returned no balance (`null`) for an account: Jepsen's `:nil-balance`",
    "the bank lost the account's row, or the read is not one snapshot over every account (an account read outside the transaction, a shard that did not answer)",
  ),
  entry(
    'unexpected-account',
    ['balance'],
    ['unexpected account', 'unexpected accounts'],
    ['account'],
    'an account that `init` never created',
    '`init` does not declare every account the bank uses (system accounts included), or some part of the system or workload invented the name',
  ),
  entry(
    'divergence',
    ['balance', 'lww'],
    ['divergence', 'divergences'],
    ['account', 'key'],
    "regions' final reads disagree after quiescence (accounts: balance; register keys, strong ones included: lww)",
    'replication lost or reordered an update (a dual write, an unfenced old primary after failover), was paused and never resumed, or the final state was read before replication quiesced',
  ),
  entry(
    'ledger-mismatch',
    ['balance'],
    ['ledger mismatch', 'ledger mismatches'],
    ['account'],
    'a final balance != initial balance + the sum of its ledger entries',
    'the balance projection and the ledger disagree: a torn dual write, or a lost projection event',
  ),
  entry(
    'lost-transfer',
    ['balance'],
    ['lost payment', 'lost payments'],
    [],
    'an acknowledged transfer/deposit/withdraw has no ledger entries (RPO)',
    'the bank acknowledged before the commit was durable and replicated (`async-commit-ack`), or a failover lost it',
  ),
  entry(
    'duplicate-transfer',
    ['balance'],
    ['payment applied twice', 'payments applied more than once'],
    [],
    "one id's entries applied more than once",
    'a client retry re-applied the payment: the idempotency key was not checked (`retry-without-idempotency`)',
  ),
  entry(
    'failed-transfer-applied',
    ['balance'],
    ['failed payment applied', 'failed payments applied'],
    [],
    "a failed op's id has ledger entries",
    'the bank reported a failure after the commit had taken effect',
  ),
  entry(
    'unbalanced-transfer',
    ['balance'],
    ['unbalanced payment', 'unbalanced payments'],
    [],
    "a transfer's entries do not sum to zero or do not match its amount",
    'the double-entry write is torn (a debit without its credit) or computes an amount twice',
  ),
  entry(
    'phantom-value',
    ['lww'],
    ['phantom value', 'phantom values'],
    ['key'],
    'a value no write that could have taken effect, nor `init`, produced',
    'the store applied a write it reported as failed (a timeout mapped to `fail`), or a value was corrupted or read from the wrong item',
  ),
  entry(
    'lost-write',
    ['lww'],
    ['lost write', 'lost writes'],
    ['key'],
    'the final value comes from a write that an acknowledged later write should have overwritten',
    'an older write won last-writer-wins: usually a skewed clock stamping the timestamps (`skewed-clock-lww`), or replication that dropped the later write',
  ),
  entry(
    'future-read',
    ['lww'],
    ['future read', 'future reads'],
    ['key'],
    'a read returned a value whose write began after the read completed',
    "the history's clock is wrong (times from different clocks) or a response was matched to the wrong request",
  ),
  entry(
    'clock-anomaly',
    ['lww'],
    ['clock anomaly', 'clock anomalies'],
    ['key'],
    'recorded `ts` order contradicts real-time order',
    "the clock stamping one region's writes runs behind or ahead (NTP, or a `start-clock-skew` fault)",
  ),
  entry(
    'stuck-saga',
    ['saga'],
    ['stuck saga', 'stuck sagas'],
    [],
    'a saga neither completed nor compensated after quiescence',
    'the saga coordinator stopped driving it (a crash without a durable saga log, a lost message, a timed-out step nobody retried)',
  ),
  entry(
    'missing-compensation',
    ['saga'],
    ['missing compensation', 'missing compensations'],
    ['saga'],
    'a compensated or failed saga left a done step uncompensated',
    'the compensation path skips a step: a timed-out step never compensated (`skip-compensation-on-timeout`), or a failed compensation not retried',
  ),
  entry(
    'spurious-compensation',
    ['saga'],
    ['spurious compensation', 'spurious compensations'],
    ['saga'],
    'a step compensated that never completed',
    'the coordinator compensates steps the saga log does not record as done',
  ),
  entry(
    'wrong-outcome',
    ['saga'],
    ['wrong saga outcome', 'wrong saga outcomes'],
    [],
    "the client's ok/fail disagrees with the saga's status, or an ok checkout has no saga",
    'a checkout acknowledged before its completion was durable, or reported failed before it was rejected or fully compensated',
  ),
  entry(
    'compensation-order',
    ['saga'],
    ['compensation out of order', 'compensations out of order'],
    ['saga'],
    'compensations not in reverse order of their steps',
    'the coordinator undoes steps in the order they ran instead of the reverse',
  ),
  entry(
    'saga-leak',
    ['saga'],
    ['saga leak', 'saga leaks'],
    [],
    "a saga's ledger entries do not net as its outcome says",
    "a step's ledger effect was not reversed by its compensation in the same transaction, or was lost or applied twice",
  ),
  entry(
    'nonlinearizable',
    ['linearizable'],
    ['nonlinearizable key', 'nonlinearizable keys'],
    ['key'],
    "a strong key's ops admit no linearization: a read of a value no op could have written (found by a linear pre-pass), or else a small failing window (shrunk within a budget) is named",
    'a read served from a lagging replica or cache, a write acknowledged before it was durable, or two leaders accepting writes after a partition',
  ),
  entry(
    'slo-violation',
    ['slo'],
    ['SLO violation', 'SLO violations'],
    ['region'],
    "a region's success rate (business rejections excluded) or p99 latency in a phase (before, during, after faults) broke its budget",
    'the region or its dependencies were unreachable (timeouts) or a store refused (the message names the most frequent error)',
  ),
  entry(
    'rto-exceeded',
    ['slo'],
    ['RTO over budget', 'RTOs over budget'],
    ['region'],
    'a region took longer than its budget to serve an ok op again after a fault',
    'slow failure detection (health-check interval and threshold), routing, or promotion of the writer',
  ),
  entry(
    'rpo-exceeded',
    ['slo'],
    ['RPO over budget', 'RPOs over budget'],
    ['region'],
    'acknowledged payments missing from the ledger reach further back before the failover than the budget allows',
    'commits acknowledged before they were durable in the region that was promoted, or an old writer not fenced on failover',
  ),
];

const BY_NAME = new Map(CATALOGUE.map((item) => [item.name, item]));

export function catalogueEntry(name: string): CatalogueEntry | null {
  return BY_NAME.get(name) ?? null;
}

/** "negative balance" / "negative balances"; an unknown name counts as itself. */
export function anomalyNoun(name: string, count: number): string {
  const item = catalogueEntry(name);
  if (item === null) return count === 1 ? `${name} anomaly` : `${name} anomalies`;
  return count === 1 ? item.one : item.many;
}

/** The page's id of a catalogue entry, the target of every link to it. */
export function catalogueAnchor(name: string): string {
  return `catalogue-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
