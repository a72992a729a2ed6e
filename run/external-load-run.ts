/**
 * The load window under an external engine (load-engine.ts): the engine starts its workers; once
 * they send, the fault schedule runs on the target's clock, its nemesis lines going to the
 * harness's own op log (`<run>/logs/artillery/harness.jsonl`, written as they happen, so a crash
 * keeps them with the workers' logs for `paychaos import artillery`); when the window has passed
 * and every worker has ended, the workers' logs and the harness's are merged into the history by
 * run time (history/import/merge-op-logs.ts), each worker's ops widened by its clock bound.
 *
 * Unlike the Node driver's, these client lines reach history.jsonl only when the load has ended:
 * they are on the workers' disks (or S3) until then, and only then can they be put in order.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readOpLogs } from '../history/import/import-artillery.ts';
import { mergeOpLogs } from '../history/import/merge-op-logs.ts';
import { OP_LOG_VERSION } from '../history/import/op-log.ts';
import type { InterruptedValue, OpDraft } from '../history/op.ts';
import type { HistoryWriter } from '../history/writer.ts';
import { makeDirectories } from '../lib/output-path.ts';
import { type LoadCounts, zeroCounts } from '../load/load-stats.ts';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import { FaultTimeline } from './fault-timeline.ts';
import { reasonOf } from './interruption.ts';
import type { LoadEngine } from './load-engine.ts';
import type { RunReporter } from './reporter.ts';
import type { TargetSession } from './target.ts';

const NS_PER_MS = 1_000_000;
const PROGRESS_STEP_MS = 1_000;
export const HARNESS_LOG = join('logs', 'artillery', 'harness.jsonl');

/** The harness's op log: the nemesis lines on the run's clock, one write(2) each. */
class HarnessLog {
  private readonly fd: number;

  constructor(readonly file: string) {
    makeDirectories(dirname(file));
    this.fd = openSync(file, 'wx');
    this.write({ opLog: OP_LOG_VERSION, source: 'harness', worker: 'harness' });
  }

  append(draft: OpDraft): void {
    this.write(draft);
  }

  close(): void {
    closeSync(this.fd);
  }

  private write(value: unknown): void {
    writeSync(this.fd, `${JSON.stringify(value)}\n`);
  }
}

export interface ExternalLoadOptions {
  engine: LoadEngine;
  session: TargetSession;
  scenario: ResolvedScenario;
  seed: number;
  history: HistoryWriter;
  reporter: RunReporter;
  stop: AbortSignal | undefined;
}

export async function runExternalLoad(
  options: ExternalLoadOptions,
): Promise<{ load: LoadCounts; cut: InterruptedValue | null }> {
  const { engine, session, scenario, history, reporter, stop } = options;
  const { clock } = session;
  const endpoints = session.endpoints;
  if (endpoints === undefined) {
    throw new Error(`--load ${engine.name} needs a target with HTTP endpoints; this one has none`);
  }
  const runDir = dirname(history.file);
  const harness = new HarnessLog(join(runDir, HARNESS_LOG));
  // No worker can have sent before this: the merge holds every window after it.
  const invokedNsMin = clock.nowNs;
  let load: Awaited<ReturnType<LoadEngine['start']>>;
  try {
    load = await engine.start({ session, endpoints, scenario, seed: options.seed, runDir });
  } catch (error) {
    harness.close();
    throw error;
  }
  let cut: InterruptedValue | null = null;
  try {
    const faults = new FaultTimeline(session, scenario, harness);
    for (let doneMs = 0; doneMs < scenario.durationMs; doneMs += PROGRESS_STEP_MS) {
      if (stop?.aborted === true) {
        cut = { signal: reasonOf(stop), atNs: clock.nowNs };
        break;
      }
      await session.advance(Math.min(PROGRESS_STEP_MS, scenario.durationMs - doneMs));
      reporter.progress({
        phase: 'load',
        runMs: clock.nowNs / NS_PER_MS,
        opsPerSec: 0,
        faultsActive: [...faults.active],
      });
    }
    if (cut !== null) {
      faults.stopNow();
      await load.stop();
    } else {
      await load.finished();
    }
    await faults.settled();
  } catch (error) {
    await load.stop();
    throw error;
  } finally {
    harness.close();
    await load.close();
  }
  const counts = mergeInto(history, [...load.logFiles(), harness.file], invokedNsMin, clock.nowNs);
  const engineCounts = load.engineCounts();
  return {
    load: {
      ...counts,
      arrivals: engineCounts.arrivals ?? counts.arrivals,
      dropped: engineCounts.dropped ?? 0,
    },
    cut,
  };
}

/** Merges the logs into the history; counts the client lines as the Node driver's stats would. */
function mergeInto(
  history: HistoryWriter,
  files: string[],
  invokedNsMin: number,
  completedNsMax: number,
): LoadCounts {
  const counts = zeroCounts();
  const sink = {
    append(draft: OpDraft) {
      if (typeof draft.process === 'number') count(counts, draft);
      return history.append(draft);
    },
  };
  mergeOpLogs(readOpLogs(files), sink, { invokedNsMin, completedNsMax });
  return counts;
}

function count(counts: LoadCounts, draft: OpDraft): void {
  switch (draft.type) {
    case 'invoke':
      counts.invokes += 1;
      if (draft.attempt === undefined) counts.arrivals += 1;
      else counts.retries += 1;
      return;
    case 'info':
      counts.info += 1;
      if (draft.error === 'timeout') counts.timeouts += 1;
      if (typeof draft.error === 'string' && draft.error.startsWith('malformed response'))
        counts.malformed += 1;
      return;
    default:
      counts[draft.type] += 1;
  }
}
