/**
 * One call of an AWS REST-JSON API that the pinned SDK client does not model (client-fis 3.523.0
 * has no safety lever operations): the request is signed with SigV4 (@smithy/signature-v4, the
 * SDK's own signer) with credentials from the caller's provider (the SDK's default chain), sent
 * with a bounded timeout, and its answer read up to a bounded size. A reply other than 2xx is an
 * `AwsHttpError` carrying the HTTP status and the AWS error code, as the SDK would name it.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, Hash, SourceData } from '@smithy/types';

/** An answer larger than this is no answer of these small APIs: it is refused. */
const RESPONSE_BYTES_MAX = 1_048_576;

export interface SignedJsonTarget {
  service: string;
  region: string;
  /** `https://host[:port]`, no path. */
  endpoint: string;
  credentials: AwsCredentialIdentityProvider;
  timeoutMs: number;
}

/** The service answered with an error (or something that is not its answer). */
export class AwsHttpError extends Error {
  constructor(
    readonly region: string,
    readonly httpStatus: number,
    readonly code: string,
    detail: string,
  ) {
    super(`${region}: HTTP ${httpStatus} ${code}${detail === '' ? '' : `: ${detail}`}`);
    this.name = 'AwsHttpError';
  }
}

/** SHA-256 (HMAC-SHA-256 with a secret) for the signer, from node's crypto. */
class NodeSha256 implements Hash {
  private readonly hash;

  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function bytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** Sends `method path` with `body` as JSON, signed; resolves to the parsed JSON answer. */
export async function signedJsonRequest(
  target: SignedJsonTarget,
  method: 'GET' | 'PATCH',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const url = new URL(path, target.endpoint);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const signer = new SignatureV4({
    service: target.service,
    region: target.region,
    credentials: target.credentials,
    sha256: NodeSha256,
  });
  const signed = await signer.sign({
    method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: url.pathname,
    query: {},
    headers: {
      host: url.host,
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined ? {} : { body: payload }),
  });
  // fetch sets Host from the URL itself, to the value signed above.
  const { host: _host, ...headers } = signed.headers;
  let response: Response;
  let text: string;
  try {
    // The timeout covers the answer's body too: the signal aborts its stream.
    response = await fetch(url, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
      signal: AbortSignal.timeout(target.timeoutMs),
    });
    text = await boundedText(response, target.region);
  } catch (error) {
    if (error instanceof AwsHttpError) throw error;
    throw new Error(
      `${target.region}: ${method} ${url.origin}${url.pathname}: ${sendFailure(error, target.timeoutMs)}`,
    );
  }
  const json = parseJson(text);
  if (!response.ok) {
    throw new AwsHttpError(
      target.region,
      response.status,
      errorCodeOf(response.headers.get('x-amzn-errortype'), json),
      errorMessageOf(json, text),
    );
  }
  if (json === undefined) {
    throw new AwsHttpError(
      target.region,
      response.status,
      'NotJson',
      `expected JSON, got ${text.slice(0, 200)}`,
    );
  }
  return json;
}

/** fetch rejects with a TimeoutError, or a TypeError whose cause is the socket's error. */
function sendFailure(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  return error.cause instanceof Error ? error.cause.message : error.message;
}

async function boundedText(response: Response, region: string): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body ?? []) {
    total += chunk.byteLength;
    // Leaving the loop by the throw cancels the stream.
    if (total > RESPONSE_BYTES_MAX) {
      throw new AwsHttpError(
        region,
        response.status,
        'TooLarge',
        `answer over ${RESPONSE_BYTES_MAX} bytes`,
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * REST-JSON names the error in `x-amzn-ErrorType` (`ConflictException:http://...`), else in the
 * body's `__type` (`namespace#ConflictException`) or `code`.
 */
function errorCodeOf(header: string | null, json: unknown): string {
  const fromBody = (json as { __type?: unknown; code?: unknown } | undefined) ?? {};
  const named =
    header ??
    (typeof fromBody.__type === 'string' ? fromBody.__type : undefined) ??
    (typeof fromBody.code === 'string' ? fromBody.code : undefined);
  if (named === undefined) return 'UnknownError';
  return named.split(':')[0]!.split('#').at(-1)!;
}

function errorMessageOf(json: unknown, text: string): string {
  const body = (json as { message?: unknown; Message?: unknown } | undefined) ?? {};
  const message = body.message ?? body.Message;
  if (typeof message === 'string') return message;
  return json === undefined ? text.slice(0, 200) : '';
}
