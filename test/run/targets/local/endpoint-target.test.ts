/**
 * `paychaos run --target local --endpoint REGION=URL`: the scenario's load at a service the
 * harness did not start. The reference bank is started on its own here (on a lab in a temporary
 * directory, in this process) and the command, in a child process as a user runs it, drives it
 * through the contract and judges it VALID. The refusals need no service and always run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LabBank, startLabBank } from '../../../../run/targets/local/lab-bank.ts';
import { loadScenario } from '../../../../scenario-dsl/load-scenario.ts';
import { enginePaths } from '../../../../targets/local/engine-paths.ts';
import { type LabDirs, labDirs, labDown, labUp } from '../../../../targets/local/lab.ts';
import { wallNowUs } from '../../../../targets/local/lab-clocks.ts';
import { LabNetwork } from '../../../../targets/local/lab-network.ts';
import { LinkFaults } from '../../../../targets/local/link-faults.ts';
import { ToxiproxyClient } from '../../../../targets/local/toxiproxy-client.ts';
import { runCli } from '../../../support/run-cli.ts';
import { enginesMissing } from '../../../targets/local/support/engines.ts';

const BIN = join(import.meta.dirname, '..', '..', '..', '..', 'bin', 'paychaos.js');
const SCENARIO = join(import.meta.dirname, 'fixtures', 'own-service.ts');
const RUN_MS_MAX = 150_000;

describe('--endpoint refuses what it cannot do, in one line', () => {
  const out = mkdtempSync(join(tmpdir(), 'paychaos-endpoint-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const run = (...args: string[]) => runCli(['run', ...args, '--out', out]);

  it('names the flag and what it expects for a malformed value', () => {
    for (const bad of [
      'ap-northeast-1',
      'ap-northeast-1=ftp://x:1',
      'ap-northeast-1=http://h:1/v1',
    ]) {
      const outcome = run(SCENARIO, '--target', 'local', '--endpoint', bad);
      expect(outcome.code, bad).toBe(64);
      expect(outcome.stderr).toBe(
        `paychaos run: --endpoint ${bad}: expected REGION=http://host:port, one for each region of the scenario (ap-northeast-1, ap-northeast-3)\n`,
      );
    }
  });

  it('names a region the scenario lacks, one given twice, and the regions left without one', () => {
    const a = 'ap-northeast-1=http://127.0.0.1:1';
    const elsewhere = run(
      SCENARIO,
      '--target',
      'local',
      '--endpoint',
      'eu-west-1=http://127.0.0.1:1',
    );
    expect(elsewhere.code).toBe(64);
    expect(elsewhere.stderr).toMatch(
      /^paychaos run: --endpoint eu-west-1=\S+: eu-west-1 is not a region of the scenario; expected/,
    );
    const twice = run(SCENARIO, '--target', 'local', '--endpoint', a, '--endpoint', a);
    expect(twice.code).toBe(64);
    expect(twice.stderr).toMatch(/ap-northeast-1 is given twice/);
    const short = run(SCENARIO, '--target', 'local', '--endpoint', a);
    expect(short.code).toBe(64);
    expect(short.stderr).toMatch(/^paychaos run: --endpoint: none for ap-northeast-3; expected/);
    expect(short.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses it on the simulator, with a planted bug, and a scenario with faults by name', () => {
    const both = [
      '--endpoint',
      'ap-northeast-1=http://127.0.0.1:1',
      '--endpoint',
      'ap-northeast-3=http://127.0.0.1:2',
    ];
    const sim = run(SCENARIO, ...both);
    expect(sim.code).toBe(64);
    expect(sim.stderr).toMatch(
      /^paychaos run: --endpoint: drives your own service on --target local/,
    );
    const bug = run(SCENARIO, '--target', 'local', ...both, '--bank-bug', 'async-commit-ack');
    expect(bug.code).toBe(64);
    const faults = run('scenarios/replica-lag.ts', '--target', 'local', ...both);
    expect(faults.code).toBe(64);
    expect(faults.stderr).toMatch(
      /^target local \(--endpoint, your own service\) cannot inject replica-lag \(faults\[0\] of the scenario\); it supports no fault\n$/,
    );
  });

  it('says in one line, exit 69, when nothing answers at an endpoint', () => {
    const both = [
      '--endpoint',
      'ap-northeast-1=http://127.0.0.1:1',
      '--endpoint',
      'ap-northeast-3=http://127.0.0.1:2',
    ];
    const outcome = runCli(['run', SCENARIO, '--target', 'local', ...both, '--out', out]);
    expect(outcome.code).toBe(69);
    // Progress lines come first; the failure is one line, the last.
    const last = outcome.stderr.trim().split('\n').at(-1);
    expect(last).toMatch(
      /^paychaos: the service at http:\/\/127\.0\.0\.1:1 to answer GET \/v1\/health for ap-northeast-1: not ready within 15000 ms/,
    );
    expect(outcome.stderr).not.toMatch(/internal error|\n\s+at /);
  }, 60_000);
});

describe.skipIf(enginesMissing !== undefined)(
  'paychaos run --endpoint on a service started on its own',
  () => {
    const out = mkdtempSync(join(tmpdir(), 'paychaos-endpoint-'));
    let dirs: LabDirs;
    let bank: LabBank | undefined;
    const endpoints: string[] = [];

    beforeAll(async () => {
      dirs = labDirs(mkdtempSync(join(tmpdir(), 'paychaos-lab-')));
      const scenario = await loadScenario(SCENARIO);
      const state = await labUp({
        dirs,
        engines: enginePaths(),
        regions: scenario.regions,
        writerRegion: 'ap-northeast-1',
      });
      const toxiproxy = new ToxiproxyClient(state.toxiproxyApi);
      bank = await startLabBank({
        state,
        network: new LabNetwork(toxiproxy, new LinkFaults(toxiproxy, Object.values(state.links))),
        writerRegion: () => 'ap-northeast-1',
        scenario,
        runOriginUs: wallNowUs(),
      });
      for (const link of bank.clientLinks)
        endpoints.push('--endpoint', `${link.to}=http://${link.listen}`);
    }, 120_000);

    afterAll(async () => {
      await bank?.close();
      await labDown(dirs);
      rmSync(dirs.labDir, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }, 60_000);

    it(
      'drives the reference bank through the contract and judges it VALID',
      async () => {
        const args = [BIN, 'run', SCENARIO, '--target', 'local', ...endpoints, '--out', out];
        // Asynchronous: the service under test lives in this process and must keep answering.
        const child = await promisify(execFile)(process.execPath, args, {
          encoding: 'utf8',
          timeout: RUN_MS_MAX,
          killSignal: 'SIGINT',
        }).catch((error: { code: number; stdout: string; stderr: string }) => error);
        const said = `${child.stderr}\n${child.stdout}`;
        expect('code' in child ? child.code : 0, said).toBe(0);
        expect(child.stdout).toMatch(/own-service\/[0-9T-]+Z-seed1: VALID/);
        expect(child.stdout).toContain(`--seed 1 --target local ${endpoints.join(' ')}`);
        const dir = join(out, readlinkSync(join(out, 'latest')));
        expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'))).toMatchObject({
          target: 'local',
        });
        const lines = readFileSync(join(dir, 'history.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { f: string; type: string; process: unknown });
        const fs = lines.map((line) => line.f);
        expect(fs.slice(0, 3)).toEqual(['init', 'slo', 'plan']);
        expect(fs.filter((f) => f === 'final-read')).toHaveLength(2);
        expect(fs).toContain('ledger');
        expect(fs).toContain('sagas');
        expect(fs.at(-1)).toBe('end');
        expect(
          lines.filter((l) => typeof l.process === 'number' && l.type === 'ok').length,
        ).toBeGreaterThan(5);
        // Nothing of a lab: the harness started no process, so logs/ holds nothing of its own.
        expect(readdirSync(dir)).not.toContain('logs');
      },
      RUN_MS_MAX + 30_000,
    );
  },
);
