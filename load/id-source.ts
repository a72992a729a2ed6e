/**
 * Ids and written values unique within a run: `<prefix>-<region>-<n>`, one counter per prefix
 * and region (t-ap-northeast-1-0, c-ap-northeast-3-12, v-ap-northeast-1-7). One source is shared
 * by every generator of a run, so two workloads of one kind in one region never collide.
 * Memory: one counter per prefix and region.
 */
export class IdSource {
  private readonly counters = new Map<string, number>();

  take(prefix: string, region: string): string {
    const stem = `${prefix}-${region}`;
    const n = this.counters.get(stem) ?? 0;
    if (n >= Number.MAX_SAFE_INTEGER) throw new Error(`id counter ${stem} overflowed`);
    this.counters.set(stem, n + 1);
    return `${stem}-${n}`;
  }
}
