/**
 * The second pass of an import: each Jepsen op to one paychaos op draft. Client register ops,
 * bank ops, nemesis ops and anything else each have their mapping; see docs/history-import.md.
 *
 * Memory: one entry per process in flight (the key or transfer id its completion reuses).
 */
import { type OpDraft, REGISTER_FS } from '../op.ts';
import { balancesValue, transferValue } from './bank-values.ts';
import { ednToJson } from './edn-to-json.ts';
import { type HistoryFacts, VALUE_UNKNOWN_KEY } from './history-survey.ts';
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

/** What the converter changed about times: see `OpConverter.timeNs`. */
export interface TimesRaised {
  /** Ops whose `:time` was earlier than the op before, raised to keep file order. */
  count: number;
  /** The most an op's time was raised, ns. */
  raisedNsMax: number;
  /** The input line of the first such op. */
  lineFirst: number;
}

export class OpConverter {
  private readonly inFlight = new Map<number, InFlight>();
  private jepsenIndexLast = -1;
  private timeNsLast = 0;
  private lastRaised = false;
  readonly timesRaised: TimesRaised = { count: 0, raisedNsMax: 0, lineFirst: -1 };

  /** `nilReadUnknown`: an ok read of nil is "value unknown", not "empty" (see register-values.ts). */
  constructor(
    private readonly facts: HistoryFacts,
    private readonly nilReadUnknown: boolean,
  ) {}

  /** `index` is the index the op will have in the imported history. */
  convert(op: RawOp, index: number): OpDraft {
    const timeNs = this.timeNs(op);
    const draft: OpDraft = { time: timeNs, process: op.process, type: op.type, f: op.f };
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
    if (op.f === 'read' && op.extras[VALUE_UNKNOWN_KEY] === true) delete draft[VALUE_UNKNOWN_KEY];
    if (op.timeNs !== undefined && timeNs !== op.timeNs) draft.jepsenTime = op.timeNs;
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
    const timeNs = op.timeNs ?? op.line * SYNTHETIC_NS_PER_LINE;
    return this.keepFileOrder(timeNs, op.line);
  }

  /**
   * Jepsen stamps `:time` before it appends an op to the history, so across processes a time may
   * be a few ns earlier than the op before it; Jepsen and Knossos order ops by their position.
   * Such an op's time is raised to 1 ns after the op before, not to an equal time: the
   * linearizable checker holds equal times to be concurrent, which would weaken the order the
   * file gives. For the same reason an op at the raised op's time is raised too. Example: times
   * 100, 97, 120 become 100, 101, 120; times 100, 97, 101 become 100, 101, 102.
   */
  private keepFileOrder(timeNs: number, line: number): number {
    if (timeNs > this.timeNsLast || (timeNs === this.timeNsLast && !this.lastRaised)) {
      this.timeNsLast = timeNs;
      this.lastRaised = false;
      return timeNs;
    }
    this.lastRaised = true;
    const raised = this.timesRaised;
    raised.count += 1;
    this.timeNsLast += 1;
    raised.raisedNsMax = Math.max(raised.raisedNsMax, this.timeNsLast - timeNs);
    if (raised.lineFirst === -1) raised.lineFirst = line;
    return this.timeNsLast;
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
      const marked = op.f === 'read' && op.extras[VALUE_UNKNOWN_KEY] === true;
      const converted = registerValue(op, this.facts, flight.key, this.nilReadUnknown || marked);
      flight.key = converted.key;
      return converted.error === undefined
        ? { value: converted.value }
        : { value: converted.value, error: converted.error };
    }
    return op.value === undefined ? {} : { value: ednToJson(op.value) };
  }
}
