/**
 * Amounts sorted by a time key with prefix sums, so "the sum of every amount whose key is before
 * t" is one binary search: O(n log n) to build, O(log n) per question.
 */
export class SortedPrefixSums {
  private readonly keys: Float64Array;
  /** prefix[i] = sum of the amounts of the i smallest keys. */
  private readonly prefix: Float64Array;

  constructor(keys: Float64Array, amounts: Float64Array) {
    if (keys.length !== amounts.length) {
      throw new Error(`${keys.length} keys but ${amounts.length} amounts`);
    }
    const order = new Uint32Array(keys.length);
    for (let i = 0; i < order.length; i += 1) order[i] = i;
    order.sort((x, y) => (keys[x] as number) - (keys[y] as number));
    this.keys = new Float64Array(keys.length);
    this.prefix = new Float64Array(keys.length + 1);
    for (let i = 0; i < order.length; i += 1) {
      const row = order[i] as number;
      this.keys[i] = keys[row] as number;
      this.prefix[i + 1] = (this.prefix[i] as number) + (amounts[row] as number);
    }
  }

  /** Sum of the amounts whose key is < `key` (strict: `strict` true) or <= `key`. */
  sumBefore(key: number, strict: boolean): number {
    let low = 0;
    let high = this.keys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const probe = this.keys[middle] as number;
      if (probe < key || (!strict && probe === key)) low = middle + 1;
      else high = middle;
    }
    return this.prefix[low] as number;
  }
}
