/**
 * `balances` reads. Eventual: each account from this region's replica of the key-value
 * projection ("read local"); an account the replica does not have yet is left out rather than
 * invented. Consistent: the authoritative rows, in one transaction on the SQL writer.
 */
import type { BankRequest, BankResponse } from './api.ts';
import { readAccount } from './ledger-posting.ts';
import type { InstanceContext } from './region-ports.ts';
import { answering, ok, rejected } from './responses.ts';

type BalancesRequest = Extract<BankRequest, { kind: 'balances' }>;

export function handleBalances(
  ctx: InstanceContext,
  request: BalancesRequest,
): Promise<BankResponse> {
  const names = request.accounts ?? ctx.config.accountNames;
  const unknownName = names.find((name) => !ctx.config.accounts.has(name));
  if (unknownName !== undefined) return Promise.resolve(rejected(`unknown account ${unknownName}`));
  return answering(async () => {
    const balances: Record<string, number> = {};
    if (request.consistent) {
      await ctx.ports.sql.transaction(
        async (tx) => {
          for (const name of names) balances[name] = (await readAccount(tx, name)).balance;
        },
        { waitForReplication: ctx.config.waitForReplication },
      );
    } else {
      for (const name of names) {
        const item = await ctx.ports.balances.get(name);
        if (item !== undefined) balances[name] = item.value.balance;
      }
    }
    return ok({ balances, consistent: request.consistent });
  });
}
