/**
 * Interns a key's register values as small integers, so that the search compares and hashes
 * numbers instead of JSON. Values compare as history/value-key.ts says: 1 and "1" differ.
 *
 * Memory: one map entry and one array slot per distinct value of the key.
 */
import { valueKey } from '../../history/value-key.ts';

export class ValueTable {
  private readonly idsByKey = new Map<string, number>();
  private readonly values: unknown[] = [];

  /** The id of `value`, assigning the next one on first sight. */
  intern(value: unknown): number {
    const key = valueKey(value);
    const known = this.idsByKey.get(key);
    if (known !== undefined) return known;
    const id = this.values.length;
    this.idsByKey.set(key, id);
    this.values.push(value === undefined ? null : value);
    return id;
  }

  valueOf(id: number): unknown {
    if (!(id >= 0 && id < this.values.length)) throw new Error(`no register value with id ${id}`);
    return this.values[id];
  }

  get size(): number {
    return this.values.length;
  }
}
