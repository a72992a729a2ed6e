/**
 * Where the lab's engines live once scripts/provision-*.sh made them (all under .paychaos/ of
 * the checkout), and the one line per engine that is not there yet.
 */
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOXIPROXY_VERSION = 'v2.12.0';
export const PG_BIN = '/usr/lib/postgresql/15/bin';
/** In moto's virtualenv once scripts/provision-moto.sh installed waitress (moto-serve.py). */
export const WAITRESS_STAMP = 'paychaos-waitress-3.0.2.stamp';

/** The checkout this file belongs to. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface EnginePaths {
  motoServer: string;
  toxiproxyServer: string;
  pgBin: string;
  pgTemplate: string;
}

export function enginePaths(root: string = PROJECT_ROOT): EnginePaths {
  const cache = join(root, '.paychaos');
  return {
    motoServer: join(cache, 'moto', 'bin', 'moto_server'),
    toxiproxyServer: join(cache, 'bin', `toxiproxy-server-${TOXIPROXY_VERSION}`),
    pgBin: PG_BIN,
    pgTemplate: join(cache, 'pg-template'),
  };
}

/** Whether an executable named `command` is on PATH (as `command -v` would find it). */
export function onPath(command: string, path: string = process.env.PATH ?? ''): boolean {
  return path
    .split(delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => {
      try {
        accessSync(join(dir, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/**
 * One phrase per engine that is not provisioned, naming the script that provisions it and, when
 * that script's own prerequisite is missing (Python for moto, Go for Toxiproxy, PostgreSQL
 * itself), what to install first. `hasCommand` is injectable for tests.
 */
export function missingEngines(
  paths: EnginePaths,
  hasCommand: (command: string) => boolean = (command) => onPath(command),
): string[] {
  const missing: string[] = [];
  const motoDir = dirname(dirname(paths.motoServer));
  const motoStamped =
    existsSync(motoDir) && readdirSync(motoDir).some((name) => name.endsWith('.stamp'));
  if (!motoStamped || !existsSync(paths.motoServer)) {
    missing.push(
      hasCommand('python3')
        ? `moto is not provisioned (${motoDir}): run scripts/provision-moto.sh`
        : `moto is not provisioned (${motoDir}) and Python 3 is not installed: install python3 and python3-venv (apt-get install -y python3 python3-venv), then run scripts/provision-moto.sh`,
    );
  } else if (!existsSync(join(motoDir, WAITRESS_STAMP))) {
    missing.push(
      `moto's keep-alive server (waitress) is not provisioned (${motoDir}): run scripts/provision-moto.sh`,
    );
  }
  if (!existsSync(paths.toxiproxyServer)) {
    missing.push(
      hasCommand('go')
        ? `toxiproxy is not provisioned (${paths.toxiproxyServer}): run scripts/provision-toxiproxy.sh`
        : `toxiproxy is not provisioned (${paths.toxiproxyServer}) and Go is not installed: install Go >= 1.22 (apt-get install -y golang-go), then run scripts/provision-toxiproxy.sh`,
    );
  }
  if (!existsSync(join(paths.pgBin, 'postgres'))) {
    missing.push(
      `PostgreSQL 15 is not installed (${paths.pgBin}): install it (apt-get install -y postgresql-15), or run scripts/provision-postgres.sh as root`,
    );
  } else if (!existsSync(join(paths.pgTemplate, 'PG_VERSION'))) {
    missing.push(
      `the PostgreSQL template cluster is missing (${paths.pgTemplate}): run scripts/provision-postgres.sh`,
    );
  }
  return missing;
}
