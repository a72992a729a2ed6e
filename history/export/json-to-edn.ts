/**
 * JSON data of history.jsonl to EDN values, chosen so that the importer reads them back to the
 * same JSON: integers stay integers (a JSON integer beyond 2^53 prints as a float, as JSON
 * already holds it), object keys become keywords where they read as one (`:alice`), integers
 * where they are canonical decimal integers (`0`, as Jepsen's bank names accounts), and strings
 * otherwise; string values stay strings.
 */
import { type EdnValue, float, keyword } from '../edn/edn-value.ts';

const KEYWORD_NAME = /^[A-Za-z_][\w\-.?!*+]*$/;

export function isKeywordName(name: string): boolean {
  return KEYWORD_NAME.test(name);
}

/** A key the importer turns back into `key`. */
export function keyToEdn(key: string): EdnValue {
  const asNumber = Number(key);
  if (Number.isSafeInteger(asNumber) && String(asNumber) === key) return BigInt(asNumber);
  return isKeywordName(key) ? keyword(key) : key;
}

/** A register key: an integer where it is one, else a string (jepsen.independent style). */
export function registerKeyToEdn(key: string): EdnValue {
  const asNumber = Number(key);
  return Number.isSafeInteger(asNumber) && String(asNumber) === key ? BigInt(asNumber) : key;
}

export function jsonToEdn(value: unknown): EdnValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return value;
    case 'number':
      return Number.isSafeInteger(value) ? BigInt(value) : float(value);
    case 'object':
      if (Array.isArray(value)) return { kind: 'vector', items: value.map(jsonToEdn) };
      return {
        kind: 'map',
        entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [
          keyToEdn(k),
          jsonToEdn(v),
        ]),
      };
    default:
      throw new Error(`not JSON data: ${typeof value}`);
  }
}
