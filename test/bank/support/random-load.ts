/**
 * Random concurrent load and one fault for the property tests: requests at random times from
 * both regions (some retried later with the same id, possibly in the other region), the answers
 * each id got, and the fault applied and healed on the simulated stores.
 */
import fc from 'fast-check';
import type { SimBankWorld } from '../../../bank/adapters/sim/sim-bank-world.ts';
import type { BankRequest } from '../../../bank/api.ts';
import { type ClientOutcome, OSAKA, send, TOKYO } from './sim-bank.ts';

const CLIENT_ACCOUNTS = ['alice', 'bob', 'carol', 'merchant'] as const;
const REGIONS = [TOKYO, OSAKA] as const;

export type Mutation = Extract<
  BankRequest,
  { kind: 'transfer' | 'deposit' | 'withdraw' | 'checkout' }
>;

export interface Planned {
  atMs: number;
  region: string;
  request: Mutation | Extract<BankRequest, { kind: 'balances' }>;
  /** A second attempt with the same id, this long after the first, in this region. */
  retry: { afterMs: number; region: string } | null;
}

export type FaultKind = 'none' | 'isolate' | 'partition' | 'lag' | 'pause' | 'failover' | 'crash';

export interface FaultPlan {
  kind: FaultKind;
  region: string;
  startMs: number;
  durationMs: number;
}

const account = fc.constantFrom(...CLIENT_ACCOUNTS);

/** Transfers and checkouts go between two different accounts. */
function nextAccount(name: string): string {
  const i = CLIENT_ACCOUNTS.indexOf(name as (typeof CLIENT_ACCOUNTS)[number]);
  return CLIENT_ACCOUNTS[(i + 1) % CLIENT_ACCOUNTS.length] ?? 'alice';
}
const region = fc.constantFrom(...REGIONS);
const amount = fc.integer({ min: 1, max: 700 });

const requestArb = fc.oneof(
  fc.record({ kind: fc.constant('transfer' as const), from: account, to: account, amount }),
  fc.record({ kind: fc.constant('deposit' as const), account, amount }),
  fc.record({ kind: fc.constant('withdraw' as const), account, amount }),
  fc.record({ kind: fc.constant('checkout' as const), from: account, to: account, amount }),
  fc.record({ kind: fc.constant('balances' as const), consistent: fc.boolean() }),
);

export const plannedArb: fc.Arbitrary<Planned[]> = fc
  .array(
    fc.record({
      atMs: fc.integer({ min: 0, max: 3_000 }),
      region,
      request: requestArb,
      retry: fc.option(fc.record({ afterMs: fc.integer({ min: 1, max: 2_500 }), region }), {
        freq: 4,
      }),
    }),
    { minLength: 1, maxLength: 30 },
  )
  .map((items) =>
    items.map((item, i): Planned => {
      const r = item.request;
      const request =
        r.kind === 'balances'
          ? { kind: 'balances' as const, accounts: null, consistent: r.consistent }
          : r.kind === 'transfer' || r.kind === 'checkout'
            ? {
                ...r,
                to: r.to === r.from ? nextAccount(r.from) : r.to,
                id: `${r.kind[0]}${i}`,
              }
            : { ...r, id: `${r.kind[0]}${i}` };
      return { atMs: item.atMs, region: item.region, request, retry: item.retry };
    }),
  );

export const faultArb: fc.Arbitrary<FaultPlan> = fc.record({
  kind: fc.constantFrom<FaultKind>(
    'none',
    'isolate',
    'partition',
    'lag',
    'pause',
    'failover',
    'crash',
  ),
  region,
  startMs: fc.integer({ min: 0, max: 2_000 }),
  durationMs: fc.integer({ min: 100, max: 2_500 }),
});

export interface Answers {
  /** id -> the outcome of each attempt. */
  byId: Map<string, ClientOutcome[]>;
  /** Balances a consistent read returned. */
  consistentReads: Record<string, number>[];
}

/** Schedules every request (and retry); the answers fill in as the simulation runs. */
export function schedule(w: SimBankWorld, planned: readonly Planned[]): Promise<Answers> {
  const answers: Answers = { byId: new Map(), consistentReads: [] };
  const pending: Promise<void>[] = [];
  const attempt = (atMs: number, region: string, request: Planned['request']) => {
    pending.push(
      new Promise<void>((resolve) => {
        w.scheduler.at(w.scheduler.nowNs + atMs * 1_000_000, () => {
          send(w, region, request).then((outcome) => {
            record(answers, request, outcome);
            resolve();
          });
        });
      }),
    );
  };
  for (const p of planned) {
    attempt(p.atMs, p.region, p.request);
    if (p.retry !== null && p.request.kind !== 'balances') {
      attempt(p.atMs + p.retry.afterMs, p.retry.region, p.request);
    }
  }
  return Promise.all(pending).then(() => answers);
}

function record(answers: Answers, request: Planned['request'], outcome: ClientOutcome): void {
  if (request.kind === 'balances') {
    if (request.consistent && outcome.outcome === 'ok') {
      const value = outcome.value as { balances: Record<string, number> };
      answers.consistentReads.push(value.balances);
    }
    return;
  }
  const list = answers.byId.get(request.id) ?? [];
  list.push(outcome);
  answers.byId.set(request.id, list);
}

const OTHER = (r: string) => (r === TOKYO ? OSAKA : TOKYO);

/** Applies the fault at its start and heals it at its end (both scheduled). */
export function applyFault(w: SimBankWorld, fault: FaultPlan): void {
  const at = (ms: number, action: () => void) =>
    w.scheduler.at(w.scheduler.nowNs + ms * 1_000_000, action);
  const end = fault.startMs + fault.durationMs;
  const from = fault.region;
  const to = OTHER(from);
  switch (fault.kind) {
    case 'none':
      return;
    case 'isolate':
      at(fault.startMs, () => w.network.isolate(from));
      at(end, () => w.network.rejoin(from));
      return;
    case 'partition':
      at(fault.startMs, () => w.network.partition(from, to));
      at(end, () => w.network.heal(from, to));
      return;
    case 'lag':
      at(fault.startMs, () => setLag(w, from, to, 400));
      at(end, () => setLag(w, from, to, 0));
      return;
    case 'pause':
      at(fault.startMs, () => pause(w, from, to, true));
      at(end, () => pause(w, from, to, false));
      return;
    case 'failover':
      // The writer's region is cut off, the secondary is promoted, the old writer rejoins.
      at(fault.startMs, () => w.network.isolate(TOKYO));
      at(fault.startMs + 100, () => w.cluster.failover(TOKYO, OSAKA));
      at(end, () => {
        w.network.rejoin(TOKYO);
        w.cluster.rejoin(TOKYO);
      });
      return;
    case 'crash':
      at(fault.startMs, () => w.bank.crash(from));
      at(end, () => w.bank.restart(from));
      return;
  }
}

function setLag(w: SimBankWorld, from: string, to: string, lagMs: number): void {
  w.cluster.setReplicaLagMs(from, to, lagMs);
  w.balances.setReplicaLagMs(from, to, lagMs);
  w.registers.setReplicaLagMs(from, to, lagMs);
}

function pause(w: SimBankWorld, from: string, to: string, paused: boolean): void {
  for (const store of [w.cluster, w.balances, w.registers]) {
    if (paused) store.pauseReplication(from, to);
    else store.resumeReplication(from, to);
  }
}
