/**
 * The lab's containers for `--lab containers` (docs/local-lab.md): the same engines as the
 * process lab — moto per region, a PostgreSQL primary in the writer region and a streaming
 * replica in every other, one Toxiproxy with a proxy per link — as images pinned by version, on
 * one container network where each is reached by its alias. Plain data, so that it is checked
 * without a container engine (none runs on this project's machines); container-builder.ts turns a
 * spec into a testcontainers GenericContainer.
 *
 * Proxies listen inside the Toxiproxy container on fixed ports (LINK_PORT_BASE upwards, in
 * labLinks order, then one client link per region), each published to the host on 127.0.0.1.
 */
import { labLinks, walLink } from '../lab-links.ts';

/** Pinned: moto as scripts/provision-moto.sh pins it, PostgreSQL as Debian 12's 15, Toxiproxy as the Go build. */
export const CONTAINER_IMAGES = {
  moto: 'motoserver/moto:5.2.5',
  postgres: 'postgres:15.18',
  toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0',
} as const;

export const MOTO_PORT = 5000;
export const POSTGRES_PORT = 5432;
export const TOXIPROXY_API_PORT = 8474;
export const LINK_PORT_BASE = 20_000;
/** Every start waits at most this long (an image pull is not part of it). */
export const STARTUP_TIMEOUT_MS = 120_000;
export const TOXIPROXY_ALIAS = 'toxiproxy';

export type WaitSpec =
  | { kind: 'log'; message: string; times: number }
  | { kind: 'http'; path: string; port: number; status: number };

export interface FileSpec {
  path: string;
  content: string;
  mode: number;
}

export interface ContainerSpec {
  /** The lab's name for it, as the process lab names its processes. */
  name: string;
  image: string;
  /** Its alias on the lab's network: how the other containers reach it. */
  alias: string;
  /** Container ports published to the host, on 127.0.0.1 only. */
  ports: number[];
  /** Replaces the image's command (its entrypoint stays) when not null. */
  command: string[] | null;
  env: Record<string, string>;
  /** Run as this user (the replica's base backup must belong to postgres). */
  user: string | null;
  files: FileSpec[];
  wait: WaitSpec;
  startupTimeoutMs: number;
}

export const motoAlias = (region: string) => `moto-${region}`;
export const postgresAlias = (region: string) => `postgres-${region}`;
export const clientLinkName = (region: string) => `client-${region}`;

/** The container port of every link's proxy: lab links first, then the client links. */
export function linkContainerPorts(
  regions: readonly string[],
  writerRegion: string,
): Record<string, number> {
  const names = [
    ...labLinks(regions, writerRegion).map((link) => link.name),
    ...regions.map(clientLinkName),
  ];
  return Object.fromEntries(names.map((name, i) => [name, LINK_PORT_BASE + i]));
}

/** The official image's init hook: replicas on the lab's network may stream WAL, unauthenticated as the lab is. */
const REPLICATION_HBA: FileSpec = {
  path: '/docker-entrypoint-initdb.d/10-replication.sh',
  content: 'echo "host replication all all trust" >> "$PGDATA/pg_hba.conf"\n',
  mode: 0o755,
};

function motoSpec(region: string): ContainerSpec {
  return {
    name: motoAlias(region),
    image: CONTAINER_IMAGES.moto,
    alias: motoAlias(region),
    ports: [MOTO_PORT],
    command: ['-H', '0.0.0.0', '-p', String(MOTO_PORT)],
    env: {},
    user: null,
    files: [],
    wait: { kind: 'http', path: '/moto-api/', port: MOTO_PORT, status: 200 },
    startupTimeoutMs: STARTUP_TIMEOUT_MS,
  };
}

function primarySpec(region: string, replicas: number): ContainerSpec {
  const settings = ['wal_level=replica', 'max_wal_senders=10', 'hot_standby=on'];
  // As the process lab: every replica is synchronous for commits that ask for remote_apply.
  if (replicas > 0) settings.push(`synchronous_standby_names=ANY ${replicas} (*)`);
  return {
    name: postgresAlias(region),
    image: CONTAINER_IMAGES.postgres,
    alias: postgresAlias(region),
    ports: [POSTGRES_PORT],
    command: ['postgres', ...settings.flatMap((setting) => ['-c', setting])],
    env: { POSTGRES_HOST_AUTH_METHOD: 'trust' },
    user: null,
    files: [REPLICATION_HBA],
    // The image's entrypoint starts a temporary server for its init scripts first: the second
    // "ready" is the real one.
    wait: { kind: 'log', message: 'database system is ready to accept connections', times: 2 },
    startupTimeoutMs: STARTUP_TIMEOUT_MS,
  };
}

function replicaSpec(region: string, walPort: number): ContainerSpec {
  // Under /var/lib/postgresql, which postgres owns: pg_basebackup makes the directory 0700, as
  // the server requires (the image's own PGDATA is 1777).
  const dataDir = '/var/lib/postgresql/replica';
  const backup = `pg_basebackup -h ${TOXIPROXY_ALIAS} -p ${walPort} -U postgres -D ${dataDir} -R -X stream -c fast`;
  return {
    name: postgresAlias(region),
    image: CONTAINER_IMAGES.postgres,
    alias: postgresAlias(region),
    ports: [POSTGRES_PORT],
    command: [
      'bash',
      '-c',
      `for i in $(seq 60); do ${backup} && exec postgres -D ${dataDir} -c hot_standby=on; rm -rf ${dataDir}; sleep 1; done; exit 1`,
    ],
    env: {},
    user: 'postgres',
    files: [],
    wait: {
      kind: 'log',
      message: 'database system is ready to accept read-only connections',
      times: 1,
    },
    startupTimeoutMs: STARTUP_TIMEOUT_MS,
  };
}

function toxiproxySpec(linkPorts: readonly number[]): ContainerSpec {
  return {
    name: 'toxiproxy',
    image: CONTAINER_IMAGES.toxiproxy,
    alias: TOXIPROXY_ALIAS,
    ports: [TOXIPROXY_API_PORT, ...linkPorts],
    command: ['-host=0.0.0.0', `-port=${TOXIPROXY_API_PORT}`],
    env: {},
    user: null,
    files: [],
    wait: { kind: 'http', path: '/version', port: TOXIPROXY_API_PORT, status: 200 },
    startupTimeoutMs: STARTUP_TIMEOUT_MS,
  };
}

/**
 * Every container of a lab, in the order they start: moto per region and Toxiproxy (nothing to
 * wait for), the primary, then each replica (its base backup streams through the WAL link's
 * proxy, which must exist by then).
 */
export function labContainerSpecs(
  regions: readonly string[],
  writerRegion: string,
): ContainerSpec[] {
  if (!regions.includes(writerRegion)) {
    throw new Error(`the writer region ${writerRegion} is not one of ${regions.join(', ')}`);
  }
  const linkPorts = linkContainerPorts(regions, writerRegion);
  const replicas = regions.filter((region) => region !== writerRegion);
  return [
    ...regions.map(motoSpec),
    toxiproxySpec(Object.values(linkPorts)),
    primarySpec(writerRegion, replicas.length),
    ...replicas.map((region) => replicaSpec(region, linkPorts[walLink(writerRegion, region)]!)),
  ];
}
