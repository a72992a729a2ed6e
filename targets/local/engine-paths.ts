/**
 * Where the lab's engines live once scripts/provision-*.sh made them (all under .paychaos/ of
 * the checkout), and the one line per engine that is not there yet.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOXIPROXY_VERSION = 'v2.12.0';
export const PG_BIN = '/usr/lib/postgresql/15/bin';

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

/** One line per engine that is not provisioned, naming the script that provisions it. */
export function missingEngines(paths: EnginePaths): string[] {
  const missing: string[] = [];
  const motoDir = dirname(dirname(paths.motoServer));
  const motoStamped =
    existsSync(motoDir) && readdirSync(motoDir).some((name) => name.endsWith('.stamp'));
  if (!motoStamped || !existsSync(paths.motoServer)) {
    missing.push(`moto is not provisioned (${motoDir}): run scripts/provision-moto.sh`);
  }
  if (!existsSync(paths.toxiproxyServer)) {
    missing.push(
      `toxiproxy is not provisioned (${paths.toxiproxyServer}): run scripts/provision-toxiproxy.sh`,
    );
  }
  if (!existsSync(join(paths.pgBin, 'postgres'))) {
    missing.push(
      `PostgreSQL 15 is not installed (${paths.pgBin}): run scripts/provision-postgres.sh`,
    );
  } else if (!existsSync(join(paths.pgTemplate, 'PG_VERSION'))) {
    missing.push(
      `the PostgreSQL template cluster is missing (${paths.pgTemplate}): run scripts/provision-postgres.sh`,
    );
  }
  return missing;
}
