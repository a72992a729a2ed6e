/** Runs the load driver against a FakeTransport on the real Scheduler and returns what it saw. */
import { schedulerClock } from '../../../load/clock.ts';
import type { HealthChange } from '../../../load/health-router.ts';
import { loadInitValue } from '../../../load/init-value.ts';
import { LoadDriver, type LoadPlan } from '../../../load/load-driver.ts';
import type {
  BankWorkload,
  CheckoutWorkload,
  RegistersWorkload,
  ResolvedClients,
} from '../../../scenario-dsl/resolved-scenario.ts';
import { Prng } from '../../../targets/sim/prng.ts';
import { Scheduler } from '../../../targets/sim/scheduler.ts';
import {
  ACCOUNTS,
  answerOk,
  FakeTransport,
  type ProbeScript,
  type Script,
} from './fake-transport.ts';
import { MemorySink } from './memory-sink.ts';

export const TOKYO = 'ap-northeast-1';
export const OSAKA = 'ap-northeast-3';
export const REGIONS = [TOKYO, OSAKA];
export const NS_PER_MS = 1_000_000;

export function bankWorkload(
  rates: Record<string, number>,
  over: Partial<BankWorkload> = {},
): BankWorkload {
  return {
    kind: 'bank',
    opsPerSecByRegion: rates,
    skew: 0.99,
    mix: { transfer: 0.7, deposit: 0.05, withdraw: 0.05, consistentRead: 0.1, eventualRead: 0.1 },
    amount: { min: 1, max: 1000 },
    ...over,
  };
}

export function registersWorkload(
  rates: Record<string, number>,
  over: Partial<RegistersWorkload> = {},
): RegistersWorkload {
  return {
    kind: 'registers',
    opsPerSecByRegion: rates,
    skew: 0.99,
    keys: { eventual: 3, strong: 2 },
    mix: { write: 0.4, read: 0.4, cas: 0.2 },
    ...over,
  };
}

export function checkoutWorkload(
  rates: Record<string, number>,
  over: Partial<CheckoutWorkload> = {},
): CheckoutWorkload {
  return {
    kind: 'checkout',
    opsPerSecByRegion: rates,
    skew: 0.99,
    amount: { min: 1, max: 500 },
    ...over,
  };
}

export function clients(over: Partial<ResolvedClients> = {}): ResolvedClients {
  return {
    timeoutMs: 1000,
    retriesMax: 0,
    retryBackoffMs: 100,
    idempotencyKeys: true,
    failover: { enabled: false, healthCheckIntervalMs: 1000, failureThreshold: 3 },
    ...over,
  };
}

export interface RunOptions {
  plan: Partial<LoadPlan> & Pick<LoadPlan, 'workloads'>;
  script?: Script;
  probes?: ProbeScript;
  seed?: number;
  /** Virtual time to run after the load window closes, for answers still on their way. */
  drainMs?: number;
}

export async function runLoad(options: RunOptions) {
  const scheduler = new Scheduler();
  const transport = new FakeTransport(scheduler, options.script ?? answerOk(20), options.probes);
  const sink = new MemorySink();
  const healthChanges: HealthChange[] = [];
  const plan: LoadPlan = {
    regions: REGIONS,
    durationMs: 2000,
    clients: clients(),
    accounts: ACCOUNTS,
    opsInFlightMax: 1000,
    ...options.plan,
  };
  sink.append({
    time: 0,
    process: 'setup',
    type: 'ok',
    f: 'init',
    value: loadInitValue(
      plan.accounts.map((name) => ({ name, balance: 100, home: TOKYO })),
      plan.workloads,
    ),
  });
  const driver = new LoadDriver(
    {
      clock: schedulerClock(scheduler),
      prng: new Prng(options.seed ?? 1),
      transport,
      sink,
      onHealthChange: (change) => healthChanges.push(change),
    },
    plan,
  );
  driver.start();
  await scheduler.run({
    untilNs: (plan.durationMs + (options.drainMs ?? 2000)) * NS_PER_MS,
    eventsMax: 1_000_000,
  });
  driver.stop();
  return { scheduler, sink, transport, driver, healthChanges, clientOps: sink.clientOps() };
}
