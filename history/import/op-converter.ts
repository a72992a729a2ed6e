/**
 * The second pass of an import: each Jepsen op to one paychaos op draft. Client register ops,
 * bank ops, nemesis ops and anything else each have their mapping; see docs/history-import.md.
 *
 * Memory: one entry per process in flight (the key or transfer id its completion reuses).
 */
import { type OpDraft, REGISTER_FS } from '../op.ts';
import { balancesValue, transferValue } from './bank-values.ts';
import { ednToJson } from './edn-to-json.ts';
import type { HistoryFacts } from './history-survey.ts';
import { ImportProblem } from './import-problem.ts';
import type { RawOp } from './raw-op.ts';
import { registerValue } from './register-values.ts';

/** Text logs (and EDN files without :time) get 1 ms per input line: time / 1 ms = the line. */
export const SYNTHETIC_NS_PER_LINE = 1_000_000;

/** Jepsen's partition nemesis says only :start and :stop. */
const NEMESIS_FS: Record<string, string> = { start: 'start-partition', stop: 'stop-partition' };

interface InFlight {
  key?: string;
  transferId?: string;
}

export class OpConverter {
  private readonly inFlight = new Map<number, InFlight>();
  private jepsenIndexLast = -1;

  constructor(private readonly facts: HistoryFacts) {}

  /** `index` is the index the op will have in the imported history. */
  convert(op: RawOp, index: number): OpDraft {
    const draft: OpDraft = { time: this.timeNs(op), process: op.process, type: op.type, f: op.f };
    const { value, error } = this.valueOf(op, index);
    if (value !== undefined) draft.value = value;
    const errorText = op.error ?? error;
    if (errorText !== undefined) draft.error = errorText;
    if (op.process === 'nemesis') {
      draft.type = 'info';
      draft.f = NEMESIS_FS[op.f] ?? op.f;
      // Jepsen logs a nemesis op twice, invoke then info: both become info lines; this tells them apart.
      if (op.type !== 'info') draft.jepsenType = op.type;
    }
    if (op.f === 'read' && this.facts.bank && typeof op.process === 'number') draft.f = 'balances';
    Object.assign(draft, op.extras);
    return draft;
  }

  private timeNs(op: RawOp): number {
    if (op.jepsenIndex !== undefined) {
      if (op.jepsenIndex <= this.jepsenIndexLast) {
        throw new ImportProblem(
          `:index ${op.jepsenIndex} does not follow ${this.jepsenIndexLast}; ops must be in history order`,
        );
      }
      this.jepsenIndexLast = op.jepsenIndex;
    }
    if (this.facts.timed !== (op.timeNs !== undefined)) {
      throw new ImportProblem(
        this.facts.timed
          ? 'this op has no :time although the first op has one; give every op a :time or none'
          : 'this op has a :time although the first op has none; give every op a :time or none',
      );
    }
    return op.timeNs ?? op.line * SYNTHETIC_NS_PER_LINE;
  }

  private valueOf(op: RawOp, index: number): { value?: unknown; error?: string } {
    const process = op.process;
    if (typeof process !== 'number') {
      return op.value === undefined ? {} : { value: ednToJson(op.value) };
    }
    const flight = op.type === 'invoke' ? {} : (this.inFlight.get(process) ?? {});
    if (op.type === 'invoke') this.inFlight.set(process, flight);
    else this.inFlight.delete(process);
    if (op.f === 'transfer') {
      const value = transferValue(op.value, flight.transferId ?? `t${index}`);
      flight.transferId = typeof value?.id === 'string' ? value.id : flight.transferId;
      return { value };
    }
    if (op.f === 'read' && this.facts.bank) {
      if (op.type === 'ok') return { value: balancesValue(op.value) };
      return op.type === 'invoke' ? { value: null } : {};
    }
    if (REGISTER_FS.has(op.f)) {
      const converted = registerValue(op, this.facts, flight.key);
      flight.key = converted.key;
      return converted.error === undefined
        ? { value: converted.value }
        : { value: converted.value, error: converted.error };
    }
    return op.value === undefined ? {} : { value: ednToJson(op.value) };
  }
}
