/**
 * `lag.jsonl`: replication lag a real target measured beside the history (docs/history-format.md,
 * "lag.jsonl"). On AWS: each sample of `aurora_global_db_status()` on the Aurora writer, one line
 * per secondary cluster, and each CloudWatch datapoint of DynamoDB's `ReplicationLatency` per
 * table and region pair. A sample that could not be taken is a gap line saying why: a gap is
 * part of what was measured (a writer that did not answer during a failover), not an error.
 *
 * The writer validates a line before it writes it and the reader validates it again, as the
 * history's do. A line names regions, tables and times only; never a credential.
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';

export const LAG_FILE = 'lag.jsonl';
/** Far above a day of samples every second in four regions: a bigger file is not a lag file. */
export const LAG_LINES_MAX = 1_000_000;
export const LAG_FILE_BYTES_MAX = 256 * 1024 * 1024;
/** The room a full file keeps for its last line, which says it is full. */
const LAST_LINE_BYTES_MAX = 2_048;
const TEXT_CHARS_MAX = 1_000;

export const AURORA_SOURCE = 'aurora-global-db-status';
export const DYNAMODB_SOURCE = 'dynamodb-replication-latency';

/** One secondary cluster's row of one sample; lags in ms, null where Aurora gave none. */
export interface AuroraLagLine {
  source: typeof AURORA_SOURCE;
  /** When the sample was taken, on the run's clock (the history's `time`, in ms). */
  atMs: number;
  /** The wall-clock time of the sample, ISO 8601. */
  at: string;
  /** The region whose writer answered. */
  writer: string;
  /** The secondary cluster's region (`aws_region`). */
  region: string;
  durabilityLagMs: number | null;
  rpoLagMs: number | null;
  highestLsnWritten: string | null;
  lastLagCalculationTime: string | null;
}

export interface AuroraGapLine {
  source: typeof AURORA_SOURCE;
  atMs: number;
  at: string;
  writer: string;
  gap: string;
}

/** One CloudWatch period of ReplicationLatency from `region`'s replica to `receivingRegion`'s. */
export interface ReplicationLatencyLine {
  source: typeof DYNAMODB_SOURCE;
  table: string;
  region: string;
  receivingRegion: string;
  /** The period's start, ISO 8601 (CloudWatch's timestamp). */
  at: string;
  periodS: number;
  averageMs: number;
  maximumMs: number | null;
}

/** A table and region pair whose datapoints could not be read, or had none in the window. */
export interface ReplicationLatencyGapLine {
  source: typeof DYNAMODB_SOURCE;
  table: string;
  region: string;
  receivingRegion: string;
  gap: string;
}

export type LagLine =
  | AuroraLagLine
  | AuroraGapLine
  | ReplicationLatencyLine
  | ReplicationLatencyGapLine;

type Fields = Record<string, unknown>;

function need(ok: boolean, field: string, expected: string): void {
  if (!ok) throw new Error(`${field}: expected ${expected}`);
}

function text(line: Fields, field: string): void {
  const value = line[field];
  need(
    typeof value === 'string' && value.length > 0 && value.length <= TEXT_CHARS_MAX,
    field,
    `text of 1..${TEXT_CHARS_MAX} characters`,
  );
}

function textOrNull(line: Fields, field: string): void {
  if (line[field] !== null) text(line, field);
}

function ms(line: Fields, field: string): void {
  const value = line[field];
  need(
    typeof value === 'number' && Number.isFinite(value) && value >= 0,
    field,
    'a finite number of ms >= 0',
  );
}

function msOrNull(line: Fields, field: string): void {
  if (line[field] !== null) ms(line, field);
}

function time(line: Fields, field: string): void {
  text(line, field);
  need(!Number.isNaN(Date.parse(line[field] as string)), field, 'an ISO 8601 time');
}

function onlyFields(line: Fields, fields: string[]): void {
  const extra = Object.keys(line).filter((key) => !fields.includes(key));
  need(extra.length === 0, extra[0] ?? '', `one of the fields ${fields.join(', ')}`);
  for (const field of fields) need(field in line, field, 'present');
}

