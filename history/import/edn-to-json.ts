/**
 * EDN values to the JSON data of history.jsonl. Keywords and symbols become their names
 * (namespace kept: `:jepsen/op` -> "jepsen/op"), maps become objects with stringified keys,
 * vectors, lists and sets become arrays, nil becomes null. Integers beyond 2^53 become decimal
 * strings, since a JSON number would silently round them.
 */
import { printEdn } from '../edn/edn-printer.ts';
import type { EdnValue } from '../edn/edn-value.ts';
import { ImportProblem } from './import-problem.ts';

/** Tags whose value is a plain string that stands for itself in JSON. */
const STRING_TAGS = new Set(['inst', 'uuid']);

/**
 * The string a map key or a register key becomes: strings as they are, keywords and symbols by
 * name, integers in decimal, characters as themselves, anything else as its EDN text.
 */
export function ednKeyString(value: EdnValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'object' && value !== null) {
    if (value.kind === 'keyword' || value.kind === 'symbol') return value.name;
    if (value.kind === 'char') return value.char;
  }
  return printEdn(value);
}

/** Sets an own property even for names like "__proto__". */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

export function ednIntegerToJson(value: bigint): number | string {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : String(value);
}

function floatToJson(value: number): number | string {
  return Number.isFinite(value) ? value : printEdn({ kind: 'float', value });
}

export function ednToJson(value: EdnValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return ednIntegerToJson(value);
  switch (value.kind) {
    case 'float':
      return floatToJson(value.value);
    case 'decimal':
      return value.text.slice(0, -1);
    case 'keyword':
    case 'symbol':
      return value.name;
    case 'char':
      return value.char;
    case 'vector':
    case 'list':
    case 'set':
      return value.items.map(ednToJson);
    case 'map':
      return ednMapToJson(value.entries);
    case 'tagged':
      if (STRING_TAGS.has(value.tag) && typeof value.value === 'string') return value.value;
      return ednMapToJson([[`#${value.tag}`, value.value]]);
  }
}

export function ednMapToJson(entries: [EdnValue, EdnValue][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    const name = ednKeyString(key);
    if (Object.hasOwn(object, name)) {
      throw new ImportProblem(
        `two map keys both become "${name}" in JSON (e.g. :${name} and "${name}")`,
      );
    }
    setOwn(object, name, ednToJson(item));
  }
  return object;
}
