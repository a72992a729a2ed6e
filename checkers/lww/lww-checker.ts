/**
 * The lww checker: registers in an eventually consistent, last-writer-wins table (every key not
 * listed in init's `strong`). One streaming pass, per key, O(n log n): phantom values, reads
 * from the future, lost writes, contradicting clocks, divergent final reads, and visibility lag
 * between regions. Strong keys are the linearizable checker's, except that their final reads
 * are judged for divergence here too: design.md gives divergence of replicated items to lww.
 * The rules and their edge cases are in docs/anomalies/lww.md.
 *
 * Memory: one WriteRecord per write or cas (~200 bytes), reads only while they wait for a write
 * to settle them (capped), one visibility entry per acked write and other reading region
 * (capped), and the final reads.
 */
import { type ClientOp, type Op, REGISTER_FS } from '../../history/op.ts';
import { valueKey } from '../../history/value-key.ts';
import { isRecord, readValueUnknown } from '../../history/value-shapes.ts';
import { AnomalyLog } from '../anomaly-log.ts';
import type { CheckContext, Checker, CheckerRun, CheckResult } from '../checker.ts';
import { Unjudged } from '../unjudged.ts';
import { clockAnomaly } from './anomalies.ts';
import { contradictsClock } from './clock-order.ts';
import { pollEvery } from './deadline-poll.ts';
import { FinalReads, judgeConvergence, judgeFinalValues } from './final-state.ts';
import { KeyState } from './key-state.ts';
import { lwwParallelRead } from './lww-parallel-read.ts';
import type { LwwStats } from './lww-stats.ts';
import { OpCounts } from './op-counts.ts';
import { ReadJudge } from './read-judge.ts';
import { casFrom, okTs, readValue, registerKey, writtenValue } from './register-op.ts';
import { VisibilityTracker } from './visibility.ts';
import { initRecord, type ReadRecord, type WriteRecord } from './write-record.ts';

export const LWW_LIMITS = {
  /** Reads waiting at once for a write to be invoked or to resolve. */
  readsWaitingMax: 100_000,
  /** Acked writes followed at once for visibility, summed over reading regions. */
  visibilityEntriesMax: 1_000_000,
  /** Exact lag samples per region pair before switching to a histogram. */
  lagSamplesMax: 10_000,
  /** Ambiguous keys named in stats and in the error. */
  ambiguousKeysListedMax: 20,
};

class LwwRun implements CheckerRun {
  private readonly log: AnomalyLog;
  private readonly judge: ReadJudge;
  private readonly visibility = new VisibilityTracker(
    LWW_LIMITS.visibilityEntriesMax,
    LWW_LIMITS.lagSamplesMax,
  );
  private readonly finals = new FinalReads();
  private readonly keys = new Map<string, KeyState>();
  private readonly writesInFlight = new Map<number, WriteRecord>();
  private readonly counts = new OpCounts();
  private readonly ambiguousKeys: string[] = [];
  private ambiguousKeysCount = 0;
  private strongKeys: ReadonlySet<string> = new Set();
  private initRegisters: Record<string, unknown> = {};
  private initIndex = -1;
  private sawRegisterOp = false;

  constructor(private readonly context: CheckContext) {
    this.log = new AnomalyLog(context.anomaliesPerTypeMax);
    this.judge = new ReadJudge(this.log, LWW_LIMITS.readsWaitingMax);
  }

  onOp(op: Op): void {
    if (op.process === 'setup' && op.f === 'init') {
      this.onInit(op);
      return;
    }
    if (op.process === 'final' && op.f === 'final-read') {
      this.finals.add(op, (key) => this.strongKeys.has(key));
      return;
    }
    if (op.type !== 'invoke' || typeof op.process !== 'number' || !REGISTER_FS.has(op.f)) return;
    const key = registerKey(op);
    if (this.strongKeys.has(key)) return;
    this.sawRegisterOp = true;
    if (op.f !== 'read') this.onWriteInvoke(op, key);
  }

  onClientOp(clientOp: ClientOp): void {
    if (!REGISTER_FS.has(clientOp.invoke.f)) return;
    const key = registerKey(clientOp.invoke);
    if (this.strongKeys.has(key)) return;
    this.counts.add(clientOp.invoke.f, clientOp.type);
    if (clientOp.invoke.f === 'read') this.onReadDone(clientOp, key);
    else this.onWriteDone(clientOp, key);
  }

  applies(): boolean {
    return this.sawRegisterOp || this.finals.byKey.size > 0 || this.finals.strongByKey.size > 0;
  }

  finish(): CheckResult {
    const poll = pollEvery(this.context.deadline, 'judging reads and final values');
    for (const state of this.keys.values()) this.judge.finish(state, poll);
    for (const [key, finals] of this.finals.byKey) {
      poll();
      judgeFinalValues(this.keyState(key), finals, this.log);
      judgeConvergence(key, finals, this.log);
    }
    for (const [key, finals] of this.finals.strongByKey) {
      poll();
      judgeConvergence(key, finals, this.log, 'strong');
    }
    const stats = {
      counts: {
        keys: this.keys.size,
        ...this.counts.toJSON(),
        finalReads: this.finals.linesCount,
        strongFinalReads: this.finals.strongLinesCount,
      },
      anomalyCounts: this.log.countsByType(),
      visibilityLagMs: this.visibility.statsByPair(poll),
      visibilityDropped: this.visibility.droppedCount,
      readsUnjudged: this.judge.readsUnjudgedCount,
      ambiguousKeys: this.ambiguousKeys,
      ambiguousKeysCount: this.ambiguousKeysCount,
    } satisfies LwwStats & Record<string, unknown>;
    return this.unjudged().result(this.log, stats);
  }

