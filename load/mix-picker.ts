/**
 * Picks a name from a mix of fractions (the scenario's `mix`) with one uniform draw. Names with
 * fraction 0 are never picked; the fractions need not sum to exactly 1 (the scenario validator
 * already held them to 1 within rounding), they are used relative to their sum.
 */
import type { Prng } from '../targets/sim/prng.ts';

export class MixPicker<Name extends string> {
  private readonly names: Name[] = [];
  private readonly cumulative: number[] = [];

  constructor(mix: Readonly<Record<Name, number>>) {
    let total = 0;
    for (const name of Object.keys(mix) as Name[]) {
      const fraction = mix[name];
      if (!(fraction >= 0 && Number.isFinite(fraction))) {
        throw new Error(`mix: fraction of ${name} must be >= 0, got ${fraction}`);
      }
      if (fraction === 0) continue;
      total += fraction;
      this.names.push(name);
      this.cumulative.push(total);
    }
    if (this.names.length === 0) throw new Error('mix: every fraction is 0; nothing to pick');
  }

  /** Whether `name` can be picked at all. */
  has(name: Name): boolean {
    return this.names.includes(name);
  }

  /** A linear scan: a mix has at most a handful of names. */
  pick(prng: Prng): Name {
    const total = this.cumulative[this.cumulative.length - 1]!;
    const u = prng.float() * total;
    for (let i = 0; i < this.names.length; i += 1) {
      if (u < this.cumulative[i]!) return this.names[i]!;
    }
    return this.names[this.names.length - 1]!;
  }
}
