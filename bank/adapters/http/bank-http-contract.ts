/**
 * The bank's HTTP contract (docs/bank-api.openapi.json), shared by the service and the load
 * driver's HTTP transport so that the two cannot drift apart:
 *
 * - `POST /v1/<kind>` for each request of bank/api.ts, the body its fields without `kind`;
 *   answered 200 with the BankResponse (`ok` with an optional value, `rejected` or `unknown` with
 *   an error). A decided outcome is always 200: the status says the exchange worked, the body
 *   says what happened to the payment.
 * - `GET /v1/health`: 200 `{"status": "ok", "region"}` while the region's bank serves.
 * - `POST /v1/final/ledger` and `POST /v1/final/sagas`: one page of the ledger or the saga log, as
 *   the writer holds it, for the harness's final read (`{"after", "limit"}` in, `{"items",
 *   "next"}` out; `next` null on the last page). A service that keeps no such log cannot be
 *   judged for lost payments; the reference service answers them from any region.
 * - 400 `{"error"}` for a body that does not validate, 404 for an unknown path, 405 for a wrong
 *   method, 413 for a body over BODY_BYTES_MAX. A client treats anything but a 200 with a valid
 *   BankResponse as no answer (unknown outcome).
 */
import { z } from 'zod';
import type { LedgerEntry, SagaRecord } from '../../../history/op.ts';
import type { BankRequest, BankRequestKind, BankResponse } from '../../api.ts';
import { FINAL_PAGE_ENTRIES_MAX } from '../../bank-config.ts';

export const API_PREFIX = '/v1';
export const HEALTH_PATH = `${API_PREFIX}/health`;
/** A request body larger than this is refused (413): a bank request is a few hundred bytes. */
export const BODY_BYTES_MAX = 64 * 1024;

const id = z.string().min(1).max(256);
const account = z.string().min(1).max(256);
const amount = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const table = z.enum(['eventual', 'strong']);
const registerValue = z.union([z.string(), z.number(), z.null()]);

const bodies = {
  transfer: z.strictObject({ id, from: account, to: account, amount }),
  deposit: z.strictObject({ id, account, amount }),
  withdraw: z.strictObject({ id, account, amount }),
  balances: z.strictObject({
    accounts: z.array(account).max(100_000).nullable(),
    consistent: z.boolean(),
  }),
  checkout: z.strictObject({ id, from: account, to: account, amount }),
  write: z.strictObject({ table, key: id, value: registerValue }),
  read: z.strictObject({ table, key: id }),
  cas: z.strictObject({ table, key: id, from: registerValue, to: registerValue }),
} satisfies Record<BankRequestKind, z.ZodType>;

export const REQUEST_KINDS = Object.keys(bodies) as BankRequestKind[];

export function requestPath(kind: BankRequestKind): string {
  return `${API_PREFIX}/${kind}`;
}

/** The kind a path names, or undefined. */
export function kindOfPath(path: string): BankRequestKind | undefined {
  const kind = path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length + 1) : '';
  return (REQUEST_KINDS as string[]).includes(kind) ? (kind as BankRequestKind) : undefined;
}

/** The body a request is sent with: its fields without `kind`. */
export function requestBody(request: BankRequest): Record<string, unknown> {
  const { kind: _kind, ...fields } = request;
  return fields;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function issues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

export function parseRequest(kind: BankRequestKind, body: unknown): Parsed<BankRequest> {
  const parsed = bodies[kind].safeParse(body);
  if (!parsed.success) return { ok: false, error: `${kind}: ${issues(parsed.error)}` };
  return { ok: true, value: { kind, ...parsed.data } as BankRequest };
}

const responseSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('ok'), value: z.unknown().optional() }),
  z.strictObject({ outcome: z.literal('rejected'), error: z.string() }),
  z.strictObject({ outcome: z.literal('unknown'), error: z.string() }),
]);

export function parseResponse(body: unknown): Parsed<BankResponse> {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: `response: ${issues(parsed.error)}` };
  return { ok: true, value: parsed.data as BankResponse };
}

const healthSchema = z.object({ status: z.literal('ok'), region: z.string() });

export function isHealthy(body: unknown, region: string): boolean {
  const parsed = healthSchema.safeParse(body);
  return parsed.success && parsed.data.region === region;
}

/** The final state's logs, each read a page at a time from the writer. */
export type FinalLog = 'ledger' | 'sagas';
export const FINAL_LOGS: readonly FinalLog[] = ['ledger', 'sagas'];

export function finalLogPath(log: FinalLog): string {
  return `${API_PREFIX}/final/${log}`;
}

export function finalLogOfPath(path: string): FinalLog | undefined {
  return FINAL_LOGS.find((log) => finalLogPath(log) === path);
}

/** `after`: the `next` of the page before (null for the first); opaque to the client. */
export interface FinalPageRequest {
  after: string | null;
  limit: number;
}

export interface FinalPage<T> {
  items: T[];
  /** Where the next page starts; null when this page is the last. */
  next: string | null;
}

const finalPageRequestSchema = z.strictObject({
  after: z.string().min(1).max(1024).nullable(),
  limit: z.number().int().min(1).max(FINAL_PAGE_ENTRIES_MAX),
});

export function parseFinalPageRequest(log: FinalLog, body: unknown): Parsed<FinalPageRequest> {
  const parsed = finalPageRequestSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: `final/${log}: ${issues(parsed.error)}` };
  return { ok: true, value: parsed.data };
}

const ledgerEntrySchema = z.strictObject({
  tx: z.string().min(1),
  account: z.string().min(1),
  amount: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
});

const timeNs = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const sagaRecordSchema = z.strictObject({
  id: z.string().min(1),
  status: z.enum(['completed', 'compensated', 'failed', 'pending']),
  steps: z.array(
    z.strictObject({
      name: z.string().min(1),
      status: z.enum(['done', 'failed', 'compensated', 'pending']),
      at: timeNs.optional(),
      compensatedAt: timeNs.optional(),
    }),
  ),
});

function pageSchema<T extends z.ZodType>(item: T) {
  return z.strictObject({
    items: z.array(item).max(FINAL_PAGE_ENTRIES_MAX),
    next: z.string().min(1).max(1024).nullable(),
  });
}

const ledgerPageSchema = pageSchema(ledgerEntrySchema);
const sagasPageSchema = pageSchema(sagaRecordSchema);

export function parseLedgerPage(body: unknown): Parsed<FinalPage<LedgerEntry>> {
  const parsed = ledgerPageSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: `final/ledger: ${issues(parsed.error)}` };
  return { ok: true, value: parsed.data };
}

export function parseSagasPage(body: unknown): Parsed<FinalPage<SagaRecord>> {
  const parsed = sagasPageSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: `final/sagas: ${issues(parsed.error)}` };
  return { ok: true, value: parsed.data as FinalPage<SagaRecord> };
}