/** Throws, naming the field, unless `value` is a lag line. */
export function checkLagLine(value: unknown): LagLine {
  need(typeof value === 'object' && value !== null && !Array.isArray(value), 'line', 'an object');
  const line = value as Fields;
  if (line.source === AURORA_SOURCE) {
    ms(line, 'atMs');
    time(line, 'at');
    text(line, 'writer');
    if ('gap' in line) {
      onlyFields(line, ['source', 'atMs', 'at', 'writer', 'gap']);
      text(line, 'gap');
      return line as unknown as AuroraGapLine;
    }
    const fields = ['source', 'atMs', 'at', 'writer', 'region', 'durabilityLagMs', 'rpoLagMs'];
    onlyFields(line, [...fields, 'highestLsnWritten', 'lastLagCalculationTime']);
    text(line, 'region');
    msOrNull(line, 'durabilityLagMs');
    msOrNull(line, 'rpoLagMs');
    textOrNull(line, 'highestLsnWritten');
    textOrNull(line, 'lastLagCalculationTime');
    return line as unknown as AuroraLagLine;
  }
  if (line.source === DYNAMODB_SOURCE) {
    text(line, 'table');
    text(line, 'region');
    text(line, 'receivingRegion');
    if ('gap' in line) {
      onlyFields(line, ['source', 'table', 'region', 'receivingRegion', 'gap']);
      text(line, 'gap');
      return line as unknown as ReplicationLatencyGapLine;
    }
    onlyFields(line, [
      'source',
      'table',
      'region',
      'receivingRegion',
      'at',
      'periodS',
      'averageMs',
      'maximumMs',
    ]);
    time(line, 'at');
    need(
      Number.isInteger(line.periodS) && (line.periodS as number) > 0,
      'periodS',
      'a whole number of seconds > 0',
    );
    ms(line, 'averageMs');
    msOrNull(line, 'maximumMs');
    return line as unknown as ReplicationLatencyLine;
  }
  throw new Error(`source: expected ${AURORA_SOURCE} or ${DYNAMODB_SOURCE}`);
}

export function isGap(line: LagLine): line is AuroraGapLine | ReplicationLatencyGapLine {
  return 'gap' in line;
}

/** A lag file that is not one: the message names the file and the line. */
export class LagFileError extends Error {
  override name = 'LagFileError';
}

export interface LagWriterBounds {
  linesMax: number;
  bytesMax: number;
}

/**
 * Appends lag lines as they are measured, each in one write(2): a crash keeps every line before.
 * It keeps within the bounds the reader enforces: once a line would not fit (with room left for
 * one last line), `append` writes nothing and returns false, and `appendLast` writes the line that
 * says so.
 */
export class LagWriter {
  private readonly fd: number;
  private closed = false;
  private bytesWritten = 0;
  private lastWritten = false;
  isFull = false;
  linesWritten = 0;

  constructor(
    readonly file: string,
    private readonly bounds: LagWriterBounds = {
      linesMax: LAG_LINES_MAX,
      bytesMax: LAG_FILE_BYTES_MAX,
    },
  ) {
    this.fd = openSync(file, 'a');
  }

  /** Writes the line, or returns false when the file is full (nothing written). */
  append(line: LagLine): boolean {
    const text = this.textOf(line);
    const bytes = Buffer.byteLength(text);
    if (
      this.isFull ||
      this.linesWritten + 2 > this.bounds.linesMax ||
      this.bytesWritten + bytes + LAST_LINE_BYTES_MAX > this.bounds.bytesMax
    ) {
      this.isFull = true;
      return false;
    }
    this.write(text, bytes);
    return true;
  }

  /** The one line, in the room kept for it, saying why nothing more was written. */
  appendLast(line: LagLine): void {
    const text = this.textOf(line);
    const bytes = Buffer.byteLength(text);
    if (this.lastWritten || bytes > LAST_LINE_BYTES_MAX) {
      throw new Error(
        `${this.file}: the last line is written once, in ${LAST_LINE_BYTES_MAX} bytes`,
      );
    }
    this.lastWritten = true;
    this.isFull = true;
    this.write(text, bytes);
  }

  private textOf(line: LagLine): string {
    if (this.closed) throw new Error(`lag writer for ${this.file} is closed`);
    const checked = checkLagLineOrThrow(line, `${this.file}: line ${this.linesWritten + 1}`);
    return `${JSON.stringify(checked)}\n`;
  }

  private write(text: string, bytes: number): void {
    writeSync(this.fd, text);
    this.linesWritten += 1;
    this.bytesWritten += bytes;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

function checkLagLineOrThrow(value: unknown, where: string): LagLine {
  try {
    return checkLagLine(value);
  } catch (error) {
    throw new LagFileError(`${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Every line of a lag file, validated; a bad line is a LagFileError naming it. */
export function readLagFile(file: string): LagLine[] {
  const bytes = statSync(file).size;
  if (bytes > LAG_FILE_BYTES_MAX) {
    throw new LagFileError(`${file}: ${bytes} bytes; expected at most ${LAG_FILE_BYTES_MAX}`);
  }
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length > LAG_LINES_MAX) {
    throw new LagFileError(`${file}: ${lines.length} lines; expected at most ${LAG_LINES_MAX}`);
  }
  return lines.map((text, i) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new LagFileError(`${file}: line ${i + 1}: expected a JSON object`);
    }
    return checkLagLineOrThrow(value, `${file}: line ${i + 1}`);
  });
}
