/**
 * A per-worker op log: what one Artillery worker (or the harness itself) saw, on its own clock,
 * before it is merged into one history (merge-op-logs.ts). JSONL, one object a line:
 *
 * - line 1, the header: `{"opLog": 1, "source": "worker" | "harness", "worker": "<id>"}`. A
 *   harness log is on the run's clock itself (its offset is exactly 0); a worker's is on the
 *   worker's monotonic clock, ns since the worker started.
 * - a clock sample: `{"clock": {"sentNs", "receivedNs", "harnessNs"}}` — the worker asked the
 *   harness for its time at `sentNs` and had the answer `harnessNs` at `receivedNs` (both on the
 *   worker's clock). The harness read its clock somewhere in between, so the worker's offset
 *   (harness - worker) lay in [harnessNs - receivedNs, harnessNs - sentNs] (Cristian's bound).
 * - an op: a history line without `index` (design.md's fields), `time` on the log's clock.
 *
 * Worker ops carry worker-local process numbers; the merge gives them run-wide ones.
 */
import { FieldError } from '../history-error.ts';
import { OP_TYPES, type OpDraft, type OpType, SPECIAL_PROCESSES } from '../op.ts';

export const OP_LOG_VERSION = 1;

export type OpLogSource = 'worker' | 'harness';

export interface OpLogHeader {
  opLog: typeof OP_LOG_VERSION;
  source: OpLogSource;
  worker: string;
}

export interface ClockSample {
  sentNs: number;
  receivedNs: number;
  harnessNs: number;
}

export type OpLogLine =
  | { kind: 'header'; header: OpLogHeader }
  | { kind: 'clock'; sample: ClockSample }
  | { kind: 'op'; op: OpDraft };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonNegativeNs(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new FieldError(field, 'non-negative integer nanoseconds', value);
  }
  return value as number;
}

export function parseHeader(value: unknown): OpLogHeader {
  if (!isRecord(value) || value.opLog !== OP_LOG_VERSION) {
    throw new FieldError('opLog', `${OP_LOG_VERSION} (the first line of an op log)`, value);
  }
  if (value.source !== 'worker' && value.source !== 'harness') {
    throw new FieldError('source', '"worker" or "harness"', value.source);
  }
  if (typeof value.worker !== 'string' || value.worker.length === 0) {
    throw new FieldError('worker', 'a non-empty string', value.worker);
  }
  return { opLog: OP_LOG_VERSION, source: value.source, worker: value.worker };
}

function parseClock(value: unknown): ClockSample {
  if (!isRecord(value)) throw new FieldError('clock', '{sentNs, receivedNs, harnessNs}', value);
  const sample = {
    sentNs: nonNegativeNs(value.sentNs, 'clock.sentNs'),
    receivedNs: nonNegativeNs(value.receivedNs, 'clock.receivedNs'),
    harnessNs: nonNegativeNs(value.harnessNs, 'clock.harnessNs'),
  };
  if (sample.receivedNs < sample.sentNs) {
    throw new FieldError('clock.receivedNs', `>= sentNs (${sample.sentNs})`, sample.receivedNs);
  }
  return sample;
}

function parseOp(value: Record<string, unknown>, source: OpLogSource): OpDraft {
  const { time, process, type, f } = value;
  nonNegativeNs(time, 'time');
  if (!(OP_TYPES as readonly unknown[]).includes(type)) {
    throw new FieldError('type', OP_TYPES.join(', '), type);
  }
  if (typeof f !== 'string' || f.length === 0) throw new FieldError('f', 'a non-empty string', f);
  const clientProcess = Number.isSafeInteger(process) && (process as number) >= 0;
  const special = (SPECIAL_PROCESSES as readonly unknown[]).includes(process);
  if (source === 'worker' ? !clientProcess : !(special || clientProcess)) {
    const expected =
      source === 'worker' ? 'a non-negative integer (a client)' : 'a client or nemesis/setup/final';
    throw new FieldError('process', expected, process);
  }
  return { ...value, time: time as number, process: process as number, type: type as OpType, f };
}

/** One line after the header: a clock sample or an op. Throws FieldError on anything else. */
export function parseBodyLine(value: unknown, source: OpLogSource): OpLogLine {
  if (!isRecord(value)) throw new FieldError('(line)', 'a JSON object', value);
  if ('opLog' in value) throw new FieldError('opLog', 'only on the first line', value.opLog);
  if ('clock' in value) {
    if (source === 'harness') throw new FieldError('clock', 'no samples in a harness log', value);
    return { kind: 'clock', sample: parseClock(value.clock) };
  }
  return { kind: 'op', op: parseOp(value, source) };
}
