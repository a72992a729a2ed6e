/**
 * How register ops print in Jepsen's format. A history of one register prints plain values
 * (`:value 3`), as Jepsen's own register tests do; several keys print jepsen.independent tuples
 * (`:value [k 3]`). The importer names the one register of a plain history after the key its
 * `init` names alone, else "register" — so one key under any other name prints as tuples, or
 * its name would be lost on the way back.
 *
 * Memory: the first pass keeps at most two register keys and the init's keys.
 */
import type { EdnValue } from '../edn/edn-value.ts';
import { PLAIN_REGISTER_KEY, VALUE_UNKNOWN_KEY } from '../import/history-survey.ts';
import { type Op, REGISTER_FS } from '../op.ts';
import { readHistory } from '../reader.ts';
import { isRecord, readValueUnknown } from '../value-shapes.ts';
import { jsonToEdn, registerKeyToEdn } from './json-to-edn.ts';

export interface RegisterLayout {
  tuples: boolean;
}

/** The register key of a client register op, or null for any other op. */
function registerKey(op: Op): string | null {
  if (typeof op.process !== 'number' || !REGISTER_FS.has(op.f)) return null;
  return isRecord(op.value) && typeof op.value.key === 'string' ? op.value.key : null;
}

function initKeys(op: Op): string[] {
  if (op.f !== 'init' || !isRecord(op.value)) return [];
  const { registers, strong } = op.value;
  const keys = new Set(isRecord(registers) ? Object.keys(registers) : []);
  if (Array.isArray(strong)) for (const key of strong) if (typeof key === 'string') keys.add(key);
  return [...keys];
}

export function registerLayout(historyFile: string): RegisterLayout {
  const used = new Set<string>();
  let named: string[] = [];
  readHistory(historyFile, {
    onOp: (op) => {
      if (op.process === 'setup') named = initKeys(op);
      const key = registerKey(op);
      if (key !== null && used.size < 2) used.add(key);
    },
    onClientOp: () => {},
  });
  const plainKey = named.length === 1 ? named[0]! : PLAIN_REGISTER_KEY;
  return { tuples: !(used.size === 1 && used.has(plainKey)) };
}

export interface RegisterEdn {
  /** Undefined: the op prints no :value (a completion that carries only its key). */
  value: EdnValue | undefined;
  /** Fields of the value beyond the register's own (e.g. a write's `ts`), printed on the op. */
  extras: [string, unknown][];
}

const OWN_FIELDS: Record<string, string[]> = {
  read: ['key', 'value', 'valueUnknown'],
  write: ['key', 'value'],
  cas: ['key', 'from', 'to'],
};

/**
 * The Jepsen value of a register op, or null when `op` is not one (it then prints as JSON). A
 * completion may leave its key out (the reader takes it from the invoke): `keyInFlight` is
 * the invoke's.
 */
export function registerOpValue(
  op: Op,
  layout: RegisterLayout,
  keyInFlight: string | undefined,
): RegisterEdn | null {
  if (typeof op.process !== 'number' || !REGISTER_FS.has(op.f)) return null;
  const value = op.value === undefined || op.value === null ? {} : op.value;
  if (!isRecord(value)) return null;
  const key =
    typeof value.key === 'string' ? value.key : op.type === 'invoke' ? undefined : keyInFlight;
  if (key === undefined) return null;
  const own = OWN_FIELDS[op.f]!;
  const extras = Object.entries(value).filter(([name]) => !own.includes(name));
  let inner: EdnValue;
  if (op.f === 'cas' && 'from' in value && 'to' in value) {
    inner = { kind: 'vector', items: [jsonToEdn(value.from), jsonToEdn(value.to)] };
  } else if (op.f !== 'cas' && 'value' in value) inner = jsonToEdn(value.value);
  else if (op.f === 'read' && readValueUnknown(value)) {
    // Jepsen's nil read; the marker tells the importer it was "unknown", not "empty".
    inner = null;
    extras.push([VALUE_UNKNOWN_KEY, true]);
  } else if (op.type !== 'invoke') return { value: undefined, extras };
  else inner = null;
  if (!layout.tuples) return { value: inner, extras };
  return { value: { kind: 'vector', items: [registerKeyToEdn(key), inner] }, extras };
}
