/**
 * `--lab containers` without a container engine (none runs on this project's machines): the
 * container definitions — images pinned by version, ports published on 127.0.0.1 only, commands,
 * environment, users, wait strategies — checked as data and as the create request testcontainers
 * would send; the engine detection; and the one-line refusal where no engine is found.
 */
import { describe, expect, it } from 'vitest';
import {
  containerOf,
  LAB_LABEL,
  waitStrategyOf,
} from '../../../../targets/local/containers/container-builder.ts';
import {
  findContainerEngine,
  noContainerEngineMessage,
} from '../../../../targets/local/containers/container-engine.ts';
import {
  CONTAINER_IMAGES,
  type ContainerSpec,
  LINK_PORT_BASE,
  labContainerSpecs,
  linkContainerPorts,
} from '../../../../targets/local/containers/container-specs.ts';
import { labLinks, walLink } from '../../../../targets/local/lab-links.ts';
import { runCli } from '../../../support/run-cli.ts';

const A = 'ap-northeast-1';
const B = 'ap-northeast-3';
const specs = labContainerSpecs([A, B], A);
const named = (name: string): ContainerSpec => {
  const spec = specs.find((s) => s.name === name);
  if (spec === undefined) throw new Error(`no spec ${name}`);
  return spec;
};

describe('the lab as containers', () => {
  it('pins every image by version (never latest, never a bare major)', () => {
    for (const image of Object.values(CONTAINER_IMAGES)) {
      expect(image).toMatch(/:\d+\.\d+(\.\d+)?$/);
    }
    expect(CONTAINER_IMAGES.toxiproxy).toBe('ghcr.io/shopify/toxiproxy:2.12.0');
    expect(new Set(specs.map((s) => s.image))).toEqual(new Set(Object.values(CONTAINER_IMAGES)));
  });

  it('starts moto per region and Toxiproxy, then the primary, then the replica', () => {
    expect(specs.map((s) => s.name)).toEqual([
      `moto-${A}`,
      `moto-${B}`,
      'toxiproxy',
      `postgres-${A}`,
      `postgres-${B}`,
    ]);
    expect(new Set(specs.map((s) => s.alias)).size).toBe(specs.length);
  });

  it('gives each server its port, command and wait', () => {
    const moto = named(`moto-${A}`);
    expect(moto.ports).toEqual([5000]);
    expect(moto.command).toEqual(['-H', '0.0.0.0', '-p', '5000']);
    expect(moto.wait).toEqual({ kind: 'http', path: '/moto-api/', port: 5000, status: 200 });

    const primary = named(`postgres-${A}`);
    expect(primary.ports).toEqual([5432]);
    expect(primary.env).toEqual({ POSTGRES_HOST_AUTH_METHOD: 'trust' });
    expect(primary.command).toEqual([
      'postgres',
      '-c',
      'wal_level=replica',
      '-c',
      'max_wal_senders=10',
      '-c',
      'hot_standby=on',
      '-c',
      'synchronous_standby_names=ANY 1 (*)',
    ]);
    expect(primary.files.map((f) => f.path)).toEqual([
      '/docker-entrypoint-initdb.d/10-replication.sh',
    ]);
    expect(primary.files[0]!.content).toContain('host replication all all trust');
    expect(primary.wait).toEqual({
      kind: 'log',
      message: 'database system is ready to accept connections',
      times: 2,
    });

    const replica = named(`postgres-${B}`);
    expect(replica.user).toBe('postgres');
    const walPort = linkContainerPorts([A, B], A)[walLink(A, B)];
    expect(replica.command![2]).toContain(`pg_basebackup -h toxiproxy -p ${walPort} -U postgres`);
    expect(replica.command![2]).toContain('-R -X stream');
    expect(replica.wait).toEqual({
      kind: 'log',
      message: 'database system is ready to accept read-only connections',
      times: 1,
    });
  });

  it('publishes the Toxiproxy API and one port per link, the client links included', () => {
    const toxiproxy = named('toxiproxy');
    const links = labLinks([A, B], A).length + 2;
    expect(toxiproxy.ports).toEqual([
      8474,
      ...Array.from({ length: links }, (_, i) => LINK_PORT_BASE + i),
    ]);
    expect(toxiproxy.command).toEqual(['-host=0.0.0.0', '-port=8474']);
    expect(toxiproxy.wait).toEqual({ kind: 'http', path: '/version', port: 8474, status: 200 });
    expect(Object.keys(linkContainerPorts([A, B], A))).toContain(`client-${B}`);
  });

  it('refuses a writer outside the regions', () => {
    expect(() => labContainerSpecs([A], B)).toThrow(/writer region ap-northeast-3/);
  });

  it('asks the engine for ports bound to 127.0.0.1 only, with the lab label, command, env and user', () => {
    for (const spec of specs) {
      const request = containerOf(spec, '/tmp/lab-x').createRequest();
      const create = request.create as {
        Cmd?: string[];
        Env?: string[];
        User?: string;
        Labels: Record<string, string>;
        ExposedPorts: Record<string, unknown>;
      };
      const hostConfig = request.hostConfig as {
        PortBindings: Record<string, { HostIp?: string; HostPort: string }[]>;
      };
      expect(request.image).toBe(spec.image);
      expect(Object.keys(create.ExposedPorts).sort()).toEqual(
        spec.ports.map((p) => `${p}/tcp`).sort(),
      );
      for (const bindings of Object.values(hostConfig.PortBindings)) {
        for (const binding of bindings)
          expect(binding).toEqual({ HostIp: '127.0.0.1', HostPort: '0' });
      }
      expect(create.Labels[LAB_LABEL]).toBe('/tmp/lab-x');
      expect(create.Labels[`${LAB_LABEL}.name`]).toBe(spec.name);
      expect(create.Cmd ?? null).toEqual(spec.command);
      for (const [key, value] of Object.entries(spec.env))
        expect(create.Env).toContain(`${key}=${value}`);
      expect(create.User ?? null).toBe(spec.user);
    }
  });

  it('waits on the log or the HTTP endpoint the spec names', () => {
    expect(waitStrategyOf({ kind: 'log', message: 'ready', times: 2 }).constructor.name).toBe(
      'LogWaitStrategy',
    );
    expect(
      waitStrategyOf({ kind: 'http', path: '/version', port: 8474, status: 200 }).constructor.name,
    ).toBe('HttpWaitStrategy');
  });
});

