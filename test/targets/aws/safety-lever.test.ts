/**
 * The FIS safety lever as signed requests, against a local HTTP server standing in for FIS: the
 * server checks the method, the path, the JSON body and the SigV4 `authorization` header (service
 * fis, the region, and a signature it recomputes from the headers it received, so a header the
 * client signed but sent otherwise fails), and answers in the documented shape; or with an AWS
 * error; or not at all.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SourceData } from '@smithy/types';
import { afterEach, describe, expect, it } from 'vitest';
import { engageSafetyLever, getSafetyLever } from '../../../targets/aws/safety-lever.ts';
import type { SignedJsonTarget } from '../../../targets/aws/signed-json-request.ts';

const CREDENTIALS = {
  accessKeyId: 'AKIAFAKELEVER0000001',
  secretAccessKey: 'fakeLeverSecret/0123456789abcdefghijklmn',
  sessionToken: 'FakeLeverSessionToken',
};
const REGION = 'ap-northeast-3';
const ARN = `arn:aws:fis:${REGION}:111122223333:safety-lever/default`;

interface Seen {
  method: string;
  path: string;
  body: unknown;
  authorization: string;
  signatureMatches: boolean;
}

type Reply = (seen: Seen, response: ServerResponse) => void;

let server: Server | undefined;
afterEach(async () => {
  const running = server;
  server = undefined;
  if (running === undefined) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
});

/** The signer's SHA-256 (HMAC with a secret), for the server's own signing. */
class TestSha256 {
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
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

/** Recomputes the signature from what arrived: the signed headers, as received, and the body. */
async function signatureMatches(request: IncomingMessage, body: string): Promise<boolean> {
  const authorization = request.headers.authorization ?? '';
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(request.headers[name] ?? '');
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const [hostname, port] = String(request.headers.host).split(':');
  const signer = new SignatureV4({
    service: 'fis',
    region: REGION,
    credentials: CREDENTIALS,
    sha256: TestSha256,
  });
  const again = await signer.sign(
    {
      method: request.method ?? '',
      protocol: 'http:',
      hostname: hostname!,
      port: Number(port),
      path: request.url ?? '',
      query: {},
      headers,
      ...(body === '' ? {} : { body }),
    },
    { signingDate },
  );
  return again.headers.authorization === authorization;
}

async function fakeFis(reply: Reply): Promise<{ target: SignedJsonTarget; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    request.on('end', async () => {
      const one: Seen = {
        method: request.method ?? '',
        path: request.url ?? '',
        body: text === '' ? undefined : JSON.parse(text),
        authorization: request.headers.authorization ?? '',
        signatureMatches: await signatureMatches(request, text),
      };
      seen.push(one);
      reply(one, response);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: {
      service: 'fis',
      region: REGION,
      endpoint: `http://127.0.0.1:${port}`,
      credentials: () => Promise.resolve(CREDENTIALS),
      timeoutMs: 2_000,
    },
    seen,
  };
}

function json(response: ServerResponse, status: number, body: unknown, errorType?: string) {
  response.writeHead(status, {
    'content-type': 'application/json',
    ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
  });
  response.end(JSON.stringify(body));
}

const lever = (status: string, reason: string) => ({
  safetyLever: { id: 'default', arn: ARN, state: { status, reason } },
});

describe('engageSafetyLever', () => {
  it('sends PATCH /safetyLevers/default/state, signed for fis in the region, and reads the answer', async () => {
    const { target, seen } = await fakeFis((_, response) =>
      json(response, 200, lever('engaging', 'game day abort')),
    );
    const engaged = await engageSafetyLever(target, 'game day abort');
    expect(engaged).toEqual({
      lever: { id: 'default', arn: ARN, status: 'engaging', reason: 'game day abort' },
      already: false,
    });
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request).toMatchObject({
      method: 'PATCH',
      path: '/safetyLevers/default/state',
      body: { state: { status: 'engaged', reason: 'game day abort' } },
      signatureMatches: true,
    });
    expect(request!.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/fis/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$`,
      ),
    );
  });

  it('fails with one message naming the region, the HTTP status and the AWS error code', async () => {
    const { target } = await fakeFis((_, response) =>
      json(
        response,
        403,
        { message: 'User is not authorized to perform fis:UpdateSafetyLeverState' },
        'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/',
      ),
    );
    await expect(engageSafetyLever(target, 'abort')).rejects.toThrow(
      `${REGION}: HTTP 403 AccessDeniedException: User is not authorized to perform fis:UpdateSafetyLeverState`,
    );
  });

  it('takes a 409 on a lever already engaged as engaged, read back with GetSafetyLever', async () => {
    const { target, seen } = await fakeFis((request, response) => {
      if (request.method === 'PATCH')
        json(response, 409, { __type: 'com.amazonaws.fis#ConflictException', message: 'engaged' });
      else json(response, 200, lever('engaged', 'earlier abort'));
    });
    const engaged = await engageSafetyLever(target, 'abort');
    expect(engaged.already).toBe(true);
    expect(engaged.lever.status).toBe('engaged');
    expect(seen.map((s) => `${s.method} ${s.path} ${s.signatureMatches}`)).toEqual([
      'PATCH /safetyLevers/default/state true',
      'GET /safetyLevers/default true',
    ]);
  });

  it('keeps a 409 on a disengaged lever a failure', async () => {
    const { target } = await fakeFis((request, response) => {
      if (request.method === 'PATCH') json(response, 409, { message: 'busy' }, 'ConflictException');
      else json(response, 200, lever('disengaged', 'open'));
    });
    await expect(engageSafetyLever(target, 'abort')).rejects.toThrow(
      `${REGION}: HTTP 409 ConflictException: busy`,
    );
  });

  it('refuses an answer not in the documented shape, and bounds the wait', async () => {
    const shape = await fakeFis((_, response) => json(response, 200, { lever: 'engaged' }));
    await expect(getSafetyLever(shape.target)).rejects.toThrow(
      /GetSafetyLever answered \{"lever":"engaged"\}; expected \{"safetyLever"/,
    );
    const shaped = server!;
    shaped.closeAllConnections();
    await new Promise((resolve) => shaped.close(resolve));
    const silent = await fakeFis(() => undefined);
    const startedMs = Date.now();
    await expect(engageSafetyLever({ ...silent.target, timeoutMs: 300 }, 'abort')).rejects.toThrow(
      new RegExp(
        `^${REGION}: PATCH http://127\\.0\\.0\\.1:\\d+/safetyLevers/default/state: no answer within 300 ms$`,
      ),
    );
    expect(Date.now() - startedMs).toBeLessThan(2_000);
  });

  it('bounds an answer in size, and a body that stops coming in time', async () => {
    const large = await fakeFis((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"pad":"${'x'.repeat(1_100_000)}"}`);
    });
    await expect(getSafetyLever(large.target)).rejects.toThrow(
      `${REGION}: HTTP 200 TooLarge: answer over 1048576 bytes`,
    );
    const first = server!;
    first.closeAllConnections();
    await new Promise((resolve) => first.close(resolve));
    const stalled = await fakeFis((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"safetyLever":');
    });
    await expect(getSafetyLever({ ...stalled.target, timeoutMs: 300 })).rejects.toThrow(
      /: GET http:\/\/127\.0\.0\.1:\d+\/safetyLevers\/default: no answer within 300 ms$/,
    );
  });
});
