/**
 * `paychaos artillery bundle`: a directory Artillery runs as it is — `artillery.json` (the script:
 * one environment per region), `processor.cjs` (processor-entry.ts and everything it imports,
 * bundled by esbuild with the plan baked in, so a remote worker needs no checkout and no
 * node_modules of paychaos) and `plan.json` (the plan, for people and for the harness).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import { type ArtilleryPlan, artilleryPlan } from './artillery-plan.ts';
import { artilleryScript, PROCESSOR_FILE, type ScriptOptions } from './artillery-script.ts';

export const SCRIPT_FILE = 'artillery.json';
export const PLAN_FILE = 'plan.json';
/** The plan's default ops in flight per worker: the Node driver's cap for a whole run. */
export const OPS_IN_FLIGHT_MAX_PER_WORKER = 10_000;
/** The default declared error of a wall clock kept by NTP-class time sync. */
export const WALL_CLOCK_ERROR_MS_DEFAULT = 10;

export interface BundleOptions {
  outDir: string;
  seed: number;
  workersPerRegion: number;
  script: ScriptOptions;
  wallClockErrorMs: number;
  /** ms since 1970: the zero of wall-clock samples. */
  wallEpochMs: number;
}

export interface Bundle {
  dir: string;
  plan: ArtilleryPlan;
  scriptFile: string;
  processorFile: string;
}

export async function buildBundle(
  scenario: ResolvedScenario,
  options: BundleOptions,
): Promise<Bundle> {
  const plan = artilleryPlan(scenario, {
    seed: options.seed,
    workersPerRegion: options.workersPerRegion,
    opsInFlightMaxPerWorker: OPS_IN_FLIGHT_MAX_PER_WORKER,
    wallEpochMs: options.wallEpochMs,
    wallClockErrorMs: options.wallClockErrorMs,
  });
  const processorFile = join(options.outDir, PROCESSOR_FILE);
  await build({
    entryPoints: [join(import.meta.dirname, 'processor-entry.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outfile: processorFile,
    define: { PAYCHAOS_PLAN: JSON.stringify(plan) },
    logLevel: 'silent',
  });
  const scriptFile = join(options.outDir, SCRIPT_FILE);
  writeFileSync(scriptFile, `${JSON.stringify(artilleryScript(plan, options.script), null, 2)}\n`);
  writeFileSync(join(options.outDir, PLAN_FILE), `${JSON.stringify(plan, null, 2)}\n`);
  return { dir: options.outDir, plan, scriptFile, processorFile };
}
