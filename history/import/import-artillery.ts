/**
 * `paychaos import artillery`: the per-worker op logs of an Artillery run (and the harness's own
 * log, when there is one) merged into one history (merge-op-logs.ts). An input is an op log or a
 * directory, whose `*.jsonl` files are taken in name order (not its subdirectories). The logs
 * have no harness run behind them here, so a window widened to before 0 moves every line later
 * by the same amount rather than being cut.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HistoryWriter } from '../writer.ts';
import { type MergeResult, mergeOpLogs, OPS_MAX, type OpLog, readOpLog } from './merge-op-logs.ts';

/** Op logs in one import: a run has a handful of workers per region, a big one hundreds. */
export const OP_LOG_FILES_MAX = 10_000;

/** The op log files the inputs name, in order; a directory gives its `*.jsonl` files. */
export function opLogFiles(inputs: readonly string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    if (statSync(input).isDirectory()) {
      const names = readdirSync(input)
        .filter((name) => name.endsWith('.jsonl'))
        .sort();
      for (const name of names) {
        const file = join(input, name);
        if (statSync(file).isFile()) files.push(file);
      }
    } else {
      files.push(input);
    }
    if (files.length > OP_LOG_FILES_MAX) {
      throw new Error(`more than ${OP_LOG_FILES_MAX} op logs in ${inputs.join(', ')}`);
    }
  }
  return files;
}

export function readOpLogs(files: readonly string[]): OpLog[] {
  const budget = { left: OPS_MAX };
  return files.map((file) => readOpLog(file, budget));
}

export function importArtillery(files: readonly string[], outputFile: string): MergeResult {
  const logs = readOpLogs(files);
  const writer = new HistoryWriter(outputFile);
  try {
    return mergeOpLogs(logs, writer, {
      invokedNsMin: 0,
      completedNsMax: Number.MAX_SAFE_INTEGER,
      shiftEarlyToMin: true,
    });
  } finally {
    writer.close();
  }
}
