/**
 * The `sim` target: the reference bank on the simulated stores (bank/adapters/sim), clients that
 * reach it over the simulated network, faults applied to the simulated parts, all on one virtual
 * clock and one seeded PRNG. It supports every fault kind.
 */
import {
  createSimBankWorld,
  type SimBankWorld,
} from '../../../bank/adapters/sim/sim-bank-world.ts';
import type { BankRequest, BankResponse } from '../../../bank/api.ts';
import { FAULT_KINDS } from '../../../faults/fault.ts';
import { schedulerClock } from '../../../load/clock.ts';
import type { Transport } from '../../../load/transport.ts';
import { CLIENTS } from '../../../targets/sim/network.ts';
import type { Target, TargetSession, TargetUpOptions } from '../../target.ts';
import { applyNemesis } from './apply-nemesis.ts';

/** Bounds on the steps that wait for the world rather than for the clock. */
const INIT_MS_MAX = 60_000;
const SETTLE_MS_MAX = 300_000;
const FINAL_READ_MS_MAX = 120_000;

function simTransport(world: SimBankWorld): Transport {
  const probe: BankRequest = { kind: 'balances', accounts: [], consistent: false };
  return {
    send: (region, request): Promise<BankResponse> =>
      world.network.request(CLIENTS, region, () => world.bank.endpoint(region).handle(request)),
    probe: (region) =>
      world.network
        .request(CLIENTS, region, () => world.bank.endpoint(region).handle(probe))
        .then((response) => response.outcome === 'ok'),
  };
}

/** Runs the world until `promise` settles; fails loudly if that takes more than `msMax`. */
async function runUntil<T>(
  world: SimBankWorld,
  promise: Promise<T>,
  what: string,
  msMax: number,
): Promise<T> {
  let done = false;
  let result: { value: T } | { error: unknown } | null = null;
  promise.then(
    (value) => {
      done = true;
      result = { value };
    },
    (error: unknown) => {
      done = true;
      result = { error };
    },
  );
  const stepMs = 100;
  for (let elapsedMs = 0; !done; elapsedMs += stepMs) {
    if (elapsedMs > msMax)
      throw new Error(`${what} did not finish within ${msMax} ms of virtual time`);
    await world.runForMs(stepMs);
  }
  const settled = result as { value: T } | { error: unknown } | null;
  if (settled === null) throw new Error(`${what}: settled without a result`);
  if ('error' in settled) throw settled.error;
  return settled.value;
}

/**
 * A failover has no stop of its own; it is healed, as an operator would after detach-and-promote,
 * by adding each old writer back as a secondary rebuilt from the new writer. Whatever an unfenced
 * old writer accepted after the promotion is gone then, as it would be in Aurora.
 */
function healFailovers(world: SimBankWorld): void {
  for (const region of world.cluster.oldWriters()) world.cluster.rejoin(region);
}

function sessionOf(world: SimBankWorld, clusterName: string): TargetSession {
  return {
    clock: schedulerClock(world.scheduler),
    prng: world.driverPrng,
    clients: simTransport(world),
    accounts: () => world.bank.accounts(),
    advance: (ms) => world.runForMs(ms),
    inject: (action) => applyNemesis(world, clusterName, action),
    heal: async () => {
      healFailovers(world);
      await world.settle(SETTLE_MS_MAX);
    },
    readFinalState: (keys) =>
      runUntil(
        world,
        world.bank.readFinalState(keys),
        'reading the final state',
        FINAL_READ_MS_MAX,
      ),
    down: async () => {
      world.bank.stop();
      const errors = world.bank.backgroundErrors();
      if (errors.length > 0)
        throw new Error(`the bank's background work failed: ${String(errors[0])}`);
      return { lostCommits: world.cluster.lostCommits().length };
    },
  };
}

async function up({ scenario, seed }: TargetUpOptions): Promise<TargetSession> {
  const world = createSimBankWorld({
    seed,
    regions: scenario.regions,
    writerRegion: scenario.clusters[0]?.writer ?? scenario.regions[0] ?? '',
    accounts: scenario.bank.accounts,
    bugs: scenario.bank.bugs,
  });
  await runUntil(world, world.bank.init(), 'the bank start-up', INIT_MS_MAX);
  return sessionOf(world, scenario.clusters[0]?.name ?? 'ledger');
}

export const simTarget: Target = { name: 'sim', faults: FAULT_KINDS, up };
