import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'paychaos.js');

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real paychaos command, as a user would, and captures its outcome. */
export function runCli(args: string[], cwd?: string): CliOutcome {
  const child = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd,
    timeout: 60_000,
  });
  if (child.error !== undefined) throw child.error;
  return { code: child.status ?? -1, stdout: child.stdout, stderr: child.stderr };
}
