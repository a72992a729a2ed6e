/**
 * The values of EDN (https://github.com/edn-format/edn) as plain data. Scalars that JavaScript
 * has map onto it (nil -> null, strings, booleans); integers are bigint so that 2^63 survives;
 * everything JavaScript cannot tell apart (vector vs list vs set, keyword vs symbol vs string,
 * 1 vs 1.0) carries a `kind`.
 */

export interface EdnKeyword {
  kind: 'keyword';
  /** Without the colon; a namespaced keyword keeps its slash: "jepsen/op". */
  name: string;
}

export interface EdnSymbol {
  kind: 'symbol';
  name: string;
}

export interface EdnChar {
  kind: 'char';
  char: string;
}

/** A floating-point number: 1.0 stays distinct from the integer 1. */
export interface EdnFloat {
  kind: 'float';
  value: number;
}

/** An exact decimal (`1.5M`), kept as its text. */
export interface EdnDecimal {
  kind: 'decimal';
  text: string;
}

export interface EdnVector {
  kind: 'vector';
  items: EdnValue[];
}

export interface EdnList {
  kind: 'list';
  items: EdnValue[];
}

export interface EdnSet {
  kind: 'set';
  items: EdnValue[];
}

/** Entries in the order written; keys are unique (the reader refuses duplicates). */
export interface EdnMap {
  kind: 'map';
  entries: [EdnValue, EdnValue][];
}

/** `#inst "..."`, `#uuid "..."` and any other tagged literal, kept as written. */
export interface EdnTagged {
  kind: 'tagged';
  tag: string;
  value: EdnValue;
}

export type EdnValue =
  | null
  | boolean
  | bigint
  | string
  | EdnFloat
  | EdnDecimal
  | EdnKeyword
  | EdnSymbol
  | EdnChar
  | EdnVector
  | EdnList
  | EdnSet
  | EdnMap
  | EdnTagged;

export type EdnKind = Exclude<EdnValue, null | boolean | bigint | string>['kind'];

export function keyword(name: string): EdnKeyword {
  return { kind: 'keyword', name };
}

export function symbol(name: string): EdnSymbol {
  return { kind: 'symbol', name };
}

export function float(value: number): EdnFloat {
  return { kind: 'float', value };
}

export function vector(items: EdnValue[]): EdnVector {
  return { kind: 'vector', items };
}

export function ednMap(entries: [EdnValue, EdnValue][]): EdnMap {
  return { kind: 'map', entries };
}

export function isKind<K extends EdnKind>(
  value: EdnValue,
  kind: K,
): value is Extract<EdnValue, { kind: K }> {
  return typeof value === 'object' && value !== null && value.kind === kind;
}

export function isKeyword(value: EdnValue, name?: string): value is EdnKeyword {
  return isKind(value, 'keyword') && (name === undefined || value.name === name);
}

/** A vector or a list: what Clojure calls sequential. */
export function sequentialItems(value: EdnValue): EdnValue[] | null {
  if (isKind(value, 'vector') || isKind(value, 'list')) return value.items;
  return null;
}

/** The value under keyword `:name` in a map, undefined when absent. Maps of ops are small. */
export function mapGet(map: EdnMap, name: string): EdnValue | undefined {
  for (const [key, value] of map.entries) if (isKeyword(key, name)) return value;
  return undefined;
}
