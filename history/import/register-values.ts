/**
 * Jepsen register values to the paychaos vocabulary. Plain histories (one register):
 * `:read` nil / the value read, `:write v`, `:cas [from to]`. Independent histories
 * (jepsen.independent): the same inside `[key value]` tuples.
 *
 *   {:type :invoke, :f :cas, :value [3 [1 2]]}  ->  {"key": "3", "from": 1, "to": 2}
 *   {:type :ok, :f :read, :value 4}             ->  {"key": "register", "value": 4}
 *
 * A fail or info completion whose value is a keyword (`:timed-out`) carries an error, not a
 * value: the keyword becomes the op's `error`.
 *
 * An ok read of nil means "value unknown" in Jepsen's register models (Knossos accepts it in any
 * state) or "the register is empty": `nilReadUnknown` chooses (see ImportOptions.nilRead).
 *
 *   {:type :ok, :f :read, :value nil}  ->  {"key": "register", "valueUnknown": true}   (unknown)
 *                                      ->  {"key": "register", "value": null}          (empty)
 */
import { type EdnValue, isKind, sequentialItems } from '../edn/edn-value.ts';
import { ednKeyString, ednToJson } from './edn-to-json.ts';
import type { HistoryFacts } from './history-survey.ts';
import { ImportProblem } from './import-problem.ts';
import { describeEdn, type RawOp } from './raw-op.ts';

export interface RegisterValue {
  value: Record<string, unknown>;
  key: string;
  /** The error a keyword value stood for. */
  error?: string;
}

/** The key and the inner value of a register op. */
function splitKey(
  op: RawOp,
  facts: HistoryFacts,
  keyInFlight: string | undefined,
): [string, EdnValue | undefined] {
  if (!facts.tuples) return [facts.plainKey, op.value];
  const items = op.value === undefined ? null : sequentialItems(op.value);
  if (items !== null && items.length === 2) return [ednKeyString(items[0]!), items[1]];
  if (op.type !== 'invoke' && keyInFlight !== undefined) return [keyInFlight, op.value];
  throw new ImportProblem(
    `expected a [key value] tuple (this history's register ops use jepsen.independent keys), got ${describeEdn(op.value)}`,
  );
}

export function registerValue(
  op: RawOp,
  facts: HistoryFacts,
  keyInFlight: string | undefined,
  nilReadUnknown: boolean,
): RegisterValue {
  const [key, inner] = splitKey(op, facts, keyInFlight);
  const completion = op.type !== 'invoke';
  const absent = inner === undefined || inner === null;
  if (completion && op.type !== 'ok' && inner !== undefined && isKind(inner, 'keyword')) {
    return { key, value: { key }, error: inner.name };
  }
  switch (op.f) {
    case 'read':
      if (op.type === 'ok' && absent && nilReadUnknown) {
        return { key, value: { key, valueUnknown: true } };
      }
      if (op.type === 'ok' || !absent)
        return { key, value: { key, value: ednToJson(inner ?? null) } };
      return { key, value: { key } };
    case 'write':
      if (inner === undefined) {
        if (completion) return { key, value: { key } };
        throw new ImportProblem('a :write needs a :value, the value written');
      }
      return { key, value: { key, value: ednToJson(inner) } };
    default:
      return { key, value: casValue(key, inner, completion) };
  }
}

function casValue(
  key: string,
  inner: EdnValue | undefined,
  completion: boolean,
): Record<string, unknown> {
  const pair = inner === undefined ? null : sequentialItems(inner);
  if (pair !== null && pair.length === 2) {
    return { key, from: ednToJson(pair[0]!), to: ednToJson(pair[1]!) };
  }
  if (completion && (inner === undefined || inner === null)) return { key };
  throw new ImportProblem(`a :cas value is [from to], got ${describeEdn(inner)}`);
}
