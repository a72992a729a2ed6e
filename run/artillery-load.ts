/**
 * `--load artillery`: the pinned Artillery on this machine, several worker processes per region
 * against the target's HTTP endpoints, each sampling the harness's clock
 * (artillery/local-artillery.ts, artillery/clock-server.ts). The bundle goes to
 * `<run>/artillery/`, the op logs to `<run>/logs/artillery/`, each process's output and JSON
 * report beside them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundle, WALL_CLOCK_ERROR_MS_DEFAULT } from '../artillery/build-bundle.ts';
import { startClockServer } from '../artillery/clock-server.ts';
import { ArtilleryProcess, artilleryVersion } from '../artillery/local-artillery.ts';
import { makeDirectories } from '../lib/output-path.ts';
import type { ExternalLoad, LoadEngine, LoadEngineStart } from './load-engine.ts';

/** Artillery's start-up (loading its sources, the processor) on a loaded 2-core machine. */
const STARTUP_MS_MAX = 120_000;
/** After the window: the processor's own slack for late phases, and Artillery's exit. */
const FINISH_SLACK_MS = 60_000;

export const ARTILLERY_DIR = 'artillery';
export const ARTILLERY_LOG_DIR = join('logs', 'artillery');

export function artilleryLoad(options: { workersPerRegion: number }): LoadEngine {
  return {
    name: 'artillery',
    version: artilleryVersion,
    start: (start) => startArtillery(start, options.workersPerRegion),
  };
}

async function startArtillery(
  start: LoadEngineStart,
  workersPerRegion: number,
): Promise<ExternalLoad> {
  const { scenario, runDir } = start;
  const clock = await startClockServer(start.session.clock);
  const processes: ArtilleryProcess[] = [];
  const bundleDir = join(runDir, ARTILLERY_DIR);
  const logDir = join(runDir, ARTILLERY_LOG_DIR);
  const stopAll = () => Promise.all(processes.map((p) => p.stop())).then(() => undefined);
  try {
    makeDirectories(bundleDir);
    makeDirectories(logDir);
    const bundle = await buildBundle(scenario, {
      outDir: bundleDir,
      seed: start.seed,
      workersPerRegion,
      script: { perLocalWorker: true, endpoints: start.endpoints, clockUrl: clock.url },
      wallClockErrorMs: WALL_CLOCK_ERROR_MS_DEFAULT,
      wallEpochMs: Date.now(),
    });
    for (const region of scenario.regions) {
      for (let i = 0; i < workersPerRegion; i += 1) {
        const name = `artillery-${region}-${i}`;
        processes.push(
          new ArtilleryProcess({
            region,
            scriptFile: bundle.scriptFile,
            logDir,
            outputFile: join(logDir, `${name}.out`),
            reportFile: join(logDir, `${name}.report.json`),
          }),
        );
      }
    }
    await Promise.all(processes.map((p) => p.started(STARTUP_MS_MAX)));
  } catch (error) {
    await stopAll();
    await clock.close();
    throw error;
  }
  const { clients } = scenario;
  const attemptsMs =
    (clients.timeoutMs + clients.retryBackoffMs) * (clients.retriesMax + 1) + scenario.durationMs;
  return {
    finished: () =>
      Promise.all(processes.map((p) => p.finished(attemptsMs + FINISH_SLACK_MS))).then(
        () => undefined,
      ),
    stop: stopAll,
    logFiles: () =>
      readdirSync(logDir)
        .filter((name) => name.startsWith('worker-') && name.endsWith('.jsonl'))
        .sort()
        .map((name) => join(logDir, name)),
    engineCounts: () => reportCounters(processes.map((p) => p.spec.reportFile)),
    close: () => clock.close(),
  };
}

/** The `paychaos.*` counters of Artillery's JSON reports, summed over the workers. */
function reportCounters(files: readonly string[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const file of files) {
    let report: { aggregate?: { counters?: Record<string, number> } };
    try {
      report = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // A worker stopped by a signal writes no report: its ops are in its op log all the same.
      continue;
    }
    for (const [name, count] of Object.entries(report.aggregate?.counters ?? {})) {
      if (name.startsWith('paychaos.'))
        sums[name.slice('paychaos.'.length)] = (sums[name.slice('paychaos.'.length)] ?? 0) + count;
    }
  }
  return sums;
}
