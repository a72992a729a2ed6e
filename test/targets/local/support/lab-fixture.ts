/**
 * A whole lab for one test file, in a temporary directory: up before its tests, down after them
 * (every process stopped, the directory removed). Use inside a suite skipped when
 * `enginesMissing` is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { enginePaths } from '../../../../targets/local/engine-paths.ts';
import {
  type LabDirs,
  type LabState,
  labDirs,
  labDown,
  labUp,
} from '../../../../targets/local/lab.ts';
import { linkPort } from '../../../../targets/local/lab-links.ts';
import { LinkFaults } from '../../../../targets/local/link-faults.ts';
import { ToxiproxyClient } from '../../../../targets/local/toxiproxy-client.ts';

export const REGION_A = 'ap-northeast-1';
export const REGION_B = 'ap-northeast-3';

export interface LabFixture {
  state(): LabState;
  dirs(): LabDirs;
  faults(): LinkFaults;
  /** The proxy port of a link. */
  port(link: string): number;
}

export function useLab(): LabFixture {
  let dir = '';
  let state: LabState | undefined;
  let faults: LinkFaults | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paychaos-lab-'));
    state = await labUp({
      dirs: labDirs(dir),
      engines: enginePaths(),
      regions: [REGION_A, REGION_B],
      writerRegion: REGION_A,
    });
    faults = new LinkFaults(new ToxiproxyClient(state.toxiproxyApi), Object.values(state.links));
  }, 120_000);
  afterAll(async () => {
    await labDown(labDirs(dir));
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
  const ready = () => {
    if (state === undefined || faults === undefined) throw new Error('the lab is not up');
    return { state, faults };
  };
  return {
    state: () => ready().state,
    dirs: () => labDirs(dir),
    faults: () => ready().faults,
    port: (link) => {
      const found = ready().state.links[link];
      if (found === undefined) throw new Error(`no link ${link}`);
      return linkPort(found);
    },
  };
}
