/**
 * A deep copy of JSON data: what the simulated stores hand out and take in, so that no caller can
 * reach into a store's rows and items. It replaces `structuredClone` on those paths: the same
 * copy for JSON data (own keys in their order, `undefined` values kept, -0 kept, `__proto__` an
 * own key as JSON.parse makes it), 3-7x cheaper for a bank row: structuredClone goes through V8's
 * serializer and was a sixth of a simulator run's CPU (bench/RESULTS.md §3).
 * Anything that is not JSON data (a Map, a Date, a class instance, a function, a cycle) throws
 * instead of being copied some other way: the stores hold JSON values only.
 */
import type { JsonValue } from '../../history/json-value.ts';

/** Deeper than any row or item the bank writes; a cycle ends here instead of in a stack overflow. */
export const COPY_DEPTH_MAX = 64;

export function copyJson<T extends JsonValue | undefined>(value: T): T {
  return copyAt(value, 0) as T;
}

function copyAt(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') {
      throw new TypeError(`copyJson: a ${typeof value} is not JSON data`);
    }
    return value;
  }
  if (depth >= COPY_DEPTH_MAX) {
    throw new RangeError(`copyJson: nested deeper than ${COPY_DEPTH_MAX} levels (a cycle?)`);
  }
  if (Array.isArray(value)) return value.map((item: unknown) => copyAt(item, depth + 1));
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new TypeError(`copyJson: a ${name} is not JSON data`);
  }
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  // for-in sees own keys only here (the prototype is Object.prototype or null, neither with an
  // enumerable key) and is faster than Object.keys, which allocates an array per object.
  for (const key in source) {
    const item = copyAt(source[key], depth + 1);
    // Assigning `__proto__` would set the copy's prototype instead of making an own key.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else copy[key] = item;
  }
  return copy;
}
