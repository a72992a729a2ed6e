/** Defaults and rules for `regions`, `bank` and `clusters`. */
import type { BugFlag } from './bug-flags.ts';
import type { FieldProblem } from './field-problem.ts';
import { notARegion } from './field-problem.ts';
import type { ResolvedBank, ResolvedCluster } from './resolved-scenario.ts';
import type { BankParsed, ScenarioParsed } from './scenario-schema.ts';

export const DEFAULT_REGIONS = ['ap-northeast-1', 'ap-northeast-3'];
export const DEFAULT_ACCOUNT_COUNT = 10;
export const DEFAULT_BALANCE = 10_000;
export const DEFAULT_CLUSTER_NAME = 'ledger';

/** A list without repeats: each repeat is a problem naming its first occurrence. */
export function uniqueProblems(
  items: readonly string[],
  pathOf: (i: number) => string,
  what: string,
): FieldProblem[] {
  const firstIndex = new Map<string, number>();
  const problems: FieldProblem[] = [];
  items.forEach((item, i) => {
    const first = firstIndex.get(item);
    if (first === undefined) firstIndex.set(item, i);
    else problems.push({ path: pathOf(i), message: `'${item}' is also ${pathOf(first)}; ${what}` });
  });
  return problems;
}

export function resolveRegions(regions: string[] | undefined, problems: FieldProblem[]): string[] {
  const resolved = regions ?? DEFAULT_REGIONS;
  problems.push(...uniqueProblems(resolved, (i) => `regions[${i}]`, 'regions must be unique'));
  return [...resolved];
}

/** acct-0, acct-1, ... with homes taken in turn from the regions. */
export function resolveBank(
  bank: BankParsed | undefined,
  regions: readonly string[],
  problems: FieldProblem[],
): ResolvedBank {
  const specs =
    bank?.accounts ??
    Array.from({ length: DEFAULT_ACCOUNT_COUNT }, (_, i) => ({
      name: `acct-${i}`,
      balance: DEFAULT_BALANCE,
      home: undefined,
    }));
  const accounts = specs.map((spec, i) => {
    const home = spec.home ?? regions[i % regions.length];
    if (home === undefined) throw new Error('resolveBank: a scenario has at least one region');
    if (!regions.includes(home)) {
      problems.push({ path: `bank.accounts[${i}].home`, message: notARegion(home, regions) });
    }
    return { name: spec.name, balance: spec.balance, home };
  });
  const names = accounts.map((a) => a.name);
  problems.push(
    ...uniqueProblems(names, (i) => `bank.accounts[${i}].name`, 'account names must be unique'),
  );
  const bugs: BugFlag[] = bank?.bugs ?? [];
  problems.push(...uniqueProblems(bugs, (i) => `bank.bugs[${i}]`, 'list each bug once'));
  return { accounts, bugs: [...bugs] };
}

export function resolveClusters(
  clusters: ScenarioParsed['clusters'],
  regions: readonly string[],
  problems: FieldProblem[],
): ResolvedCluster[] {
  const resolved = clusters ?? [{ name: DEFAULT_CLUSTER_NAME, writer: regions[0] ?? '' }];
  resolved.forEach((cluster, i) => {
    if (!regions.includes(cluster.writer)) {
      problems.push({
        path: `clusters[${i}].writer`,
        message: notARegion(cluster.writer, regions),
      });
    }
  });
  const names = resolved.map((c) => c.name);
  problems.push(
    ...uniqueProblems(names, (i) => `clusters[${i}].name`, 'cluster names must be unique'),
  );
  return resolved.map((c) => ({ name: c.name, writer: c.writer }));
}
