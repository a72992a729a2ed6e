/**
 * `paychaos export edn`: history.jsonl to Jepsen's history.edn, one op map a line:
 *
 *   {:type :invoke, :f :cas, :value [3 [1 2]], :process 0, :time 1200000, :index 1}
 *
 * Register ops go back to Jepsen's shape: plain values for a history of one register, and
 * jepsen.independent `[key value]` tuples when there are several keys (or when the one key's
 * name would otherwise be lost: see register-layout.ts). Every other op is its map with keyword
 * keys. Two streaming passes: the first finds the register keys.
 */
import { printEdn } from '../edn/edn-printer.ts';
import { type EdnValue, keyword } from '../edn/edn-value.ts';
import type { Op } from '../op.ts';
import { readHistory } from '../reader.ts';
import { isRecord } from '../value-shapes.ts';
import { isKeywordName, jsonToEdn, keyToEdn } from './json-to-edn.ts';
import { type RegisterLayout, registerLayout, registerOpValue } from './register-layout.ts';

export interface ExportResult {
  opsWritten: number;
}

/** Keys printed first, in Jepsen's order. */
const LEADING_KEYS = ['type', 'f', 'value', 'process', 'time', 'index'];

function processToEdn(process: Op['process']): EdnValue {
  return typeof process === 'number' ? BigInt(process) : keyword(process);
}

function opToEdn(op: Op, layout: RegisterLayout, keyInFlight: string | undefined): EdnValue {
  const entries: [EdnValue, EdnValue][] = [];
  const put = (name: string, value: EdnValue): void => {
    entries.push([keyword(name), value]);
  };
  const register = registerOpValue(op, layout, keyInFlight);
  // An imported nemesis invoke goes back to being one.
  const type = op.process === 'nemesis' && op.jepsenType === 'invoke' ? 'invoke' : op.type;
  put('type', keyword(type));
  put('f', keyword(op.f));
  if (register !== null) {
    if (register.value !== undefined) put('value', register.value);
  } else if (op.value !== undefined) put('value', jsonToEdn(op.value));
  put('process', processToEdn(op.process));
  put('time', BigInt(op.time));
  put('index', BigInt(op.index));
  for (const [name, value] of Object.entries(op)) {
    if (LEADING_KEYS.includes(name) || value === undefined) continue;
    if (name === 'jepsenType' && op.process === 'nemesis') continue;
    if (name === 'error' && typeof value === 'string' && isKeywordName(value))
      put(name, keyword(value));
    else entries.push([keyToEdn(name), jsonToEdn(value)]);
  }
  for (const [name, value] of register?.extras ?? []) {
    entries.push([keyToEdn(Object.hasOwn(op, name) ? `value-${name}` : name), jsonToEdn(value)]);
  }
  return { kind: 'map', entries };
}

export function exportEdn(historyFile: string, out: (text: string) => void): ExportResult {
  const layout = registerLayout(historyFile);
  // Memory: the register key of each process in flight, for completions that leave it out.
  const keysInFlight = new Map<number, string>();
  let opsWritten = 0;
  readHistory(historyFile, {
    onOp: (op) => {
      const process = typeof op.process === 'number' ? op.process : null;
      const keyInFlight = process === null ? undefined : keysInFlight.get(process);
      out(`${printEdn(opToEdn(op, layout, keyInFlight))}\n`);
      opsWritten += 1;
      if (process === null) return;
      const key = isRecord(op.value) ? op.value.key : undefined;
      if (op.type === 'invoke' && typeof key === 'string') keysInFlight.set(process, key);
      else keysInFlight.delete(process);
    },
    onClientOp: () => {},
  });
  return { opsWritten };
}
