/**
 * The simulator's one source of randomness: xoshiro128** seeded through splitmix32. Same seed,
 * same sequence, on every platform (32-bit integer arithmetic only). Nothing in the simulator
 * may use Math.random (test/targets/sim/determinism-guard.test.ts enforces it).
 */

const SEED_MAX = Number.MAX_SAFE_INTEGER;

function splitmix32(state: { value: number }): number {
  state.value = (state.value + 0x9e3779b9) | 0;
  let z = state.value;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0 || seed > SEED_MAX) {
      throw new Error(`seed must be an integer in [0, ${SEED_MAX}], got ${seed}`);
    }
    const state = { value: (seed % 0x100000000) ^ Math.floor(seed / 0x100000000) };
    this.s0 = splitmix32(state);
    this.s1 = splitmix32(state);
    this.s2 = splitmix32(state);
    this.s3 = splitmix32(state);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  float(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** An integer in [min, maxExclusive). */
  int(min: number, maxExclusive: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(maxExclusive) || maxExclusive <= min) {
      throw new Error(`int(${min}, ${maxExclusive}): need integers with min < maxExclusive`);
    }
    return min + Math.floor(this.float() * (maxExclusive - min));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    if (!(p >= 0 && p <= 1)) throw new Error(`chance(${p}): p must be in [0, 1]`);
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length)]!;
  }

  /** An exponentially distributed value with the given mean (inter-arrival times). */
  exponential(mean: number): number {
    if (!(mean > 0)) throw new Error(`exponential(${mean}): mean must be positive`);
    return -mean * Math.log(1 - this.float());
  }

  /**
   * A new generator seeded from this one's stream: a component that draws a varying number of
   * values gets its own stream, so adding draws there does not shift everyone else's.
   */
  fork(): Prng {
    return new Prng(this.nextUint32() * 0x200000 + (this.nextUint32() >>> 11));
  }
}
