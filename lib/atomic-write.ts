/**
 * Writes a file whole or not at all: into a temporary file beside it, then renamed over it, so a
 * reader (or a crash) never sees half of results.json, run.json or a report. A file that cannot be
 * written is an OutputPathError naming it (exit 73), and the temporary file is removed.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { outputPathError } from './output-path.ts';

export function writeFileAtomically(file: string, text: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw outputPathError(file, error);
  }
}

/** Pretty-printed, two spaces, one trailing newline: the layout of every JSON file paychaos writes. */
export function writeJsonAtomically(file: string, value: unknown): void {
  writeFileAtomically(file, `${JSON.stringify(value, null, 2)}\n`);
}
