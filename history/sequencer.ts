/**
 * Checks the rules of design.md that span lines — indices in file order, a monotonic clock,
 * one op in flight per process, completions that match their invoke, no invoke after an info —
 * and pairs each client completion with its invoke. The reader and the writer both run every op
 * through one, so what is written is held to the same rules as what is read.
 *
 * Memory: one entry per process in flight, plus the set of processes that ended with info.
 */
import { describeValue, FieldError } from './history-error.ts';
import {
  type ClientOp,
  OP_TYPES,
  type Op,
  type OpType,
  PLAN_SETUP_F,
  type Process,
  REGISTER_FS,
  SPECIAL_PROCESSES,
} from './op.ts';
import { valueKey } from './value-key.ts';
import { checkValueShape, isRecord } from './value-shapes.ts';

const OP_TYPE_SET: ReadonlySet<string> = new Set(OP_TYPES);
const SPECIAL_PROCESS_SET: ReadonlySet<string> = new Set(SPECIAL_PROCESSES);

/** Raised for a line that breaks a rule; the caller adds the file and line number. */
export class RuleError extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'RuleError';
  }
}

/** Checks the fields every line has and returns the line as an Op. */
export function checkOpFields(parsed: unknown): Op {
  if (!isRecord(parsed))
    throw new RuleError(`expected a JSON object, got ${describeValue(parsed)}`);
  const { index, time, process, type, f } = parsed;
  if (!Number.isSafeInteger(index) || (index as number) < 0) {
    throw new FieldError('index', 'a non-negative integer', index);
  }
  if (!Number.isSafeInteger(time) || (time as number) < 0) {
    throw new FieldError('time', 'non-negative integer nanoseconds', time);
  }
  const clientProcess = Number.isSafeInteger(process) && (process as number) >= 0;
  if (!clientProcess && !(typeof process === 'string' && SPECIAL_PROCESS_SET.has(process))) {
    throw new FieldError(
      'process',
      'a non-negative integer or "nemesis", "setup", "final"',
      process,
    );
  }
  if (typeof type !== 'string' || !OP_TYPE_SET.has(type)) {
    throw new FieldError('type', '"invoke", "ok", "fail" or "info"', type);
  }
  if (typeof f !== 'string' || f.length === 0) throw new FieldError('f', 'a non-empty string', f);
  if (parsed.region !== undefined && typeof parsed.region !== 'string') {
    throw new FieldError('region', 'a string', parsed.region);
  }
  if (parsed.error !== undefined && typeof parsed.error !== 'string') {
    throw new FieldError('error', 'a string', parsed.error);
  }
  return parsed as Op;
}

function expectedSingleLineType(process: Process): OpType | null {
  if (process === 'setup' || process === 'final') return 'ok';
  if (process === 'nemesis') return 'info';
  return null;
}

/**
 * A register completion may echo its invoke's key (and a write's value); when it does, the echo
 * must agree: a mismatch means a client paired a response with the wrong request, and a checker
 * would otherwise judge the op against the wrong key.
 */
function checkEchoesInvoke(invoke: Op, completion: Op): void {
  if (!REGISTER_FS.has(completion.f) || !isRecord(completion.value) || !isRecord(invoke.value))
    return;
  const echoed = completion.value;
  const asked = invoke.value;
  if (echoed.key !== undefined && echoed.key !== asked.key) {
    throw new FieldError(
      'value.key',
      `${JSON.stringify(asked.key)} (the key of its invoke, index ${invoke.index})`,
      echoed.key,
    );
  }
  if (
    completion.f === 'write' &&
    'value' in echoed &&
    valueKey(echoed.value) !== valueKey(asked.value)
  ) {
    throw new FieldError(
      'value.value',
      `${JSON.stringify(asked.value)} (the value its invoke wrote, index ${invoke.index})`,
      echoed.value,
    );
  }
}

/** What the lines before a segment established, for a Sequencer that starts mid-history. */
export interface SegmentStart {
  sawInit: boolean;
  sawClientInvoke: boolean;
}

/** A process's first op within a segment: what the boundary check of a parallel read needs. */
export interface FirstOp {
  index: number;
  type: OpType;
  f: string;
}

export class Sequencer {
  private indexNext = 0;
  private timeNsLast = 0;
  private readonly inFlight = new Map<number, Op>();
  private readonly ended = new Set<number>();
  private sawClientInvoke = false;
  private sawInit = false;
  private sawPlan = false;
  /**
   * Segment mode (a parallel read): the first op may carry any index, and a completion whose
   * invoke lies before the segment is an orphan, left for the boundary check, not an error.
   */
  private readonly segment: boolean;
  private sawFirstOp = false;
  /** Segment mode: each client process's first op in the segment, in order of first sight. */
  readonly firstOps = new Map<number, FirstOp>();
  /** Segment mode: processes that completed with info inside the segment. */
  readonly endedHere: number[] = [];
  /** Segment mode: true when the op just accepted completed an invoke from before the segment. */
  lastWasOrphan = false;

  constructor(start?: SegmentStart) {
    this.segment = start !== undefined;
    if (start !== undefined) {
      this.sawInit = start.sawInit;
      this.sawClientInvoke = start.sawClientInvoke;
    }
  }

  /** The index the next op must carry. */
  get nextIndex(): number {
    return this.indexNext;
  }

  get lastTimeNs(): number {
    return this.timeNsLast;
  }

  /** Validates `op` against every rule; returns the resolved client op when it completes one. */
  accept(op: Op): ClientOp | null {
    this.checkOrder(op);
    checkValueShape(op);
    this.lastWasOrphan = false;
    const result = typeof op.process === 'number' ? this.acceptClient(op, op.process) : null;
    if (typeof op.process !== 'number') this.acceptSingleLine(op, op.process);
    this.indexNext = op.index + 1;
    this.timeNsLast = op.time;
    this.sawFirstOp = true;
    return result;
  }

