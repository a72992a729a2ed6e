/**
 * The bundled processor with `--oplog-s3`, against moto's S3 and a bank that answers 503: one
 * arrival settled at the end of the load (the fixture's load is shorter than the ship interval)
 * has put the worker's whole op log in S3 before the arrival returns — the process exits right
 * after, as Artillery may end a worker once its last virtual user is done.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../artillery/build-bundle.ts';
import { loadScenario } from '../../scenario-dsl/load-scenario.ts';
import { enginePaths } from '../../targets/local/engine-paths.ts';
import { stopProcess } from '../../targets/local/lab-process.ts';
import { type MotoServer, startMoto, waitMotoReady } from '../../targets/local/moto-server.ts';

const REGION = 'ap-northeast-1';
const BUCKET = 'game-day';
const SCENARIO = join(
  import.meta.dirname,
  '..',
  'run',
  'targets',
  'local',
  'fixtures',
  'lab-isolation.ts',
);
const motoMissing = !existsSync(enginePaths().motoServer);
if (motoMissing) console.warn('processor S3 test skipped: moto is not provisioned');

/** One arrival in a child process, as an Artillery worker runs it, then an immediate exit. */
const ONE_ARRIVAL = `
const processor = require(process.argv[1]);
// The script's variables, as Artillery hands them to every virtual user.
const context = { vars: { ...JSON.parse(process.argv[3]), $environment: process.argv[2] } };
const events = { emit() {} };
processor.paychaosArrival(context, events).then(
  () => process.exit(0),
  (error) => { console.error(error); process.exit(1); },
);
`;

describe.skipIf(motoMissing)(
  'the bundled processor ships its op log to S3',
  { timeout: 120_000 },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-processor-s3-'));
    const dirs = { pidDir: join(dir, 'pids'), logDir: join(dir, 'logs') };
    let moto: MotoServer;
    let s3: S3Client;
    let bank: Server;

    beforeAll(async () => {
      moto = await startMoto(dirs, enginePaths().motoServer, REGION);
      await waitMotoReady(moto);
      s3 = new S3Client({
        region: REGION,
        endpoint: moto.url,
        forcePathStyle: true,
        credentials: { accessKeyId: 'paychaos-test', secretAccessKey: 'paychaos-test' },
      });
      await s3.send(
        new CreateBucketCommand({
          Bucket: BUCKET,
          CreateBucketConfiguration: { LocationConstraint: REGION },
        }),
      );
      bank = createServer((_, response) => {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end('{"error":"unavailable"}');
      });
      await new Promise<void>((resolve) => bank.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      s3?.destroy();
      await new Promise<void>((resolve) =>
        bank === undefined ? resolve() : bank.close(() => resolve()),
      );
      if (moto !== undefined) await stopProcess(dirs.pidDir, moto.record);
      rmSync(dir, { recursive: true, force: true });
    });

    it('puts the whole local log at s3://bucket/prefix/<file> before the arrival returns', async () => {
      const scenario = await loadScenario(SCENARIO);
      const url = `http://127.0.0.1:${(bank.address() as AddressInfo).port}`;
      const endpoints = Object.fromEntries(scenario.regions.map((region) => [region, url]));
      const bundle = await buildBundle(scenario, {
        outDir: join(dir, 'bundle'),
        seed: 7,
        workersPerRegion: 1,
        script: { perLocalWorker: false, endpoints, oplogS3: `s3://${BUCKET}/run-1` },
        wallClockErrorMs: 10,
        wallEpochMs: Date.now(),
      });
      const script = JSON.parse(readFileSync(bundle.scriptFile, 'utf8')) as {
        config: { variables: Record<string, unknown> };
      };
      const logDir = join(dir, 'worker-ops');
      const child = promisify(execFile)(
        process.execPath,
        [
          '-e',
          ONE_ARRIVAL,
          bundle.processorFile,
          scenario.regions[0]!,
          JSON.stringify(script.config.variables),
        ],
        {
          cwd: dir,
          timeout: 60_000,
          env: {
            ...process.env,
            PAYCHAOS_LOG_DIR: logDir,
            PAYCHAOS_S3_ENDPOINT: moto.url,
            AWS_ACCESS_KEY_ID: 'paychaos-test',
            AWS_SECRET_ACCESS_KEY: 'paychaos-test',
            AWS_REGION: REGION,
          },
        },
      );
      const { stderr } = await child;
      expect(stderr).toBe('');
      const [file, ...others] = readdirSync(logDir);
      expect(others).toEqual([]);
      const local = readFileSync(join(logDir, file!), 'utf8');
      expect(local).toMatch(/"type":"invoke"/);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'run-1/' }));
      expect((listed.Contents ?? []).map((object) => object.Key)).toEqual([`run-1/${file}`]);
      const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `run-1/${file}` }));
      const shipped = (await got.Body?.transformToString()) ?? '';
      // The completion line is the last op line: the shipped log must hold it.
      expect(shipped).toBe(local);
      expect(
        shipped.split('\n').filter((line) => line.includes('"type":')).length,
      ).toBeGreaterThanOrEqual(2);
    });
  },
);
