import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../history/json-value.ts';
import { COPY_DEPTH_MAX, copyJson } from '../../../targets/sim/copy-json.ts';

/** Every object and array inside a value, the value itself included. */
function containers(value: unknown, found: object[] = []): object[] {
  if (value === null || typeof value !== 'object') return found;
  found.push(value);
  for (const item of Object.values(value)) containers(item, found);
  return found;
}

/** Own keys, prototypes and -0 compared, which toStrictEqual alone would let slip for __proto__. */
function sameShape(a: unknown, b: unknown): boolean {
  if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') {
    return Object.is(a, b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key, i) =>
      key === keysB[i] &&
      sameShape(
        (a as Record<string | symbol, unknown>)[key],
        (b as Record<string | symbol, unknown>)[key],
      ),
  );
}

const jsonWithEdges: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom<JsonValue>(null, true, false, 0, -0, 1.5, -7, '', 'x'),
    fc.string(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('__proto__', '0', '10', 'constructor')),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

describe('copyJson', () => {
  it('copies JSON data as structuredClone does, sharing no object with the original', () => {
    fc.assert(
      fc.property(jsonWithEdges, (value) => {
        const copy = copyJson(value);
        expect(sameShape(copy, structuredClone(value))).toBe(true);
        expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
        const originals = new Set(containers(value));
        expect(containers(copy).filter((inner) => originals.has(inner))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps undefined values, own __proto__ keys and key order', () => {
    const value = JSON.parse('{"b":1,"__proto__":{"x":[1,{"y":null}]},"a":2,"1":3}') as JsonValue;
    const withUndefined = { ...(value as Record<string, JsonValue>), gone: undefined };
    const copy = copyJson(withUndefined as unknown as JsonValue);
    expect(Object.keys(copy as object)).toEqual(['1', 'b', '__proto__', 'a', 'gone']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(sameShape(copy, structuredClone(withUndefined))).toBe(true);
  });

  it('refuses what is not JSON data instead of copying it some other way', () => {
    class Row {
      balance = 1;
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const refused: [unknown, string][] = [
      [new Map([['a', 1]]), 'a Map is not JSON data'],
      [{ at: new Date(0) }, 'a Date is not JSON data'],
      [[new Row()], 'a Row is not JSON data'],
      [{ f: () => 1 }, 'a function is not JSON data'],
      [[Symbol('s')], 'a symbol is not JSON data'],
      [cyclic, `nested deeper than ${COPY_DEPTH_MAX} levels`],
    ];
    for (const [value, message] of refused) {
      expect(() => copyJson(value as JsonValue)).toThrow(message);
    }
  });
});
