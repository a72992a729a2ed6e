/**
 * One Jepsen op as read from either input format, before it is mapped to the paychaos
 * vocabulary: process, type and f are checked; the value stays EDN, since telling a
 * `[key value]` tuple or a `:timed-out` keyword apart needs the EDN kinds.
 */
import { printEdn } from '../edn/edn-printer.ts';
import { type EdnMap, type EdnValue, isKind } from '../edn/edn-value.ts';
import type { OpType, Process } from '../op.ts';
import { ednKeyString, ednToJson, setOwn } from './edn-to-json.ts';
import { ImportProblem } from './import-problem.ts';

export interface RawOp {
  /** The input line the op starts on. */
  line: number;
  process: Process;
  type: OpType;
  f: string;
  /** Absent when the op has no :value. */
  value: EdnValue | undefined;
  /** Jepsen's :time, ns; absent in text logs and in some EDN files. */
  timeNs: number | undefined;
  /** Jepsen's :index; only checked for order, since paychaos assigns its own. */
  jepsenIndex: number | undefined;
  error: string | undefined;
  /** Every other key of the op map, converted to JSON, in input order. */
  extras: Record<string, unknown>;
}

const OP_TYPE_NAMES = new Set(['invoke', 'ok', 'fail', 'info']);
const SPECIAL_PROCESSES = new Set(['nemesis', 'setup', 'final']);
const OWN_KEYS = new Set(['type', 'f', 'value', 'process', 'time', 'index', 'error']);
/** Keys a kept extra must not become: the writer owns them. */
const RESERVED_NAMES = new Set(['index', 'time', 'process', 'type', 'f', 'value', 'error']);

export function describeEdn(value: EdnValue | undefined): string {
  if (value === undefined) return 'nothing';
  const text = printEdn(value);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

/** The name of a keyword (or, where `symbols`, a symbol); undefined for anything else. */
export function keywordName(value: EdnValue | undefined, symbols = false): string | undefined {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  if (value.kind === 'keyword' || (symbols && value.kind === 'symbol')) return value.name;
  return undefined;
}

export function parseProcess(value: EdnValue | undefined): Process {
  if (typeof value === 'bigint' && value >= 0n && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(value);
  }
  const name = keywordName(value);
  if (name !== undefined && SPECIAL_PROCESSES.has(name)) return name as Process;
  throw new ImportProblem(
    `:process must be a non-negative integer or :nemesis, got ${describeEdn(value)}`,
  );
}

export function parseType(value: EdnValue | undefined): OpType {
  const name = keywordName(value);
  if (name !== undefined && OP_TYPE_NAMES.has(name)) return name as OpType;
  throw new ImportProblem(`:type must be :invoke, :ok, :fail or :info, got ${describeEdn(value)}`);
}

export function parseF(value: EdnValue | undefined): string {
  const name = keywordName(value, true) ?? value;
  if (typeof name === 'string' && name.length > 0) return name;
  throw new ImportProblem(`:f must be a keyword, got ${describeEdn(value)}`);
}

function parseNonNegative(value: EdnValue | undefined, key: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint' && value >= 0n && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(value);
  }
  throw new ImportProblem(`:${key} must be a non-negative integer, got ${describeEdn(value)}`);
}

/** A string for paychaos's `error` field: strings and keywords as they are, else EDN text. */
export function errorText(value: EdnValue): string {
  if (typeof value === 'string') return value;
  return keywordName(value, true) ?? printEdn(value);
}

/** An op map of history.edn; a record tag such as `#jepsen.history.Op{...}` is looked through. */
export function rawOpFromEdn(form: EdnValue, line: number): RawOp {
  const map: EdnMap | null = isKind(form, 'map')
    ? form
    : isKind(form, 'tagged') && isKind(form.value, 'map')
      ? form.value
      : null;
  if (map === null)
    throw new ImportProblem(`expected an op map {:type ... :f ...}, got ${describeEdn(form)}`);
  const get = (name: string): EdnValue | undefined => {
    for (const [key, value] of map.entries)
      if (isKind(key, 'keyword') && key.name === name) return value;
    return undefined;
  };
  const error = get('error');
  const extras: Record<string, unknown> = {};
  for (const [key, value] of map.entries) {
    if (isKind(key, 'keyword') && OWN_KEYS.has(key.name)) continue;
    const name = ednKeyString(key);
    if (RESERVED_NAMES.has(name) || Object.hasOwn(extras, name)) {
      throw new ImportProblem(`the op has two keys that both become "${name}"`);
    }
    setOwn(extras, name, ednToJson(value));
  }
  return {
    line,
    process: parseProcess(get('process')),
    type: parseType(get('type')),
    f: parseF(get('f')),
    value: get('value'),
    timeNs: parseNonNegative(get('time'), 'time'),
    jepsenIndex: parseNonNegative(get('index'), 'index'),
    error: error === undefined || error === null ? undefined : errorText(error),
    extras,
  };
}
