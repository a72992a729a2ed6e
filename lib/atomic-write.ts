/**
 * Writes a file whole or not at all: into a temporary file beside it, then renamed over it, so a
 * reader (or a crash) never sees half of results.json, run.json or a report.
 */
import { renameSync, writeFileSync } from 'node:fs';

export function writeFileAtomically(file: string, text: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Pretty-printed, two spaces, one trailing newline: the layout of every JSON file paychaos writes. */
export function writeJsonAtomically(file: string, value: unknown): void {
  writeFileAtomically(file, `${JSON.stringify(value, null, 2)}\n`);
}
