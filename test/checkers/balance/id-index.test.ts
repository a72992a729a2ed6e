import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdIndex, idHash } from '../../../checkers/balance/id-index.ts';

/** Adds each id not seen yet, like IdTable.register; returns the slot of every id given. */
function indexAll(ids: readonly string[]): { index: IdIndex; rows: string[]; slots: number[] } {
  const index = new IdIndex();
  const rows: string[] = [];
  const slots = ids.map((id) => {
    const found = index.findOrAdd(id, rows);
    if (found >= 0) return found;
    rows.push(id);
    return -1 - found;
  });
  return { index, rows, slots };
}

describe('IdIndex', () => {
  it('finds what a Map finds, through growth, for any ids', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 3000 }), (ids) => {
        const { index, rows, slots } = indexAll(ids);
        const byMap = new Map<string, number>();
        for (const id of ids) if (!byMap.has(id)) byMap.set(id, byMap.size);
        expect(slots).toEqual(ids.map((id) => byMap.get(id)));
        for (const [id, slot] of byMap) expect(index.find(id, rows)).toBe(slot);
        expect(index.find('\u0000absent', rows)).toBe(-1);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps ids apart whose hashes collide', () => {
    // Two distinct ids with one 32-bit hash: the birthday bound finds one among ~10^5 short ids.
    const byHash = new Map<number, string>();
    let pair: [string, string] | null = null;
    for (let n = 0; pair === null && n < 2_000_000; n += 1) {
      const id = `t${n.toString(36)}`;
      const other = byHash.get(idHash(id));
      if (other !== undefined) pair = [other, id];
      else byHash.set(idHash(id), id);
    }
    if (pair === null) throw new Error('no colliding pair found');
    const [a, b] = pair;
    expect(idHash(a)).toBe(idHash(b));
    const { index, rows } = indexAll([a, b, a, b]);
    expect(rows).toEqual([a, b]);
    expect(index.find(a, rows)).toBe(0);
    expect(index.find(b, rows)).toBe(1);
  });

  it('holds a million ids', () => {
    const ids = Array.from({ length: 1_000_000 }, (_, i) => `t${i}`);
    const { index, rows } = indexAll(ids);
    expect(rows).toHaveLength(1_000_000);
    expect(index.find('t999999', rows)).toBe(999_999);
    expect(index.find('t1000000', rows)).toBe(-1);
  });
});
