/**
 * How one attempt of a request becomes two history lines (design.md's vocabulary): the invoke
 * carries the request's arguments, the completion its outcome — ok with the result where the
 * vocabulary has one (a balances result, a read's value, a write's or cas's `ts`), otherwise
 * the invoke's value again, as Jepsen completions do; fail and info repeat the invoke's value
 * and add `error`.
 *
 * What a bank returns with `ok` is checked here, before it can reach a checker: a result of the
 * wrong shape becomes `info` with error "malformed response: ...", because the client cannot
 * tell what happened — it does not crash the run, and the count shows in the load stats.
 */
import type { BankRequest, BankResponse, RegisterValue } from '../bank/api.ts';
import type { OpType } from '../history/op.ts';

export interface OpFields {
  f: string;
  value: unknown;
}

export interface CompletionFields {
  type: Exclude<OpType, 'invoke'>;
  value: unknown;
  error?: string;
  /** Set when an ok response had a result of the wrong shape (recorded as info). */
  malformed?: true;
}

export function invokeFields(request: BankRequest): OpFields {
  switch (request.kind) {
    case 'transfer':
    case 'checkout':
      return {
        f: request.kind,
        value: { id: request.id, from: request.from, to: request.to, amount: request.amount },
      };
    case 'deposit':
    case 'withdraw':
      return {
        f: request.kind,
        value: { id: request.id, account: request.account, amount: request.amount },
      };
    case 'balances':
      return {
        f: 'balances',
        value: request.accounts === null ? null : { accounts: request.accounts },
      };
    case 'write':
      return { f: 'write', value: { key: request.key, value: request.value } };
    case 'read':
      return { f: 'read', value: { key: request.key } };
    case 'cas':
      return { f: 'cas', value: { key: request.key, from: request.from, to: request.to } };
  }
}

export function completionFields(
  request: BankRequest,
  invokeValue: unknown,
  response: BankResponse,
): CompletionFields {
  if (response.outcome === 'rejected')
    return { type: 'fail', value: invokeValue, error: response.error };
  if (response.outcome === 'unknown')
    return { type: 'info', value: invokeValue, error: response.error };
  const result = okValue(request, invokeValue, response.value);
  if (typeof result === 'string') {
    return {
      type: 'info',
      value: invokeValue,
      error: `malformed response: ${result}`,
      malformed: true,
    };
  }
  return { type: 'ok', value: result.value };
}

/** A read's result: the register's value itself, or `{value}` (a bank may echo the key too). */
export function readResultValue(result: unknown): RegisterValue | undefined {
  if (isRegisterValue(result)) return result;
  if (isRecord(result) && 'value' in result && isRegisterValue(result.value)) return result.value;
  return undefined;
}

/** The ok line's value, or a string saying what is wrong with the bank's result. */
function okValue(
  request: BankRequest,
  invokeValue: unknown,
  result: unknown,
): { value: unknown } | string {
  switch (request.kind) {
    case 'balances':
      return balancesResult(result);
    case 'read': {
      const value = readResultValue(result);
      if (value === undefined)
        return `a read of ${request.key} returned ${describe(result)}, not a register value`;
      return { value: { key: request.key, value } };
    }
    case 'write':
    case 'cas': {
      const ts = tsOf(result);
      if (ts === null)
        return `a ${request.kind} of ${request.key} returned ${describe(result)}, not {ts}`;
      const echoed = invokeValue as Record<string, unknown>;
      return { value: ts === undefined ? echoed : { ...echoed, ts } };
    }
    default:
      return { value: invokeValue };
  }
}

function balancesResult(result: unknown): { value: unknown } | string {
  if (!isRecord(result) || typeof result.consistent !== 'boolean' || !isRecord(result.balances)) {
    return `a balances read returned ${describe(result)}, not {balances, consistent}`;
  }
  for (const [account, amount] of Object.entries(result.balances)) {
    if (!Number.isSafeInteger(amount)) return `a balances read gave ${account} ${describe(amount)}`;
  }
  return { value: { balances: result.balances, consistent: result.consistent } };
}

/** A write's `ts`: undefined when the bank gives none, null when what it gives is not one. */
function tsOf(result: unknown): number | undefined | null {
  if (result === undefined || result === null) return undefined;
  if (!isRecord(result)) return null;
  if (result.ts === undefined) return undefined;
  return Number.isSafeInteger(result.ts) ? (result.ts as number) : null;
}

function isRegisterValue(value: unknown): value is RegisterValue {
  return (
    value === null ||
    typeof value === 'string' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
