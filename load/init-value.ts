/**
 * The `init` line a target writes before the load starts, as far as load/ decides it: every
 * account with its initial balance, and the strong register keys the registers workloads use
 * (so the linearizable checker knows them). Registers are left out: absent from init they start
 * as null, which is what the stores start with.
 */
import type { InitValue } from '../history/op.ts';
import type { ResolvedAccount, ResolvedWorkload } from '../scenario-dsl/resolved-scenario.ts';
import { registerKeys } from './registers-generator.ts';

export function loadInitValue(
  accounts: readonly ResolvedAccount[],
  workloads: readonly ResolvedWorkload[],
): InitValue {
  const init: InitValue = {
    accounts: Object.fromEntries(accounts.map((account) => [account.name, account.balance])),
  };
  const strong = new Set<string>();
  for (const workload of workloads) {
    if (workload.kind === 'registers') {
      for (const key of registerKeys(workload.keys).strong) strong.add(key);
    }
  }
  if (strong.size > 0) init.strong = [...strong];
  return init;
}
