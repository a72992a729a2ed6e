/**
 * The ops of one checked key, kept compactly until the end of the history: the only state the
 * linearizable checker holds. Failed ops are dropped (they did not happen), and so are reads
 * whose outcome or value is unknown (they constrain nothing: Knossos's register accepts a nil
 * read in any state, which the importer writes as `valueUnknown`). A region's final read of the key is kept as
 * an ok read that took effect at the final-read line's instant: the state after quiescence is
 * one more observation of the register.
 *
 * Memory: per kept op, one record of 6 numbers, an input and an output record (about 150 bytes);
 * per distinct value, one ValueTable entry.
 */
import type { ClientOp, Op } from '../../history/op.ts';
import { readValueUnknown } from '../../history/value-shapes.ts';
import {
  OK_OUTPUT,
  type RegisterInput,
  type RegisterOutput,
  UNKNOWN_OUTPUT,
} from './register-model.ts';
import { ValueTable } from './value-table.ts';

export interface KeyOp {
  readonly invokeIndex: number;
  /** -1 for an op still pending at the end of the history; a final read's own line index. */
  readonly completionIndex: number;
  readonly process: number | 'final';
  readonly region: string | undefined;
  readonly startNs: number;
  /** Infinity when the outcome is unknown (info or pending). */
  readonly endNs: number;
  readonly input: RegisterInput;
  readonly output: RegisterOutput;
}

export class KeyHistory {
  readonly values = new ValueTable();
  readonly initId: number;
  private readonly ops: KeyOp[] = [];
  private sorted = true;

  constructor(
    readonly key: string,
    initValue: unknown,
  ) {
    this.initId = this.values.intern(initValue);
  }

  get size(): number {
    return this.ops.length;
  }

  /** Keeps `clientOp` if it can constrain the search; its invoke carries this key. */
  add(clientOp: ClientOp): void {
    if (clientOp.type === 'fail') return;
    const known = clientOp.type === 'ok';
    const { invoke, completion } = clientOp;
    if (typeof invoke.process !== 'number') throw new Error('a register op from a non-client');
    const args = invoke.value as Record<string, unknown>;
    let input: RegisterInput;
    let output: RegisterOutput = known ? OK_OUTPUT : UNKNOWN_OUTPUT;
    if (invoke.f === 'read') {
      if (!known || readValueUnknown(completion?.value)) return;
      input = { f: 'read' };
      const result = (completion?.value as Record<string, unknown> | undefined)?.value;
      output = { known: true, value: this.values.intern(result) };
    } else if (invoke.f === 'write') {
      input = { f: 'write', value: this.values.intern(args.value) };
    } else if (invoke.f === 'cas') {
      input = { f: 'cas', from: this.values.intern(args.from), to: this.values.intern(args.to) };
    } else {
      throw new Error(`not a register op: ${invoke.f}`);
    }
    this.push({
      invokeIndex: invoke.index,
      completionIndex: completion === null ? -1 : completion.index,
      process: invoke.process,
      region: invoke.region,
      startNs: clientOp.startNs,
      endNs: known ? clientOp.endNs : Number.POSITIVE_INFINITY,
      input,
      output,
    });
  }

  /** Keeps a final read of this key: invoked and completed at the `final-read` line. */
  addFinalRead(op: Op, value: unknown): void {
    if (op.process !== 'final' || op.f !== 'final-read') throw new Error('not a final read');
    this.push({
      invokeIndex: op.index,
      completionIndex: op.index,
      process: 'final',
      region: op.region,
      startNs: op.time,
      endNs: op.time,
      input: { f: 'read' },
      output: { known: true, value: this.values.intern(value) },
    });
  }

  private push(keyOp: KeyOp): void {
    const last = this.ops[this.ops.length - 1];
    if (last !== undefined && last.invokeIndex > keyOp.invokeIndex) this.sorted = false;
    this.ops.push(keyOp);
  }

  /** The kept ops in invoke order. */
  opsInInvokeOrder(): readonly KeyOp[] {
    if (!this.sorted) {
      this.ops.sort((a, b) => a.invokeIndex - b.invokeIndex);
      this.sorted = true;
    }
    return this.ops;
  }
}
