/**
 * The `local` target on a team's own service (`--endpoint REGION=URL`, docs/own-service.md): the
 * scenario's load goes to each region's URL over the HTTP contract (docs/bank-api.openapi.json)
 * and the same checkers judge the history. No lab starts and no fault is injected: the harness
 * cannot cut a region, kill a cluster or lag replication inside someone else's system, and
 * cutting only its own clients off would be a different fault under the same name. A scenario
 * with faults is refused by name before anything is sent; the team runs faults with its own
 * tooling (and `--target aws` will, through FIS).
 *
 * State: the initial balances are the writer region's consistent `balances` read at start (the
 * service must hold every account the scenario declares and an empty ledger); the final state is
 * each region's `balances` and register `read`s, and the writer's ledger and saga log through
 * the contract's /v1/final/ paths, once the regions agree with each other and with the writer.
 */
import type { FinalRegionRead, FinalState, RegisterKeys } from '../../../bank/final-state.ts';
import type { FaultKind } from '../../../faults/fault.ts';
import type { FinalReadValue, LedgerEntry, SagaRecord } from '../../../history/op.ts';
import { HttpTransport } from '../../../load/http-transport.ts';
import type { ResolvedAccount, ResolvedScenario } from '../../../scenario-dsl/resolved-scenario.ts';
import { sleepMs, waitUntil } from '../../../targets/local/wait-until.ts';
import { Prng } from '../../../targets/sim/prng.ts';
import type { Target, TargetSession, TargetUpOptions } from '../../target.ts';
import { EndpointClient } from './endpoint-client.ts';
import { writerOf } from './local-target.ts';
import { realClock } from './real-clock.ts';

export const ENDPOINT_FAULTS: readonly FaultKind[] = [];

/** Bounds of the harness's own waits on the service. */
const HEALTH_WAIT_MS_MAX = 15_000;
const CONVERGE_WAIT_MS_MAX = 60_000;
const CONVERGE_POLL_MS = 500;
/** How long the service's state must stay still, agreeing, before the final read. */
const QUIET_MS = 3_000;
const ADVANCE_MS_MAX = 3_600_000;
/** One exchange of the load or of the harness; the load client's own timeout, shorter, decides. */
const HTTP_REQUEST_TIMEOUT_MS = 30_000;
const FINAL_PAGE_ENTRIES = 10_000;
const FINAL_PAGES_MAX = 100_000;

/**
 * The service cannot be run against: it does not answer its health probe, or its state makes the
 * run meaningless (an account missing, a used ledger).
 */
export class EndpointNotReady extends Error {
  override name = 'EndpointNotReady';
}

type Balances = Record<string, number>;

function balancesOf(value: unknown, what: string): Balances {
  const balances = (value as { balances?: unknown } | undefined)?.balances;
  if (typeof balances !== 'object' || balances === null) {
    throw new Error(`${what}: expected {"balances": {...}}, got ${JSON.stringify(value)}`);
  }
  for (const [account, amount] of Object.entries(balances)) {
    if (!Number.isSafeInteger(amount)) {
      throw new Error(`${what}: the balance of ${account} is not an integer: ${String(amount)}`);
    }
  }
  return balances as Balances;
}

export function endpointTarget(endpoints: Readonly<Record<string, string>>): Target {
  return {
    name: 'local',
    label: 'local (--endpoint, your own service)',
    faults: ENDPOINT_FAULTS,
    up: (options) => up(endpoints, options),
  };
}

async function up(
  endpoints: Readonly<Record<string, string>>,
  { scenario, seed }: TargetUpOptions,
): Promise<TargetSession> {
  const named = Object.keys(endpoints).sort().join(', ');
  if (named !== [...scenario.regions].sort().join(', ')) {
    throw new Error(`endpoints for ${named}; the scenario's regions are ${scenario.regions}`);
  }
  const clock = realClock();
  const writer = writerOf({ scenario });
  const client = new EndpointClient(endpoints, HTTP_REQUEST_TIMEOUT_MS);
  for (const region of scenario.regions) {
    await waitUntil(
      `the service at ${endpoints[region]} to answer GET /v1/health for ${region}`,
      HEALTH_WAIT_MS_MAX,
      () => client.healthy(region),
      200,
    ).catch((error: unknown) => {
      throw new EndpointNotReady(error instanceof Error ? error.message : String(error));
    });
  }
  const accounts = await initialAccounts(client, scenario, writer);
  const service = new ServiceState(client, scenario.regions, writer, accounts);
  return {
    clock,
    prng: new Prng(seed),
    clients: new HttpTransport({
      endpoints: { ...endpoints },
      requestTimeoutMs: HTTP_REQUEST_TIMEOUT_MS,
    }),
    accounts: () => accounts.map((account) => ({ ...account })),
    advance: (ms) => {
      if (!(ms >= 0 && ms <= ADVANCE_MS_MAX)) {
        throw new Error(`advance: expected 0..${ADVANCE_MS_MAX} ms, got ${ms}`);
      }
      return sleepMs(ms);
    },
    inject: (action) => {
      throw new Error(`the endpoint target injects no fault; asked for ${action.f}`);
    },
    heal: () => service.waitConverged(),
    readFinalState: (keys) => service.readFinalState(keys),
    down: async () => ({ lostCommits: null }),
  };
}

/**
 * The accounts as the writer holds them before the load: every account of the scenario must be
 * there (its balance may differ: the service's is the truth the checkers start from), its system
 * accounts come along, and the ledger must be empty — a ledger with earlier runs' entries makes
 * every final balance disagree with it, and repeats this seed's ids.
 */