  /**
   * A parallel read checked the lines up to `indexNext` elsewhere: continue after them. The
   * caller has checked their order, so only the clock and the index move on.
   */
  skipTo(indexNext: number, timeNsLast: number): void {
    if (indexNext < this.indexNext || timeNsLast < this.timeNsLast) {
      throw new Error(
        `skipTo(${indexNext}, ${timeNsLast}) goes back from (${this.indexNext}, ${this.timeNsLast})`,
      );
    }
    this.indexNext = indexNext;
    this.timeNsLast = timeNsLast;
  }

  /** After a segment read elsewhere: its client invokes count, and its info completions end processes. */
  absorbSegment(endedProcesses: readonly number[]): void {
    this.sawClientInvoke = true;
    for (const process of endedProcesses) this.ended.add(process);
  }

  /**
   * What this sequencer would reject in a segment's first op of `process`, given every line
   * before the segment; null when nothing. `op` is the op itself for a completion (its echo is
   * checked) and may hold only index, type and f for an invoke.
   */
  problemAtSegmentStart(process: number, op: Op): string | null {
    try {
      this.checkClientOp(op, process);
      return null;
    } catch (error) {
      if (error instanceof RuleError || error instanceof FieldError) return error.message;
      throw error;
    }
  }

  /** Ops still in flight at the end of the history: they count as info. Sorted by index. */
  pending(): ClientOp[] {
    const invokes = [...this.inFlight.values()].sort((a, b) => a.index - b.index);
    return invokes.map((invoke) => ({
      invoke,
      completion: null,
      type: 'info' as const,
      startNs: invoke.time,
      endNs: Number.POSITIVE_INFINITY,
    }));
  }

  private checkOrder(op: Op): void {
    if (op.index !== this.indexNext && !(this.segment && !this.sawFirstOp)) {
      throw new RuleError(
        `field "index": expected ${this.indexNext} (indices count 0, 1, 2, ... in file order), got ${op.index}`,
      );
    }
    if (op.time < this.timeNsLast) {
      throw new RuleError(
        `field "time": ${op.time} ns is earlier than the line before (${this.timeNsLast} ns); times come from a monotonic clock`,
      );
    }
  }

  private acceptSingleLine(op: Op, process: Exclude<Process, number>): void {
    const expected = expectedSingleLineType(process);
    if (op.type !== expected) {
      throw new RuleError(
        `field "type": ${process} lines have type "${expected}", got "${op.type}"`,
      );
    }
    if (op.f === PLAN_SETUP_F) this.acceptPlan(process);
    if (op.f !== 'init') return;
    if (process !== 'setup') throw new RuleError('init is a "setup" line');
    if (this.sawInit) throw new RuleError('a second init: a history has at most one');
    if (this.sawClientInvoke)
      throw new RuleError('init comes after a client op; it must come first');
    this.sawInit = true;
  }

  /**
   * A plan is a promise made at the start: one made later could not be told from a history cut
   * before it, and a parallel read looks for it only among the lines before the first client op.
   */
  private acceptPlan(process: Exclude<Process, number>): void {
    if (process !== 'setup') throw new RuleError('plan is a "setup" line');
    // Checked before the count: a segment of a parallel read knows only that client ops came.
    if (this.sawClientInvoke) {
      throw new RuleError('plan comes after a client op; a run makes its promise before any');
    }
    if (this.sawPlan) throw new RuleError('a second plan: a history has at most one');
    this.sawPlan = true;
  }

  private acceptClient(op: Op, process: number): ClientOp | null {
    if (this.segment && !this.firstOps.has(process)) {
      this.firstOps.set(process, { index: op.index, type: op.type, f: op.f });
      if (op.type !== 'invoke') {
        // Its invoke lies before the segment: the boundary check pairs it.
        this.lastWasOrphan = true;
        if (op.type === 'info') {
          this.ended.add(process);
          this.endedHere.push(process);
        }
        return null;
      }
    }
    const invoke = this.checkClientOp(op, process);
    if (op.type === 'invoke') {
      this.inFlight.set(process, op);
      this.sawClientInvoke = true;
      return null;
    }
    if (invoke === undefined)
      throw new Error(`process ${process} passed its checks with no invoke`);
    this.inFlight.delete(process);
    if (op.type === 'info') {
      this.ended.add(process);
      if (this.segment) this.endedHere.push(process);
    }
    return {
      invoke,
      completion: op,
      type: op.type as ClientOp['type'],
      startNs: invoke.time,
      endNs: op.type === 'info' ? Number.POSITIVE_INFINITY : op.time,
    };
  }

  /** The pairing rules of one client op, without changing any state; returns its invoke in flight. */
  private checkClientOp(op: Op, process: number): Op | undefined {
    const invoke = this.inFlight.get(process);
    if (op.type === 'invoke') {
      if (invoke !== undefined) {
        throw new RuleError(
          `process ${process} invokes ${op.f} while its ${invoke.f} (index ${invoke.index}) is still in flight`,
        );
      }
      if (this.ended.has(process)) {
        throw new RuleError(
          `process ${process} invokes again after an info completion; the driver must take a fresh process`,
        );
      }
      return undefined;
    }
    if (invoke === undefined) {
      throw new RuleError(
        `process ${process} completes ${op.f} (${op.type}) with no invoke in flight`,
      );
    }
    if (invoke.f !== op.f) {
      throw new RuleError(
        `process ${process} completes ${op.f} but its op in flight is ${invoke.f} (index ${invoke.index})`,
      );
    }
    checkEchoesInvoke(invoke, op);
    return invoke;
  }
}
