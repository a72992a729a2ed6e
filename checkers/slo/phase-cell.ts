/**
 * What one region saw in one phase: outcome counts, the latency of its ok ops from their
 * intended start, the error texts of its failures, and a few example ops for messages.
 *
 * Memory per cell: a DurationDistribution (exact up to LATENCY_SAMPLES_MAX values, then an HDR
 * histogram), up to ERRORS_TRACKED_MAX error texts, EXAMPLES_MAX failures and slowest ops.
 */
import type { ClientOp } from '../../history/op.ts';
import { DurationDistribution, type DurationSummaryMs } from '../duration-distribution.ts';
import type { Outcome } from './op-outcome.ts';

const LATENCY_SAMPLES_MAX = 4_096;
const ERRORS_TRACKED_MAX = 32;
export const EXAMPLES_MAX = 3;
/** Error texts past ERRORS_TRACKED_MAX are counted under this one. */
const OTHER_ERRORS = '(other errors)';

export interface Example {
  op: ClientOp;
  /** Latency for slow ops; 0 for failures. */
  latencyNs: number;
}

export interface CellJson {
  ops: number;
  ok: number;
  businessFail: number;
  fail: number;
  info: number;
  successRate: number | null;
  latencyMs: DurationSummaryMs;
  errors: Record<string, number>;
}

export class PhaseCell {
  ok = 0;
  businessFail = 0;
  fail = 0;
  info = 0;
  readonly latency = new DurationDistribution(LATENCY_SAMPLES_MAX);
  readonly errors = new Map<string, number>();
  readonly firstFailures: Example[] = [];
  /** Slowest first. */
  readonly slowest: Example[] = [];

  add(clientOp: ClientOp, outcome: Outcome, latencyNs: number): void {
    if (outcome === 'ok') {
      this.ok += 1;
      this.latency.record(latencyNs);
      this.keepSlow({ op: clientOp, latencyNs });
      return;
    }
    if (outcome === 'business') {
      this.businessFail += 1;
      return;
    }
    if (clientOp.type === 'fail') this.fail += 1;
    else this.info += 1;
    this.countError(clientOp.completion?.error ?? (clientOp.completion === null ? 'pending' : ''));
    if (this.firstFailures.length < EXAMPLES_MAX) {
      this.firstFailures.push({ op: clientOp, latencyNs: 0 });
    }
  }

  /** ok / (ok + fail + info): business rejections count neither way. Null with no such op. */
  successRate(): number | null {
    const judged = this.ok + this.fail + this.info;
    return judged === 0 ? null : this.ok / judged;
  }

  get judgedOps(): number {
    return this.ok + this.fail + this.info;
  }

  /** The error texts by count, most frequent first. */
  topErrors(): [string, number][] {
    return [...this.errors.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }

  toJson(): CellJson {
    const rate = this.successRate();
    return {
      ops: this.ok + this.businessFail + this.fail + this.info,
      ok: this.ok,
      businessFail: this.businessFail,
      fail: this.fail,
      info: this.info,
      successRate: rate === null ? null : Math.round(rate * 1e6) / 1e6,
      latencyMs: this.latency.summaryMs(),
      errors: Object.fromEntries(this.topErrors()),
    };
  }

  private countError(error: string): void {
    const text = error === '' ? '(no error text)' : error;
    const key =
      this.errors.has(text) || this.errors.size < ERRORS_TRACKED_MAX ? text : OTHER_ERRORS;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }

  private keepSlow(example: Example): void {
    const last = this.slowest.at(-1);
    if (this.slowest.length === EXAMPLES_MAX && last !== undefined) {
      if (example.latencyNs <= last.latencyNs) return;
      this.slowest.pop();
    }
    let at = this.slowest.length;
    while (at > 0 && this.slowest[at - 1]!.latencyNs < example.latencyNs) at -= 1;
    this.slowest.splice(at, 0, example);
  }
}