async function initialAccounts(
  client: EndpointClient,
  scenario: ResolvedScenario,
  writer: string,
): Promise<ResolvedAccount[]> {
  const request = { kind: 'balances', accounts: null, consistent: true } as const;
  const balances = balancesOf(await client.okValue(writer, request), `balances in ${writer}`);
  const missing = scenario.bank.accounts.filter((account) => balances[account.name] === undefined);
  if (missing.length > 0) {
    throw new EndpointNotReady(
      `the service in ${writer} holds no account ${missing[0]!.name} (of ${missing.length} the scenario declares and it lacks); seed it with the scenario's accounts first (docs/own-service.md)`,
    );
  }
  const ledger = await client.ledgerPage(writer, null, 1);
  if (ledger.items.length > 0) {
    throw new EndpointNotReady(
      `the service's ledger in ${writer} is not empty (tx ${ledger.items[0]!.tx}); start each run on a freshly seeded service (docs/own-service.md)`,
    );
  }
  const homes = new Map(scenario.bank.accounts.map((account) => [account.name, account.home]));
  return Object.entries(balances).map(([name, balance]) => ({
    name,
    balance,
    home: homes.get(name) ?? writer,
  }));
}

class ServiceState {
  private readonly names: string[];

  constructor(
    private readonly client: EndpointClient,
    private readonly regions: readonly string[],
    private readonly writer: string,
    accounts: readonly ResolvedAccount[],
  ) {
    this.names = accounts.map((account) => account.name);
  }

  /**
   * The service's replication and background work are out of sight, so quiescence is judged from
   * outside: every region's balances equal the writer's consistent read, no saga is pending, and
   * none of that (nor the ledger's length) changed for QUIET_MS — a client that gave up on a
   * request does not stop the service, which may still commit seconds later. A service that never
   * gets there is left to the checkers (`divergence`, `stuck-saga`): the wait ends, the run goes on.
   */
  async waitConverged(): Promise<void> {
    let quietSinceMs = 0;
    let before = '';
    await waitUntil(
      'the regions to agree with the writer',
      CONVERGE_WAIT_MS_MAX,
      async () => {
        const { settled, fingerprint } = await this.observe();
        const nowMs = Date.now();
        if (!settled || fingerprint !== before) quietSinceMs = nowMs;
        before = fingerprint;
        return settled && nowMs - quietSinceMs >= QUIET_MS;
      },
      CONVERGE_POLL_MS,
    ).catch(() => undefined);
  }

  private async observe(): Promise<{ settled: boolean; fingerprint: string }> {
    const consistent = { kind: 'balances', accounts: this.names, consistent: true } as const;
    const truth = JSON.stringify(
      balancesOf(await this.client.okValue(this.writer, consistent), 'balances'),
    );
    const regions: string[] = [];
    for (const region of this.regions) {
      regions.push(JSON.stringify(await this.regionBalances(region)));
    }
    const ledger = await this.pages<LedgerEntry>((after) =>
      this.client.ledgerPage(this.writer, after, FINAL_PAGE_ENTRIES),
    );
    const sagas = await this.pages<SagaRecord>((after) =>
      this.client.sagasPage(this.writer, after, FINAL_PAGE_ENTRIES),
    );
    const pending = sagas.flat().filter((saga) => saga.status === 'pending').length;
    const entries = ledger.reduce((sum, page) => sum + page.length, 0);
    return {
      settled: pending === 0 && regions.every((read) => read === truth),
      fingerprint: JSON.stringify([truth, regions, entries, pending]),
    };
  }

  private async regionBalances(region: string): Promise<Balances> {
    const request = { kind: 'balances', accounts: this.names, consistent: false } as const;
    const balances = balancesOf(
      await this.client.okValue(region, request),
      `balances in ${region}`,
    );
    // Key order is the service's: compare and record in the accounts' order.
    return Object.fromEntries(
      this.names
        .filter((name) => balances[name] !== undefined)
        .map((name) => [name, balances[name]!]),
    );
  }

  async readFinalState(keys: RegisterKeys): Promise<FinalState> {
    const reads: FinalRegionRead[] = [];
    for (const region of this.regions) reads.push(await this.readRegion(region, keys));
    const ledgerPages = await this.pages<LedgerEntry>((after) =>
      this.client.ledgerPage(this.writer, after, FINAL_PAGE_ENTRIES),
    );
    const sagaPages = await this.pages<SagaRecord>((after) =>
      this.client.sagasPage(this.writer, after, FINAL_PAGE_ENTRIES),
    );
    return { reads, ledgerPages, sagaPages };
  }

  private async readRegion(region: string, keys: RegisterKeys): Promise<FinalRegionRead> {
    const value: FinalReadValue = { accounts: await this.regionBalances(region) };
    if (keys.eventual.length + keys.strong.length > 0) {
      const registers: Record<string, unknown> = {};
      const tables = [
        ['eventual', keys.eventual],
        ['strong', keys.strong],
      ] as const;
      for (const [table, tableKeys] of tables) {
        for (const key of tableKeys) {
          const read = await this.client.okValue(region, { kind: 'read', table, key });
          registers[key] = (read as { value?: unknown } | undefined)?.value ?? null;
        }
      }
      value.registers = registers;
    }
    return { region, value };
  }

  private async pages<T>(
    page: (after: string | null) => Promise<{ items: T[]; next: string | null }>,
  ): Promise<T[][]> {
    const pages: T[][] = [];
    let after: string | null = null;
    for (let n = 0; n < FINAL_PAGES_MAX; n += 1) {
      const { items, next }: { items: T[]; next: string | null } = await page(after);
      if (items.length > 0) pages.push(items);
      if (next === null) return pages;
      after = next;
    }
    throw new Error(`the service's final log holds more than ${FINAL_PAGES_MAX} pages`);
  }
}
