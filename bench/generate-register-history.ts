/**
 * Generates the history of one atomic register "x" (a strong key) from a correct model, for the
 * linearizable checker's benchmark and tests: `processesCount` clients, each with one op in flight,
 * reading, writing and cas-ing; each op takes effect (if it does) at its completion event, inside
 * its interval, so the history is linearizable by construction. A cas whose compare fails is a
 * `fail`. `infoCount` writes and cas, spread evenly, end `info` (the model decides in secret
 * whether they applied) and their process retires, as Jepsen's do.
 *
 * Values: `valuesCount` > 0 draws every written value from [0, valuesCount), as Knossos's
 * cas-register workload does (values repeat); 0 writes a fresh value each time (design.md).
 *
 * One read may be corrupted, the first ok read completed after `inject.afterOps` invocations:
 * `never-written` makes it return a value no op writes; `stale` makes it return the value of an
 * ok write or cas that another ok write or cas, invoked after it completed, overwrote before the
 * read was invoked (needs fresh values, so that the old value cannot come back).
 */
import { Prng } from '../targets/sim/prng.ts';

export interface RegisterHistoryOptions {
  opsCount: number;
  processesCount: number;
  valuesCount: number;
  readFraction: number;
  casFraction: number;
  infoCount: number;
  seed: number;
  inject?: { kind: 'never-written' | 'stale'; afterOps: number };
}

export interface RegisterHistory {
  lines: Record<string, unknown>[];
  /** The corrupted read's invoke and completion line indices. */
  injected: { invokeIndex: number; completionIndex: number; value: number } | null;
}

type RegisterOp =
  | { f: 'read' }
  | { f: 'write'; value: number }
  | { f: 'cas'; from: number; to: number };

interface InFlight {
  process: number;
  op: RegisterOp;
  info: boolean;
  startNs: number;
  invokeIndex: number;
}

interface Update {
  value: number;
  startNs: number;
  endNs: number;
}

const KEY = 'x';
const INIT_VALUE = 0;
const TIME_STEP_NS_MAX = 1_000_000;

class Generator {
  readonly lines: Record<string, unknown>[] = [];
  injected: RegisterHistory['injected'] = null;
  private readonly prng: Prng;
  private timeNs = 0;
  private current = INIT_VALUE;
  private freshValue = INIT_VALUE;
  private invoked = 0;
  private infoDue: number;
  private readonly updates: Update[] = [];

  constructor(private readonly options: RegisterHistoryOptions) {
    this.prng = new Prng(options.seed);
    this.infoDue = this.infoSpacing() / 2;
    this.push({
      process: 'setup',
      type: 'ok',
      f: 'init',
      value: { registers: { [KEY]: INIT_VALUE }, strong: [KEY] },
    });
  }

  private infoSpacing(): number {
    return this.options.infoCount === 0 ? Infinity : this.options.opsCount / this.options.infoCount;
  }

  private push(line: Record<string, unknown>): number {
    const index = this.lines.length;
    this.timeNs += this.prng.int(1, TIME_STEP_NS_MAX + 1);
    this.lines.push({ index, time: this.timeNs, ...line });
    return index;
  }

  private value(): number {
    if (this.options.valuesCount > 0) return this.prng.int(0, this.options.valuesCount);
    this.freshValue += 1;
    return this.freshValue;
  }

  private casFrom(): number {
    if (this.options.valuesCount > 0) return this.prng.int(0, this.options.valuesCount);
    return this.prng.chance(0.5) ? this.current : this.prng.int(INIT_VALUE, this.freshValue + 1);
  }

  private nextOp(): RegisterOp {
    const roll = this.prng.float();
    if (roll < this.options.readFraction) return { f: 'read' };
    if (roll < this.options.readFraction + this.options.casFraction) {
      const from = this.casFrom();
      return { f: 'cas', from, to: this.value() };
    }
    return { f: 'write', value: this.value() };
  }

  invoke(process: number): InFlight {
    const op = this.nextOp();
    this.invoked += 1;
    const info = op.f !== 'read' && this.invoked >= this.infoDue;
    if (info) this.infoDue += this.infoSpacing();
    const value =
      op.f === 'read'
        ? { key: KEY }
        : op.f === 'write'
          ? { key: KEY, value: op.value }
          : { key: KEY, from: op.from, to: op.to };
    const invokeIndex = this.push({ process, type: 'invoke', f: op.f, value });
    return { process, op, info, startNs: this.timeNs, invokeIndex };
  }

  /** Completes the op; true when its process retires (an info op). */
  complete(flight: InFlight): boolean {
    const { op, process } = flight;
    if (flight.info) {
      const applies = this.prng.chance(0.5);
      if (applies && op.f === 'write') this.current = op.value;
      if (applies && op.f === 'cas' && op.from === this.current) this.current = op.to;
      this.push({ process, type: 'info', f: op.f, error: 'timeout' });
      return true;
    }
    if (op.f === 'read') {
      const value = this.readResult(flight);
      this.push({ process, type: 'ok', f: 'read', value: { key: KEY, value } });
      if (this.injected !== null && this.injected.completionIndex === -1) {
        this.injected.completionIndex = this.lines.length - 1;
      }
      return false;
    }
    if (op.f === 'cas' && op.from !== this.current) {
      this.push({ process, type: 'fail', f: 'cas', error: 'compare failed' });
      return false;
    }
    this.current = op.f === 'write' ? op.value : op.to;
    this.push({ process, type: 'ok', f: op.f });
    this.updates.push({ value: this.current, startNs: flight.startNs, endNs: this.timeNs });
    return false;
  }

  private readResult(flight: InFlight): number {
    const inject = this.options.inject;
    if (inject === undefined || this.injected !== null || this.invoked < inject.afterOps) {
      return this.current;
    }
    const value = inject.kind === 'never-written' ? this.neverWritten() : this.staleFor(flight);
    if (value === null) return this.current;
    this.injected = { invokeIndex: flight.invokeIndex, completionIndex: -1, value };
    return value;
  }

  private neverWritten(): number {
    return this.options.valuesCount > 0 ? this.options.valuesCount : -1;
  }

  /** An overwritten value: A's, where ok B was invoked after A completed and completed before the read. */
  private staleFor(read: InFlight): number | null {
    if (this.options.valuesCount > 0) throw new Error('a stale read needs fresh values');
    const b = this.updates.findLast((u) => u.endNs < read.startNs);
    if (b === undefined) return null;
    const a = this.updates.findLast((u) => u.endNs < b.startNs);
    return a === undefined ? INIT_VALUE : a.value;
  }

  get invokedCount(): number {
    return this.invoked;
  }
}

export function generateRegisterHistory(options: RegisterHistoryOptions): RegisterHistory {
  const generator = new Generator(options);
  const slots: (InFlight | null)[] = Array.from({ length: options.processesCount }, () => null);
  const processes = Array.from({ length: options.processesCount }, (_, i) => i);
  let nextProcess = options.processesCount;
  const prng = new Prng(options.seed + 1);
  while (generator.invokedCount < options.opsCount || slots.some((slot) => slot !== null)) {
    const s = prng.int(0, slots.length);
    const flight = slots[s];
    if (flight === null || flight === undefined) {
      if (generator.invokedCount < options.opsCount)
        slots[s] = generator.invoke(processes[s] as number);
      continue;
    }
    slots[s] = null;
    if (generator.complete(flight)) {
      processes[s] = nextProcess;
      nextProcess += 1;
    }
  }
  return { lines: generator.lines, injected: generator.injected };
}

export function registerHistoryText(history: RegisterHistory): string {
  return history.lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}
