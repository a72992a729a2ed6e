/**
 * The op model of design.md: one line of history.jsonl. It follows Jepsen's history model so
 * that Jepsen histories convert to it and Jepsen users read it at a glance.
 */

export const OP_TYPES = ['invoke', 'ok', 'fail', 'info'] as const;
export type OpType = (typeof OP_TYPES)[number];

export const SPECIAL_PROCESSES = ['nemesis', 'setup', 'final'] as const;
export type SpecialProcess = (typeof SPECIAL_PROCESSES)[number];

/** A client is an integer; the harness's own lines use the special names. */
export type Process = number | SpecialProcess;

/** An op whose index has not been assigned yet: what a writer is handed. */
export interface OpDraft {
  /** Nanoseconds since the run started, from a monotonic clock. */
  time: number;
  process: Process;
  type: OpType;
  f: string;
  value?: unknown;
  region?: string;
  error?: string;
  /** Unknown keys are kept and passed through; checkers ignore them. */
  [key: string]: unknown;
}

export interface Op extends OpDraft {
  /** 0, 1, 2, ... in file order. */
  index: number;
}

export function isClientProcess(process: Process): process is number {
  return typeof process === 'number';
}

/** Amounts and balances are integers in minor units (yen, cents). */
export type Amount = number;

/**
 * The op vocabulary of design.md, declared once: the payments (money moves between accounts or
 * enters and leaves), the bank's client ops (the payments and the balances read), and the
 * register ops.
 */
export const PAYMENT_FS = ['transfer', 'deposit', 'withdraw'] as const;
export type PaymentF = (typeof PAYMENT_FS)[number];
export const BANK_FS = [...PAYMENT_FS, 'balances'] as const;
export type BankF = (typeof BANK_FS)[number];
export const REGISTER_FS: ReadonlySet<string> = new Set(['read', 'write', 'cas']);

const PAYMENT_F_SET: ReadonlySet<string> = new Set(PAYMENT_FS);
const BANK_F_SET: ReadonlySet<string> = new Set(BANK_FS);

export function isPaymentF(f: string): f is PaymentF {
  return PAYMENT_F_SET.has(f);
}

export function isBankF(f: string): f is BankF {
  return BANK_F_SET.has(f);
}

export interface InitValue {
  accounts?: Record<string, Amount>;
  registers?: Record<string, unknown>;
  strong?: string[];
}

export interface TransferValue {
  id: string;
  from: string;
  to: string;
  amount: Amount;
}

export interface AccountOpValue {
  id: string;
  account: string;
  amount: Amount;
}

export interface BalancesResult {
  /** null: the bank returned no balance for the account (Jepsen's :nil-balance). */
  balances: Record<string, Amount | null>;
  consistent: boolean;
}

export interface LedgerEntry {
  tx: string;
  account: string;
  amount: Amount;
}

export type SagaStatus = 'completed' | 'compensated' | 'failed' | 'pending';
export type SagaStepStatus = 'done' | 'failed' | 'compensated' | 'pending';

export interface SagaStep {
  name: string;
  status: SagaStepStatus;
  at?: number;
  compensatedAt?: number;
}

export interface SagaRecord {
  id: string;
  status: SagaStatus;
  steps: SagaStep[];
}

export interface FinalReadValue {
  accounts?: Record<string, Amount>;
  registers?: Record<string, unknown>;
  ts?: Record<string, number>;
}

/**
 * A client operation once its outcome is known: the invoke, and the completion line (null when
 * the history ended with the op still in flight, which counts as `info`).
 */
export interface ClientOp {
  invoke: Op;
  completion: Op | null;
  /** `info` also covers an op still pending at the end of the history. */
  type: 'ok' | 'fail' | 'info';
  /** When the op was invoked. */
  startNs: number;
  /**
   * When it is known to have completed. An `info` (or pending) op may take effect at any later
   * point, so its interval is open to the end of time: Infinity.
   */
  endNs: number;
}

/**
 * The setup line that carries a scenario's steady-state budgets into the history
 * (`{"process": "setup", "f": "slo", ...}`), so that `paychaos check` judges them from the history
 * alone. Its value is described in docs/history-format.md.
 */
export const SLO_SETUP_F = 'slo';

/**
 * The setup line in which a run promises, before its first client op, the final reads it will
 * take (`{"process": "setup", "f": "plan", "value": {"final": [{"f", "region"?}]}}`), and the
 * final line that seals them once every one was written (`{"process": "final", "f": "end"}`). A
 * history that holds the promise but not the seal was cut short, and proves nothing: see
 * checkers/completeness.ts and docs/history-format.md.
 */
export const PLAN_SETUP_F = 'plan';
export const END_FINAL_F = 'end';

/** One final read a plan promises: `final-read` names its region; `ledger` and `sagas` do not. */
export interface PlannedRead {
  f: string;
  region?: string;
}

export interface PlanValue {
  final: PlannedRead[];
}

/** Set on the end line of a run that a signal stopped before its load ran out. */
export interface InterruptedValue {
  /** The signal, e.g. "SIGINT". */
  signal: string;
  /** When the run noticed it, in the history's own clock. */
  atNs: number;
}

export interface EndValue {
  interrupted?: InterruptedValue;
}
