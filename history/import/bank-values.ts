/**
 * Jepsen bank values (jepsen.tests.bank) to the paychaos vocabulary:
 *
 *   {:f :transfer, :value {:from 0, :to 1, :amount 5}}  ->  transfer {"id": "t7", "from": "0", "to": "1", "amount": 5}
 *   {:type :ok, :f :read, :value {0 10, 1 90}}          ->  balances {"balances": {"0": 10, "1": 90}, "consistent": true}
 *
 * Jepsen transfers have no id: the invoke's index in the imported history names it (`t<index>`),
 * unless the value has its own `:id`. Jepsen's bank reads are snapshot reads in one
 * transaction, hence `consistent: true`.
 */
import { type EdnValue, isKind } from '../edn/edn-value.ts';
import { ednKeyString, ednMapToJson } from './edn-to-json.ts';
import { ImportProblem } from './import-problem.ts';
import { describeEdn } from './raw-op.ts';

/** A transfer's value; `id` is the one to use when the map has none. */
export function transferValue(
  value: EdnValue | undefined,
  id: string,
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isKind(value, 'map')) {
    throw new ImportProblem(`a :transfer value is {:from :to :amount}, got ${describeEdn(value)}`);
  }
  const converted = ednMapToJson(value.entries);
  const result: Record<string, unknown> = { id, ...converted };
  for (const [key, item] of value.entries) {
    const name = ednKeyString(key);
    if (name === 'from' || name === 'to' || name === 'id') result[name] = ednKeyString(item);
  }
  return result;
}

/** A bank read's ok value: the map of balances, accounts named by their stringified keys. */
export function balancesValue(value: EdnValue | undefined): Record<string, unknown> {
  if (value === undefined || !isKind(value, 'map')) {
    throw new ImportProblem(`a bank :read returns a map of balances, got ${describeEdn(value)}`);
  }
  return { balances: ednMapToJson(value.entries), consistent: true };
}
