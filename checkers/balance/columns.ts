/**
 * Growable typed-array columns: per-id and per-read state kept as numbers, not objects, so a
 * 10^6-op history costs a few dozen bytes per row and no allocation per op (a column doubles
 * when full, so pushes are amortised O(1)).
 */

/** Rows a column may hold: 2^27, far beyond any history a checker can read in its budget. */
export const COLUMN_ROWS_MAX = 1 << 27;
const COLUMN_ROWS_INITIAL = 1024;

function grownCapacity(capacity: number, needed: number): number {
  if (needed > COLUMN_ROWS_MAX) {
    throw new Error(`a balance-checker column would exceed ${COLUMN_ROWS_MAX} rows`);
  }
  let next = capacity;
  while (next < needed) next *= 2;
  return Math.min(next, COLUMN_ROWS_MAX);
}

// Two plain classes rather than one generic over the array type: each call site then sees one
// shape, and V8 keeps the per-op typed-array accesses monomorphic on the checker's hot path.
export class Float64Column {
  data = new Float64Array(COLUMN_ROWS_INITIAL);
  length = 0;

  /** Makes room for `rows` rows and sets the length; new rows read 0 until written. */
  resize(rows: number): void {
    this.reserve(rows);
    this.length = rows;
  }

  /** Makes room for `rows` rows without changing the length. */
  reserve(rows: number): void {
    if (rows > this.data.length) {
      const grown = new Float64Array(grownCapacity(this.data.length, rows));
      grown.set(this.data);
      this.data = grown;
    }
  }

  push(value: number): number {
    const row = this.length;
    this.resize(row + 1);
    this.data[row] = value;
    return row;
  }

  at(row: number): number {
    if (row < 0 || row >= this.length) throw new Error(`row ${row} outside 0..${this.length - 1}`);
    return this.data[row] as number;
  }
}

export class Int32Column {
  data = new Int32Array(COLUMN_ROWS_INITIAL);
  length = 0;

  /** Makes room for `rows` rows and sets the length; new rows read 0 until written. */
  resize(rows: number): void {
    this.reserve(rows);
    this.length = rows;
  }

  /** Makes room for `rows` rows without changing the length. */
  reserve(rows: number): void {
    if (rows > this.data.length) {
      const grown = new Int32Array(grownCapacity(this.data.length, rows));
      grown.set(this.data);
      this.data = grown;
    }
  }

  push(value: number): number {
    const row = this.length;
    this.resize(row + 1);
    this.data[row] = value;
    return row;
  }

  at(row: number): number {
    if (row < 0 || row >= this.length) throw new Error(`row ${row} outside 0..${this.length - 1}`);
    return this.data[row] as number;
  }
}
