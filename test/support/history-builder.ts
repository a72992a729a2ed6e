/**
 * Builds histories for tests, one op at a time, in the format of design.md. Time advances by
 * `stepNs` per op unless an op names its own time. Returns history.jsonl text or the ops.
 */
import type { Op, OpType, Process } from '../../history/op.ts';

export interface OpExtras {
  timeNs?: number;
  region?: string;
  error?: string;
}

export class HistoryBuilder {
  readonly ops: Op[] = [];
  private timeNs = 0;

  constructor(private readonly stepNs = 1_000_000) {}

  add(process: Process, type: OpType, f: string, value?: unknown, extras: OpExtras = {}): number {
    this.timeNs = extras.timeNs ?? (this.ops.length === 0 ? 0 : this.timeNs + this.stepNs);
    const op: Op = { index: this.ops.length, time: this.timeNs, process, type, f };
    if (value !== undefined) op.value = value;
    if (extras.region !== undefined) op.region = extras.region;
    if (extras.error !== undefined) op.error = extras.error;
    this.ops.push(op);
    return op.index;
  }

  init(value: unknown): number {
    return this.add('setup', 'ok', 'init', value);
  }

  invoke(process: number, f: string, value?: unknown, extras?: OpExtras): number {
    return this.add(process, 'invoke', f, value ?? null, extras);
  }

  ok(process: number, f: string, value?: unknown, extras?: OpExtras): number {
    return this.add(process, 'ok', f, value, extras);
  }

  fail(process: number, f: string, value?: unknown, extras?: OpExtras): number {
    return this.add(process, 'fail', f, value, { error: 'rejected', ...extras });
  }

  info(process: number, f: string, value?: unknown, extras?: OpExtras): number {
    return this.add(process, 'info', f, value, { error: 'timeout', ...extras });
  }

  nemesis(f: string, value?: unknown, extras?: OpExtras): number {
    return this.add('nemesis', 'info', f, value, extras);
  }

  final(f: string, value: unknown, extras?: OpExtras): number {
    return this.add('final', 'ok', f, value, extras);
  }

  text(): string {
    return this.ops.map((op) => `${JSON.stringify(op)}\n`).join('');
  }
}
