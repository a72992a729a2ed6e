/**
 * The run directory of design.md: `<out>/<scenario>/<UTC time>-seed<N>/`, and `<out>/latest`
 * pointing at it (a relative symlink, replaced atomically). No `logs/` on the simulator: it runs
 * no process of its own whose output could go there (docs/cli.md).
 */
import { mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { makeDirectories, outputPathError } from '../lib/output-path.ts';

export interface RunDir {
  dir: string;
  historyFile: string;
  resultsFile: string;
  runJsonFile: string;
}

const RUN_DIRS_PER_SECOND_MAX = 100;

/** 2026-11-23T12-15-03Z: sortable, and no colons (which some file systems refuse). */
function utcStamp(date: Date): string {
  return `${date.toISOString().slice(0, 19).replaceAll(':', '-')}Z`;
}

/** `base`, or `base-2`, `base-3`... when two runs start in the same second. */
function firstFreeDir(base: string): string {
  for (let attempt = 1; attempt <= RUN_DIRS_PER_SECOND_MAX; attempt += 1) {
    const dir = attempt === 1 ? base : `${base}-${attempt}`;
    try {
      mkdirSync(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw outputPathError(dir, error);
    }
  }
  throw new Error(`more than ${RUN_DIRS_PER_SECOND_MAX} runs named ${base} started in one second`);
}

export function createRunDir(
  out: string,
  scenarioName: string,
  seed: number,
  startedAt: Date,
): RunDir {
  const safeName = scenarioName.replace(/[^A-Za-z0-9._-]/g, '_');
  const base = join(out, safeName, `${utcStamp(startedAt)}-seed${seed}`);
  makeDirectories(join(out, safeName));
  const dir = firstFreeDir(base);
  return {
    dir,
    historyFile: join(dir, 'history.jsonl'),
    resultsFile: join(dir, 'results.json'),
    runJsonFile: join(dir, 'run.json'),
  };
}

export function pointLatestAt(out: string, runDir: string): void {
  const latest = join(out, 'latest');
  const temporary = `${latest}.tmp-${process.pid}`;
  rmSync(temporary, { force: true });
  symlinkSync(relative(out, runDir), temporary);
  renameSync(temporary, latest);
}
