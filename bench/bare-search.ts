/**
 * The bare search, what Porcupine does: each key's ops handed to the Wing–Gong–Lowe search from
 * the key's initial value, nothing else — no pre-pass, no failing window, no anomaly text. The
 * conversion of client ops into the search's ops (KeyHistory) is counted, as Porcupine counts
 * partitioning; reading and JSON parsing are not (the events were recorded beforehand).
 */
import { Deadline } from '../checkers/deadline.ts';
import { KeyHistory } from '../checkers/linearizable/key-history.ts';
import { createRegisterModel } from '../checkers/linearizable/register-model.ts';
import { isLinearizable, type SearchCounters } from '../checkers/linearizable/wgl-search.ts';
import type { FinalReadValue, InitValue } from '../history/op.ts';
import { REGISTER_FS } from '../history/op.ts';
import type { RecordedEvent } from './recorded-history.ts';

/** Budgets as generous as the checker's, so that both decide the same histories. */
const MEMO_ENTRIES_MAX = 3_000_000;
const SET_NODES_MAX = 3_000_000;
const STEPS_MAX = 2_000_000_000;

export interface BareVerdict {
  /** False when some key admits no linearization. */
  linearizable: boolean;
  steps: number;
}

/** Each register key's ops, as the checker keeps them (tests use it too). */
export function keyHistories(events: readonly RecordedEvent[]): Map<string, KeyHistory> {
  const keys = new Map<string, KeyHistory>();
  let initRegisters: Record<string, unknown> = {};
  const historyOf = (key: string): KeyHistory => {
    let history = keys.get(key);
    if (history === undefined) {
      history = new KeyHistory(key, initRegisters[key] ?? null);
      keys.set(key, history);
    }
    return history;
  };
  for (const event of events) {
    if (event.kind === 'client') {
      const { invoke } = event.clientOp;
      if (!REGISTER_FS.has(invoke.f)) continue;
      historyOf((invoke.value as { key: string }).key).add(event.clientOp);
      continue;
    }
    const { op } = event;
    if (op.process === 'setup' && op.f === 'init') {
      initRegisters = (op.value as InitValue).registers ?? {};
    } else if (op.process === 'final' && op.f === 'final-read') {
      const registers = (op.value as FinalReadValue | undefined)?.registers ?? {};
      for (const [key, value] of Object.entries(registers)) historyOf(key).addFinalRead(op, value);
    }
  }
  return keys;
}

export function bareSearch(events: readonly RecordedEvent[], timeoutS: number): BareVerdict {
  const counters: SearchCounters = { steps: 0, memoEntriesMax: 0, setNodesMax: 0 };
  const deadline = new Deadline(timeoutS * 1000);
  let linearizable = true;
  for (const [key, history] of keyHistories(events)) {
    const model = createRegisterModel(history.values, history.initId);
    const budget = {
      deadline,
      memoEntriesMax: MEMO_ENTRIES_MAX,
      setNodesMax: SET_NODES_MAX,
      stepsMax: STEPS_MAX,
      label: `key ${JSON.stringify(key)}`,
    };
    const ops = history.opsInInvokeOrder();
    if (!isLinearizable(model, ops, [model.init()], budget, counters)) linearizable = false;
  }
  return { linearizable, steps: counters.steps };
}
