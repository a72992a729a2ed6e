/** How many register ops of each kind ended each way, for stats. */
type Outcome = 'ok' | 'fail' | 'info';

export class OpCounts {
  private readonly byF = new Map<string, Record<Outcome, number>>();

  add(f: string, outcome: Outcome): void {
    const counts = this.byF.get(f) ?? { ok: 0, fail: 0, info: 0 };
    counts[outcome] += 1;
    this.byF.set(f, counts);
  }

  toJSON(): Record<string, Record<Outcome, number>> {
    const zero = { ok: 0, fail: 0, info: 0 };
    return {
      writes: this.byF.get('write') ?? zero,
      cas: this.byF.get('cas') ?? { ...zero },
      reads: this.byF.get('read') ?? { ...zero },
    };
  }
}
