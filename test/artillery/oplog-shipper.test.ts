/**
 * The op-log shipper against moto's S3 server (path-style, fake credentials): a ship puts the
 * whole local log at s3://bucket/prefix/<file name>, a later ship replaces it with the longer
 * log, ships asked for during an upload all see the lines written before they were asked, and an
 * upload that fails says so on stderr naming the object and leaves the local file.
 */
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OpLogShipper, parseS3Url } from '../../artillery/oplog-shipper.ts';
import { enginePaths } from '../../targets/local/engine-paths.ts';
import { stopProcess } from '../../targets/local/lab-process.ts';
import { type MotoServer, startMoto, waitMotoReady } from '../../targets/local/moto-server.ts';

const REGION = 'ap-northeast-1';
const motoMissing = !existsSync(enginePaths().motoServer);
if (motoMissing)
  console.warn('S3 shipping tests skipped: moto is not provisioned (scripts/provision-moto.sh)');

describe('parseS3Url', () => {
  it('reads a bucket and a prefix, and refuses what is not an s3 URL', () => {
    expect(parseS3Url('s3://game-day-logs/run-7/')).toEqual({
      bucket: 'game-day-logs',
      prefix: 'run-7',
    });
    expect(parseS3Url('s3://game-day-logs')).toEqual({ bucket: 'game-day-logs', prefix: '' });
    expect(parseS3Url('https://game-day-logs/run-7')).toBeUndefined();
    expect(parseS3Url('s3://Bad_Bucket/x')).toBeUndefined();
    expect(parseS3Url('s3://game-day-logs//x')).toBeUndefined();
  });
});

describe.skipIf(motoMissing)('OpLogShipper against moto S3', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-ship-'));
  const dirs = { pidDir: join(dir, 'pids'), logDir: join(dir, 'logs') };
  let moto: MotoServer;
  let s3: S3Client;

  beforeAll(async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'paychaos-test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'paychaos-test');
    moto = await startMoto(dirs, enginePaths().motoServer, REGION);
    await waitMotoReady(moto);
    s3 = new S3Client({ region: REGION, endpoint: moto.url, forcePathStyle: true });
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'game-day-logs',
        CreateBucketConfiguration: { LocationConstraint: REGION },
      }),
    );
  });

  afterAll(async () => {
    s3?.destroy();
    vi.unstubAllEnvs();
    if (moto !== undefined) await stopProcess(dirs.pidDir, moto.record);
    rmSync(dir, { recursive: true, force: true });
  });

  async function objectText(key: string): Promise<string> {
    const got = await s3.send(new GetObjectCommand({ Bucket: 'game-day-logs', Key: key }));
    return (await got.Body?.transformToString()) ?? '';
  }

  it('puts the log, then the longer log, under the prefix', async () => {
    const file = join(dir, 'worker-a.jsonl');
    writeFileSync(file, '{"opLog":1,"source":"worker","worker":"a"}\n');
    const shipper = new OpLogShipper(
      file,
      { bucket: 'game-day-logs', prefix: 'run-7' },
      { endpoint: moto.url, region: REGION },
    );
    expect(shipper.objectUrl).toBe('s3://game-day-logs/run-7/worker-a.jsonl');
    expect(await shipper.ship()).toBe(true);
    expect(await objectText('run-7/worker-a.jsonl')).toBe(readFileSync(file, 'utf8'));
    const ships: Promise<boolean>[] = [];
    for (let i = 0; i < 5; i += 1) {
      appendFileSync(file, `{"line":${i}}\n`);
      ships.push(shipper.ship());
    }
    expect(await Promise.all(ships)).toEqual([true, true, true, true, true]);
    expect(await objectText('run-7/worker-a.jsonl')).toBe(readFileSync(file, 'utf8'));
    shipper.close();
  });

  it('says on stderr which object failed and keeps the local file', async () => {
    const file = join(dir, 'worker-b.jsonl');
    writeFileSync(file, '{"opLog":1,"source":"worker","worker":"b"}\n');
    const shipper = new OpLogShipper(
      file,
      { bucket: 'no-such-bucket', prefix: 'run-7' },
      { endpoint: moto.url, region: REGION },
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await shipper.ship()).toBe(false);
      const lines = stderr.mock.calls.map((call) => String(call[0]));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^paychaos: op log not shipped to s3:\/\/no-such-bucket\/run-7\/worker-b\.jsonl: .+; it stays at .*worker-b\.jsonl\n$/,
      );
    } finally {
      stderr.mockRestore();
      shipper.close();
    }
    expect(existsSync(file)).toBe(true);
  });
});
