/**
 * `paychaos run --target aws` on the command line: it needs --config; --config is for aws only;
 * a fault FIS cannot carry out is refused by name (64) before AWS is touched, as is isolate under
 * --load artillery (when Artillery is provisioned; CI provisions it); and without
 * credentials the allowlist refuses (77) — the SDK's credential chain fails on this machine
 * before any request leaves (the instance metadata service is switched off for the test).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG } from '../run/targets/aws/aws-test-config.ts';
import { artilleryMissing } from '../support/artillery-missing.ts';
import { runCli } from '../support/run-cli.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'paychaos.js');

function withoutCredentials(args: string[]) {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!name.startsWith('AWS_')) env[name] = value;
  env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
  env.AWS_CONFIG_FILE = '/nonexistent/config';
  env.AWS_EC2_METADATA_DISABLED = 'true';
  const child = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('paychaos run --target aws', () => {
  const out = mkdtempSync(join(tmpdir(), 'paychaos-run-aws-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('needs --config, which is for aws only', () => {
    const missing = runCli(['run', 'scenarios/replica-lag.ts', '--target', 'aws', '--out', out]);
    expect(missing.code).toBe(64);
    expect(missing.stderr.trim()).toBe(
      'paychaos run --target aws: expected --config FILE (paychaos.aws.ts)',
    );
    const elsewhere = runCli([
      'run',
      'scenarios/replica-lag.ts',
      '--config',
      EXAMPLE_CONFIG,
      '--out',
      out,
    ]);
    expect(elsewhere.code).toBe(64);
    expect(elsewhere.stderr.trim()).toBe(
      'paychaos run: --config is for --target aws, not --target sim',
    );
  });

  it('refuses clock-skew by name before touching AWS', () => {
    const outcome = withoutCredentials([
      'run',
      'scenarios/clock-skew.ts',
      '--target',
      'aws',
      '--config',
      EXAMPLE_CONFIG,
      '--out',
      out,
    ]);
    expect(outcome.code).toBe(64);
    expect(outcome.stderr).toMatch(
      /target aws cannot inject clock-skew \(faults\[0\] of the scenario\)/,
    );
  });

  it.skipIf(artilleryMissing() !== undefined)(
    'refuses isolate under --load artillery by name before touching AWS',
    () => {
      const outcome = withoutCredentials([
        'run',
        'scenarios/region-isolation.ts',
        '--target',
        'aws',
        '--config',
        EXAMPLE_CONFIG,
        '--load',
        'artillery',
        '--out',
        out,
      ]);
      expect(outcome.code).toBe(64);
      expect(outcome.stderr.trim().split('\n')).toEqual([
        "target aws (--load artillery) cannot inject isolate (faults[0] of the scenario): paychaos cuts its own clients off an isolated region (FIS cuts no internet client) and cannot cut Artillery's workers; partition the region from each other one for FIS's cut alone, or run with --load node; it supports partition, replica-lag, pause-replication, kill-cluster, failover",
      ]);
    },
  );

  it('refuses with 77 when the caller cannot be verified, before any line of history', () => {
    const outcome = withoutCredentials([
      'run',
      'scenarios/replica-lag.ts',
      '--target',
      'aws',
      '--config',
      EXAMPLE_CONFIG,
      '--out',
      out,
    ]);
    expect(outcome.code, outcome.stderr).toBe(77);
    expect(outcome.stderr.trim().split('\n').at(-1)).toMatch(
      /^paychaos run: refusing to touch AWS: the caller could not be verified with STS GetCallerIdentity \(CredentialsProviderError: /,
    );
    const runs = join(out, 'replica-lag');
    const [dir] = readdirSync(runs);
    expect(readFileSync(join(runs, dir!, 'history.jsonl'), 'utf8')).toBe('');
  });
});
