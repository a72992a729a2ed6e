/**
 * Bad input in a history: names the file and line, and what was expected. The command line
 * prints `message` as the one line on stderr and exits 65.
 */
export class HistoryError extends Error {
  readonly file: string;
  readonly line: number;
  readonly problem: string;

  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'HistoryError';
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
}

/** A problem with one field of a line, before the line number is known. */
export class FieldError extends Error {
  constructor(field: string, expected: string, got: unknown) {
    super(`field "${field}": expected ${expected}, got ${describeValue(got)}`);
    this.name = 'FieldError';
  }
}

const DESCRIBED_CHARS_MAX = 60;

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > DESCRIBED_CHARS_MAX ? `${text.slice(0, DESCRIBED_CHARS_MAX)}...` : text;
}
