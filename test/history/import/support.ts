import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { HistoryError } from '../../../history/history-error.ts';
import {
  type ImportOptions,
  type ImportResult,
  importJepsen,
} from '../../../history/import/import-jepsen.ts';
import type { ClientOp, Op } from '../../../history/op.ts';
import { readHistory } from '../../../history/reader.ts';

export const scratchDir = mkdtempSync(join(tmpdir(), 'paychaos-import-'));
let fileCount = 0;

export function inputFile(text: string, name = 'history.edn'): string {
  fileCount += 1;
  const file = join(scratchDir, `${fileCount}-${name}`);
  writeFileSync(file, text);
  return file;
}

export interface Imported extends ImportResult {
  output: string;
  ops: Op[];
  clientOps: ClientOp[];
}

/** Imports `file` and reads the result back through the validating reader. */
export function importFile(
  file: string,
  eventual = false,
  options: Omit<ImportOptions, 'eventual'> = {},
): Imported {
  fileCount += 1;
  const output = join(scratchDir, `${fileCount}-${basename(file)}.jsonl`);
  const result = importJepsen(file, output, { eventual, ...options });
  const ops: Op[] = [];
  const clientOps: ClientOp[] = [];
  readHistory(output, { onOp: (op) => ops.push(op), onClientOp: (c) => clientOps.push(c) });
  return { ...result, output, ops, clientOps };
}

export function importText(text: string, name?: string, eventual = false): Imported {
  return importFile(inputFile(text, name), eventual);
}

/** The HistoryError an import of `text` throws; the output must not be left behind. */
export function importError(text: string, name?: string): { file: string; error: HistoryError } {
  const file = inputFile(text, name);
  try {
    importJepsen(file, `${file}.jsonl`, {});
  } catch (error) {
    if (!(error instanceof HistoryError)) throw error;
    if (existsSync(`${file}.jsonl`)) throw new Error('a failed import left its output behind');
    return { file, error };
  }
  throw new Error('expected the import to fail');
}
