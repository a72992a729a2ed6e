/**
 * Registers. The `eventual` table is a key-value global table: a write is a put on the local
 * replica (its ok carries the replication timestamp), a read a local get, a cas a put conditional
 * on the local replica. The `strong` table lives in the SQL cluster: every op is a transaction on
 * the writer, so it is linearizable.
 */
import type { BankRequest, BankResponse, RegisterValue } from './api.ts';
import type { InstanceContext } from './region-ports.ts';
import { answering, ok, rejected } from './responses.ts';
import { parseRegisterRow, TABLE } from './sql-schema.ts';

type RegisterRequest = Extract<BankRequest, { kind: 'write' | 'read' | 'cas' }>;

export const CAS_MISMATCH = 'cas: the register does not hold the expected value';

export function handleRegister(
  ctx: InstanceContext,
  request: RegisterRequest,
): Promise<BankResponse> {
  return answering(() =>
    request.table === 'eventual' ? eventual(ctx, request) : strong(ctx, request),
  );
}

/** Under 'skewed-clock-lww' writes carry the bank's own region clock as their LWW timestamp. */
function stamp(ctx: InstanceContext): { tsUs?: number } {
  return ctx.config.bugs.has('skewed-clock-lww') ? { tsUs: ctx.ports.clock.nowUs() } : {};
}

async function eventual(ctx: InstanceContext, request: RegisterRequest): Promise<BankResponse> {
  const table = ctx.ports.registers;
  if (request.kind === 'read') {
    const item = await table.get(request.key);
    return ok({ key: request.key, value: item?.value ?? null });
  }
  if (request.kind === 'write') {
    const result = await table.put(request.key, request.value, stamp(ctx));
    if (!result.ok) throw new Error(`an unconditional put of ${request.key} failed its condition`);
    return ok({ ts: result.tsUs });
  }
  const expected = request.from;
  const result = await table.put(request.key, request.to, {
    ...stamp(ctx),
    condition: (current) => (current ?? null) === expected,
  });
  return result.ok ? ok({ ts: result.tsUs }) : rejected(CAS_MISMATCH);
}

async function strong(ctx: InstanceContext, request: RegisterRequest): Promise<BankResponse> {
  const options = { waitForReplication: ctx.config.waitForReplication };
  const done = await ctx.ports.sql.transaction(async (tx): Promise<boolean | RegisterValue> => {
    const row = await tx.get(TABLE.registers, request.key);
    const current = row === undefined ? null : parseRegisterRow(row, request.key).value;
    if (request.kind === 'read' || (request.kind === 'cas' && current !== request.from)) {
      // What was read is rewritten, as a read through the log: the write that put it there may
      // have committed on the writer without replicating yet (its client timed out waiting), and
      // a failover would lose it after this answer showed it. This commit waits for replication
      // and follows that write in the log. No row: registers are never deleted, so absent is
      // durable.
      if (row !== undefined) await tx.put(TABLE.registers, request.key, row);
      return request.kind === 'read' ? current : false;
    }
    await tx.put(TABLE.registers, request.key, {
      value: request.kind === 'write' ? request.value : request.to,
    });
    return true;
  }, options);
  if (request.kind === 'read') return ok({ key: request.key, value: done });
  return done === true ? ok() : rejected(CAS_MISMATCH);
}
