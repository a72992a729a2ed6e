/**
 * Turns a key's failing window, or its first read of a value never written, into the
 * `nonlinearizable` anomaly: one sentence plus details.
 */
import type { Anomaly } from '../checker.ts';
import { formatTimeNs, inRegion } from '../format.ts';
import type { ShrunkWindow, Window } from './failing-window.ts';
import type { KeyHistory, KeyOp } from './key-history.ts';
import type { NeverWrittenReads } from './never-written-reads.ts';
import { createRegisterModel } from './register-model.ts';

/** How many window ops the message names before "and N more". */
const MESSAGE_OPS_MAX = 4;

export interface WindowOpDetail {
  /** "final" for a region's final read, taken as a read at its line's instant. */
  process: number | 'final';
  f: string;
  value: unknown;
  /** What an ok read returned. */
  result?: unknown;
  outcome: 'ok' | 'info' | 'pending';
  startNs: number;
  /** Null when the outcome is unknown: the op may take effect at any later time. */
  endNs: number | null;
  invokeIndex: number;
  completionIndex: number | null;
  region?: string;
}

function outcomeOf(op: KeyOp): WindowOpDetail['outcome'] {
  if (Number.isFinite(op.endNs)) return 'ok';
  return op.completionIndex >= 0 ? 'info' : 'pending';
}

function detailOf(history: KeyHistory, op: KeyOp): WindowOpDetail {
  const { input, output } = op;
  const value = history.values;
  const detail: WindowOpDetail = {
    process: op.process,
    f: input.f,
    value:
      input.f === 'read'
        ? null
        : input.f === 'write'
          ? value.valueOf(input.value)
          : { from: value.valueOf(input.from), to: value.valueOf(input.to) },
    outcome: outcomeOf(op),
    startNs: op.startNs,
    endNs: Number.isFinite(op.endNs) ? op.endNs : null,
    invokeIndex: op.invokeIndex,
    completionIndex: op.completionIndex >= 0 ? op.completionIndex : null,
  };
  if (input.f === 'read' && output.known) detail.result = value.valueOf(output.value);
  if (op.region !== undefined) detail.region = op.region;
  return detail;
}

type RegisterModel = ReturnType<typeof createRegisterModel>;

function opText(model: RegisterModel, op: KeyOp): string {
  if (op.process === 'final') {
    const returned = model.describeState(op.output.value);
    return `final read${inRegion(op.region)} returned ${returned} at ${formatTimeNs(op.startNs)} (index ${op.invokeIndex})`;
  }
  const end = Number.isFinite(op.endNs) ? `ok at ${formatTimeNs(op.endNs)}` : 'outcome unknown';
  const what = model.describeOp(op.input, op.output);
  return `${what} by process ${op.process}${inRegion(op.region)} (invoked at ${formatTimeNs(op.startNs)}, ${end})`;
}

function listText(texts: readonly string[]): string {
  const shown = texts.slice(0, MESSAGE_OPS_MAX);
  const more = texts.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** One sentence: the window's ops, its time span and the state it was judged from. */
function windowMessage(
  history: KeyHistory,
  windowOps: readonly KeyOp[],
  fromInit: boolean,
  endNs: number,
): string {
  const model = createRegisterModel(history.values, history.initId);
  const from = fromInit
    ? `from the initial value ${model.describeState(model.init())}`
    : 'from any value the key could hold when it begins';
  const key = `key ${JSON.stringify(history.key)}`;
  const texts = windowOps.map((op) => opText(model, op));
  if (texts.length === 1) return `${key}: ${texts[0]} admits no linearization ${from}.`;
  const startNs = (windowOps[0] as KeyOp).startNs;
  const span = `the ${texts.length} ops between ${formatTimeNs(startNs)} and ${formatTimeNs(endNs)}`;
  return `${key}: ${span} admit no linearization ${from}: no order of ${listText(texts)} is legal.`;
}

/** The details both kinds share: the window's ops, its span, its line indices. */
function windowDetails(history: KeyHistory, windowOps: readonly KeyOp[]) {
  const startNs = (windowOps[0] as KeyOp).startNs;
  let endNs = startNs;
  for (const op of windowOps) {
    endNs = Math.max(endNs, Number.isFinite(op.endNs) ? op.endNs : op.startNs);
  }
  const indices: number[] = [];
  for (const op of windowOps) {
    indices.push(op.invokeIndex);
    // A final read is one line: its invoke and completion share that line's index.
    if (op.completionIndex >= 0 && op.completionIndex !== op.invokeIndex) {
      indices.push(op.completionIndex);
    }
  }
  return {
    ops: indices.sort((a, b) => a - b),
    windowStartNs: startNs,
    windowEndNs: endNs,
    windowOps: windowOps.map((op) => detailOf(history, op)),
  };
}

function opsOf(ops: readonly KeyOp[], window: Window): readonly KeyOp[] {
  return ops.slice(window.first, window.last + 1);
}

export function nonlinearizableAnomaly(
  history: KeyHistory,
  ops: readonly KeyOp[],
  window: ShrunkWindow,
): Anomaly {
  const windowOps = opsOf(ops, window);
  const fromInit = window.first === 0;
  const details = windowDetails(history, windowOps);
  return {
    type: 'nonlinearizable',
    message: windowMessage(history, windowOps, fromInit, details.windowEndNs),
    ops: details.ops,
    key: history.key,
    valueNeverWritten: false,
    fromInitialValue: fromInit,
    windowShrunk: window.shrunk,
    windowShrinkStoppedBy: window.stoppedBy,
    windowStartNs: details.windowStartNs,
    windowEndNs: details.windowEndNs,
    windowOps: details.windowOps,
  };
}

/**
 * The first read of a value never written, as a window of that one read: it fails from any value
 * the key could ever hold, so it is judged "from any value" and is as small as a window gets.
 */
export function neverWrittenAnomaly(
  history: KeyHistory,
  ops: readonly KeyOp[],
  found: NeverWrittenReads,
): Anomaly {
  const read = ops[found.firstPosition] as KeyOp;
  if (read.input.f !== 'read' || !read.output.known) throw new Error('not an ok read');
  const model = createRegisterModel(history.values, history.initId);
  const init = model.describeState(model.init());
  const value = model.describeState(read.output.value);
  const others = found.count - 1;
  const more =
    others === 0 ? '' : ` (${others} more read${others === 1 ? '' : 's'} of the key did the same)`;
  const details = windowDetails(history, [read]);
  return {
    type: 'nonlinearizable',
    message: `key ${JSON.stringify(history.key)}: ${opText(model, read)}, a value never written: neither the initial value ${init} nor any write or cas of the key that may have taken effect put ${value} there${more}.`,
    ops: details.ops,
    key: history.key,
    valueNeverWritten: true,
    neverWrittenReadsCount: found.count,
    fromInitialValue: false,
    windowShrunk: true,
    windowShrinkStoppedBy: null,
    windowStartNs: details.windowStartNs,
    windowEndNs: details.windowEndNs,
    windowOps: details.windowOps,
  };
}
