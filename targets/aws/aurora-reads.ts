/**
 * The ledger and the saga log from the Aurora writer, by the queries the config names (the
 * team's schema is theirs). Each row is checked for the shape design.md gives the `ledger` and `sagas` lines; a row of
 * another shape fails loudly, naming the query's row.
 */
import type pg from 'pg';
import type { LedgerEntry, SagaRecord } from '../../history/op.ts';

export const FINAL_ROWS_MAX = 10_000_000;

function rowsOf(result: pg.QueryResult, what: string): Record<string, unknown>[] {
  if (result.rows.length > FINAL_ROWS_MAX) throw new Error(`${what}: over ${FINAL_ROWS_MAX} rows`);
  return result.rows as Record<string, unknown>[];
}

function integerOf(value: unknown, what: string): number {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new Error(`${what}: expected an integer, got ${JSON.stringify(value)}`);
  }
  return n;
}

function textOf(value: unknown, what: string): string {
  if (typeof value !== 'string')
    throw new Error(`${what}: expected text, got ${JSON.stringify(value)}`);
  return value;
}

export async function readLedger(client: pg.ClientBase, query: string): Promise<LedgerEntry[]> {
  const rows = rowsOf(await client.query(query), 'the ledger query');
  return rows.map((row, i) => ({
    tx: textOf(row.tx, `ledger row ${i}: tx`),
    account: textOf(row.account, `ledger row ${i}: account`),
    amount: integerOf(row.amount, `ledger row ${i}: amount`),
  }));
}

const SAGA_STATUSES = new Set(['completed', 'compensated', 'failed', 'pending']);
const STEP_STATUSES = new Set(['done', 'failed', 'compensated', 'pending']);

export async function readSagas(client: pg.ClientBase, query: string): Promise<SagaRecord[]> {
  const rows = rowsOf(await client.query(query), 'the sagas query');
  return rows.map((row, i) => {
    const what = `sagas row ${i}`;
    const status = textOf(row.status, `${what}: status`);
    if (!SAGA_STATUSES.has(status))
      throw new Error(`${what}: status ${status} is not a saga status`);
    const steps = typeof row.steps === 'string' ? JSON.parse(row.steps) : row.steps;
    if (!Array.isArray(steps)) throw new Error(`${what}: steps: expected a JSON array`);
    return {
      id: textOf(row.id, `${what}: id`),
      status: status as SagaRecord['status'],
      steps: steps.map((step: Record<string, unknown>, j: number) => {
        const stepStatus = textOf(step.status, `${what}: steps[${j}].status`);
        if (!STEP_STATUSES.has(stepStatus))
          throw new Error(`${what}: steps[${j}]: status ${stepStatus}`);
        return {
          name: textOf(step.name, `${what}: steps[${j}].name`),
          status: stepStatus as SagaRecord['steps'][number]['status'],
          ...(step.at === undefined ? {} : { at: integerOf(step.at, `${what}: steps[${j}].at`) }),
          ...(step.compensatedAt === undefined
            ? {}
            : {
                compensatedAt: integerOf(step.compensatedAt, `${what}: steps[${j}].compensatedAt`),
              }),
        };
      }),
    };
  });
}