  private onInit(op: Op): void {
    if (!isRecord(op.value)) return;
    const { registers, strong } = op.value;
    if (isRecord(registers)) this.initRegisters = registers;
    if (Array.isArray(strong)) this.strongKeys = new Set(strong.map(String));
    this.initIndex = op.index;
  }

  private keyState(key: string): KeyState {
    let state = this.keys.get(key);
    if (state === undefined) {
      const value = Object.hasOwn(this.initRegisters, key) ? this.initRegisters[key] : null;
      state = new KeyState(key, initRecord(key, value, valueKey(value), this.initIndex));
      this.keys.set(key, state);
    }
    return state;
  }

  private onWriteInvoke(op: Op, key: string): void {
    const state = this.keyState(key);
    const value = writtenValue(op);
    const write: WriteRecord = {
      key,
      f: op.f === 'cas' ? 'cas' : 'write',
      value,
      valueKey: valueKey(value),
      invokeIndex: op.index,
      startNs: op.time,
      region: op.region,
      status: 'pending',
      completionIndex: null,
      endNs: Number.POSITIVE_INFINITY,
      ts: null,
      tsPrior: state.clock.priorTo(op.time),
      readers: null,
    };
    this.writesInFlight.set(op.index, write);
    if (state.ambiguous) return;
    if (state.writesByValue.has(write.valueKey)) {
      this.markAmbiguous(state);
      return;
    }
    state.writesByValue.set(write.valueKey, write);
    this.judge.onWriteInvoked(state, write);
  }

  private onWriteDone(clientOp: ClientOp, key: string): void {
    const write = this.writesInFlight.get(clientOp.invoke.index);
    if (write === undefined) throw new Error(`no write record for index ${clientOp.invoke.index}`);
    this.writesInFlight.delete(clientOp.invoke.index);
    const state = this.keyState(key);
    write.status = clientOp.type;
    write.completionIndex = clientOp.completion?.index ?? null;
    write.endNs = clientOp.endNs;
    if (clientOp.type === 'ok') {
      write.ts = okTs(clientOp.completion);
      state.onOk(write);
      if (contradictsClock(write) && write.tsPrior !== null) {
        this.log.add(clockAnomaly(write, write.tsPrior));
      }
      if (!state.ambiguous) this.visibility.onAck(write);
    }
    // Only the check above needs it; dropping it keeps chains of old writes collectable.
    write.tsPrior = null;
    this.judge.onWriteResolved(write);
    if (clientOp.invoke.f === 'cas' && clientOp.type === 'ok') {
      this.observe(clientOp, state, casFrom(clientOp.invoke));
    }
  }

  private onReadDone(clientOp: ClientOp, key: string): void {
    if (clientOp.type !== 'ok' || clientOp.completion === null) return;
    // A read whose value is unknown (an imported Jepsen nil read) saw nothing to judge.
    if (readValueUnknown(clientOp.completion.value)) return;
    const state = this.keyState(key);
    const source = this.observe(clientOp, state, readValue(clientOp.completion));
    const region = clientOp.invoke.region;
    if (region === undefined) return;
    this.visibility.onReader(region);
    if (source === null) return;
    this.visibility.onRead({
      key,
      region,
      invokeIndex: clientOp.invoke.index,
      endNs: clientOp.endNs,
      source,
    });
  }

  /** A value an ok read (or cas) saw; returns the write it came from when known now. */
  private observe(clientOp: ClientOp, state: KeyState, value: unknown): WriteRecord | null {
    if (clientOp.completion === null) throw new Error('an ok op without its completion');
    const read: ReadRecord = {
      f: clientOp.invoke.f === 'cas' ? 'cas' : 'read',
      key: state.key,
      value,
      invokeIndex: clientOp.invoke.index,
      completionIndex: clientOp.completion.index,
      endNs: clientOp.endNs,
      region: clientOp.invoke.region,
      future: false,
    };
    return this.judge.onRead(state, read, valueKey(value));
  }

  private markAmbiguous(state: KeyState): void {
    state.ambiguous = true;
    this.judge.forget(state);
    this.visibility.forget(state.key);
    this.ambiguousKeysCount += 1;
    if (this.ambiguousKeys.length < LWW_LIMITS.ambiguousKeysListedMax) {
      this.ambiguousKeys.push(state.key);
    }
  }

  /** Why the verdict is "unknown" although nothing was found wrong, if it is. */
  private unjudged(): Unjudged {
    const reasons = new Unjudged();
    if (this.ambiguousKeysCount > 0) {
      const named = this.ambiguousKeys.map((key) => `"${key}"`).join(', ');
      const more = this.ambiguousKeysCount - this.ambiguousKeys.length;
      reasons.add(
        `${this.ambiguousKeysCount} register key(s) (${named}${more > 0 ? ` and ${more} more` : ''}) had the same value written twice, so their reads and final values could not be attributed to writes`,
      );
    }
    if (this.judge.readsUnjudgedCount > 0) {
      reasons.add(
        `${this.judge.readsUnjudgedCount} read(s) were not judged because more than ${LWW_LIMITS.readsWaitingMax} reads waited for their writes at once`,
      );
    }
    return reasons;
  }
}

export const lwwChecker: Checker = {
  name: 'lww',
  description:
    'last-writer-wins registers: phantom values, lost writes, reads from the future, clock anomalies, divergence, visibility lag',
  start: (context) => new LwwRun(context),
  parallelRead: lwwParallelRead,
};