describe('finding a container engine', () => {
  it('finds none with no DOCKER_HOST and no socket, DOCKER_HOST first, then a socket', () => {
    expect(findContainerEngine({}, () => false)).toBeUndefined();
    expect(findContainerEngine({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, () => false)).toEqual({
      via: 'DOCKER_HOST=tcp://127.0.0.1:2375',
    });
    expect(
      findContainerEngine(
        { XDG_RUNTIME_DIR: '/run/user/1000' },
        (p) => p.endsWith('podman.sock') && p.startsWith('/run/user'),
      ),
    ).toEqual({ via: '/run/user/1000/podman/podman.sock' });
  });

  it.skipIf(findContainerEngine() !== undefined)(
    'lab up --lab containers says in one line that none was found (exit 69)',
    () => {
      const outcome = runCli(['lab', 'up', '--lab', 'containers']);
      expect(outcome.code).toBe(69);
      expect(outcome.stderr).toBe(`paychaos lab: ${noContainerEngineMessage()}\n`);
      expect(outcome.stderr).toMatch(
        /needs a container engine \(Docker or Podman\) and none was found/,
      );
    },
  );

  it('refuses an unknown --lab kind by name', () => {
    const outcome = runCli(['lab', 'status', '--lab', 'vms']);
    expect(outcome.code).toBe(64);
    expect(outcome.stderr).toBe('paychaos lab: --lab vms: expected processes or containers\n');
  });
});
