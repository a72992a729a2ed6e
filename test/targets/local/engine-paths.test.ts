/**
 * What `paychaos lab up` says when the engines are not provisioned: one line, naming each missing
 * engine, the script that provisions it, and what to install first when the script's own
 * prerequisite (Python, Go, PostgreSQL) is missing too. Needs no engine.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.ts';
import {
  type EnginePaths,
  enginePaths,
  missingEngines,
  onPath,
  WAITRESS_STAMP,
} from '../../../targets/local/engine-paths.ts';
import { LabUnavailable, labDirs, labUp } from '../../../targets/local/lab.ts';
import { LabSettingError, MOTO_NICENESS_VAR } from '../../../targets/local/moto-server.ts';

describe('missing engines', () => {
  const root = mkdtempSync(join(tmpdir(), 'paychaos-engines-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const bare: EnginePaths = { ...enginePaths(root), pgBin: join(root, 'no-postgres', 'bin') };

  it('names what to install when Python, Go and PostgreSQL are all missing', () => {
    expect(missingEngines(bare, () => false)).toEqual([
      `moto is not provisioned (${root}/.paychaos/moto) and Python 3 is not installed: install python3 and python3-venv (apt-get install -y python3 python3-venv), then run scripts/provision-moto.sh`,
      `toxiproxy is not provisioned (${root}/.paychaos/bin/toxiproxy-server-v2.12.0) and Go is not installed: install Go >= 1.22 (apt-get install -y golang-go), then run scripts/provision-toxiproxy.sh`,
      `PostgreSQL 15 is not installed (${root}/no-postgres/bin): install it (apt-get install -y postgresql-15), or run scripts/provision-postgres.sh as root`,
    ]);
  });

  it('names only the script when its prerequisite is there', () => {
    const lines = missingEngines(bare, () => true);
    expect(lines[0]).toBe(
      `moto is not provisioned (${root}/.paychaos/moto): run scripts/provision-moto.sh`,
    );
    expect(lines[1]).toMatch(
      /^toxiproxy is not provisioned \(.*\): run scripts\/provision-toxiproxy\.sh$/,
    );
  });

  it('asks for the template cluster once PostgreSQL itself is installed', () => {
    const pgBin = join(root, 'pg', 'bin');
    mkdirSync(pgBin, { recursive: true });
    writeFileSync(join(pgBin, 'postgres'), '');
    expect(missingEngines({ ...bare, pgBin }, () => true)[2]).toBe(
      `the PostgreSQL template cluster is missing (${root}/.paychaos/pg-template): run scripts/provision-postgres.sh`,
    );
  });

  it("asks for moto's keep-alive server (waitress) when moto is provisioned without it", () => {
    const motoBin = join(root, '.paychaos', 'moto', 'bin');
    mkdirSync(motoBin, { recursive: true });
    writeFileSync(join(motoBin, 'moto_server'), '');
    writeFileSync(join(root, '.paychaos', 'moto', 'paychaos-moto-5.2.5.stamp'), '');
    try {
      expect(missingEngines(bare, () => true)[0]).toBe(
        `moto's keep-alive server (waitress) is not provisioned (${root}/.paychaos/moto): run scripts/provision-moto.sh`,
      );
      writeFileSync(join(root, '.paychaos', 'moto', WAITRESS_STAMP), '');
      expect(missingEngines(bare, () => true)[0]).toMatch(/^toxiproxy is not provisioned/);
    } finally {
      rmSync(join(root, '.paychaos', 'moto'), { recursive: true, force: true });
    }
  });

  it('finds a command on PATH only where it is executable', () => {
    const bin = join(root, 'path-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'go'), '#!/bin/sh\n');
    expect(onPath('go', bin)).toBe(false);
    chmodSync(join(bin, 'go'), 0o755);
    expect(onPath('go', `/nonexistent:${bin}`)).toBe(true);
    expect(onPath('python3', bin)).toBe(false);
  });

  it('lab up refuses in one line naming every missing engine and its script, before starting anything', async () => {
    const dirs = labDirs(join(root, 'lab'));
    const up = labUp({
      dirs,
      engines: bare,
      regions: ['ap-northeast-1'],
      writerRegion: 'ap-northeast-1',
    });
    await expect(up).rejects.toBeInstanceOf(LabUnavailable);
    const message = await up.catch((error: Error) => error.message);
    expect(message).not.toContain('\n');
    expect(message).toMatch(
      /^moto is not provisioned .*scripts\/provision-moto\.sh; toxiproxy is not provisioned .*scripts\/provision-toxiproxy\.sh; PostgreSQL 15 is not installed .*apt-get install -y postgresql-15/,
    );
  });

  it('lab up refuses a bad PAYCHAOS_MOTO_NICENESS in one line, exit 64, before touching its directory', async () => {
    const saved = process.env[MOTO_NICENESS_VAR];
    process.env[MOTO_NICENESS_VAR] = 'low';
    try {
      const dirs = labDirs(join(root, 'lab-nice'));
      const up = labUp({
        dirs,
        engines: enginePaths(),
        regions: ['ap-northeast-1'],
        writerRegion: 'ap-northeast-1',
      });
      await expect(up).rejects.toBeInstanceOf(LabSettingError);
      expect(existsSync(dirs.labDir)).toBe(false);
      const stderr: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string) => {
        stderr.push(String(chunk));
        return true;
      }) as typeof process.stderr.write;
      let code: number;
      try {
        code = await main(['lab', 'up', '--dir', join(root, 'lab-nice-cli')]);
      } finally {
        process.stderr.write = write;
      }
      expect(code).toBe(64);
      expect(stderr.join('')).toBe(
        'paychaos: PAYCHAOS_MOTO_NICENESS: expected a whole number 0..19, got "low"\n',
      );
    } finally {
      if (saved === undefined) delete process.env[MOTO_NICENESS_VAR];
      else process.env[MOTO_NICENESS_VAR] = saved;
    }
  });
});
