/**
 * A HistorySink that keeps the history in memory and holds every line to the reader's rules as
 * it is appended (the same Sequencer HistoryWriter uses), so a driver bug fails at the line.
 */
import type { ClientOp, Op, OpDraft } from '../../../history/op.ts';
import { readHistoryText } from '../../../history/reader.ts';
import { checkOpFields, Sequencer } from '../../../history/sequencer.ts';
import type { HistorySink } from '../../../load/history-sink.ts';

export class MemorySink implements HistorySink {
  readonly ops: Op[] = [];
  private readonly sequencer = new Sequencer();

  append(draft: OpDraft): Op {
    const { time, process, type, f, ...rest } = draft;
    const op: Op = { index: this.ops.length, time, process, type, f, ...rest };
    this.sequencer.accept(checkOpFields(op));
    this.ops.push(op);
    return op;
  }

  text(): string {
    return this.ops.map((op) => `${JSON.stringify(op)}\n`).join('');
  }

  /** Reads the text back through the real reader: every client op, pending ones as info. */
  clientOps(): ClientOp[] {
    const clientOps: ClientOp[] = [];
    readHistoryText('memory', this.text(), {
      onOp: () => {},
      onClientOp: (clientOp) => clientOps.push(clientOp),
    });
    return clientOps;
  }
}
