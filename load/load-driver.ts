/**
 * The open-model load driver. For each workload and region with a rate, arrivals come as a
 * Poisson process on the virtual clock for the run's duration, at the workload's rate multiplied
 * inside each of its spikes; each arrival is a request from
 * that workload's generator, sent at once by the client on an idle or fresh process — it never
 * waits for earlier responses, so a stalled region keeps receiving traffic and its latency shows
 * the stall. Ops in flight are capped (opsInFlightMax): arrivals over the cap are counted as
 * dropped, never queued.
 *
 * Determinism: every random choice comes from `prng`, forked in a fixed order (per workload,
 * per region: arrivals, then generator) so each stream is independent of the others' draws;
 * time comes only from `clock`. Same plan, same seed -> the same history, byte for byte.
 */
import type { ResolvedClients, ResolvedWorkload } from '../scenario-dsl/resolved-scenario.ts';
import type { Prng } from '../targets/sim/prng.ts';
import type { Clock } from './clock.ts';
import { NS_PER_MS } from './clock.ts';
import { type HealthChange, HealthRouter } from './health-router.ts';
import type { HistorySink } from './history-sink.ts';
import { IdSource } from './id-source.ts';
import { LoadClient } from './load-client.ts';
import { LoadStats } from './load-stats.ts';
import {
  type ArrivalStream,
  expectedArrivals,
  type RateSegment,
  rateSegments,
  type SpikeStep,
  spikeSteps,
  startPoissonArrivals,
} from './poisson-arrivals.ts';
import { ProcessPool } from './process-pool.ts';
import type { GeneratorContext } from './request-generator.ts';
import type { Transport } from './transport.ts';
import { generatorFor } from './workload-generator.ts';

export interface LoadPlan {
  regions: readonly string[];
  durationMs: number;
  workloads: readonly ResolvedWorkload[];
  clients: ResolvedClients;
  /** Account names in Zipf rank order (the first take the most traffic). */
  accounts: readonly string[];
  /** Ops in flight at once, over every workload and region; also the cap on retries waiting. */
  opsInFlightMax: number;
  /** The phase (before, during, after) a time falls in, for the stats; one phase when absent. */
  phaseOf?: (timeNs: number) => string;
}

export interface LoadDeps {
  clock: Clock;
  prng: Prng;
  transport: Transport;
  sink: HistorySink;
  onHealthChange?: (change: HealthChange) => void;
}

/**
 * A stream this many times over its expected arrivals (plus slack) is a runaway. Expected counts
 * spikes in (the integral of the stream's rate), so a spiked stream is not mistaken for one.
 */
const ARRIVALS_OVER_EXPECTED_MAX = 2;
const ARRIVALS_SLACK = 1_000;

export class LoadDriver {
  readonly stats: LoadStats;
  private readonly pool: ProcessPool;
  private readonly router: HealthRouter;
  private readonly client: LoadClient;
  private readonly streams: ArrivalStream[] = [];
  private readonly windowEndNs: number;
  /** Per workload: the window cut at its spikes' edges (checked here, once, at construction). */
  private readonly stepsByWorkload: SpikeStep[][];
  private started = false;

  constructor(
    private readonly deps: LoadDeps,
    private readonly plan: LoadPlan,
  ) {
    checkPlan(plan);
    const { clock, transport } = deps;
    const { clients } = plan;
    this.windowEndNs = clock.nowNs + plan.durationMs * NS_PER_MS;
    this.stepsByWorkload = plan.workloads.map((workload) =>
      spikeSteps(workload.spikes ?? [], clock.nowNs, this.windowEndNs),
    );
    this.stats = new LoadStats(plan.phaseOf ?? (() => 'run'));
    this.pool = new ProcessPool(plan.opsInFlightMax);
    this.router = new HealthRouter(
      plan.regions,
      {
        ...clients.failover,
        // A probe unanswered when the next is due has failed anyway.
        probeTimeoutMs: Math.min(clients.timeoutMs, clients.failover.healthCheckIntervalMs),
      },
      clock,
      transport,
      deps.onHealthChange,
    );
    this.client = new LoadClient({
      clock,
      transport,
      sink: deps.sink,
      pool: this.pool,
      router: this.router,
      stats: this.stats,
      options: clients,
      windowEndNs: this.windowEndNs,
      retriesPendingMax: plan.opsInFlightMax,
    });
  }

  get opsInFlight(): number {
    return this.pool.opsInFlight;
  }

  get processesUsed(): number {
    return this.pool.processesUsed;
  }

  isRegionUp(region: string): boolean {
    return this.router.isUp(region);
  }

  /** Schedules every arrival stream and the health checks; the clock's owner runs them. */
  start(): void {
    if (this.started) throw new Error('load driver already started');
    this.started = true;
    const ids = new IdSource();
    this.router.start(this.windowEndNs);
    this.plan.workloads.forEach((workload, w) => {
      for (const region of this.plan.regions) {
        const arrivalsPrng = this.deps.prng.fork();
        const context = { region, prng: this.deps.prng.fork(), ids, accounts: this.plan.accounts };
        const opsPerSec = workload.opsPerSecByRegion[region] ?? 0;
        const steps = this.stepsByWorkload[w];
        if (steps === undefined) throw new Error(`load driver: no spike steps for workloads[${w}]`);
        if (opsPerSec === 0) continue;
        this.startStream(
          w,
          workload,
          region,
          rateSegments(opsPerSec, steps),
          arrivalsPrng,
          context,
        );
      }
    });
  }

  /**
   * Ends the load: no attempt starts and no completion is recorded after this; ops still in
   * flight stay pending, which the history rules read as info.
   */
  stop(): void {
    for (const stream of this.streams) stream.cancel();
    this.router.stop();
    this.client.stop();
    this.pool.abandonAll();
  }

  private startStream(
    w: number,
    workload: ResolvedWorkload,
    region: string,
    segments: RateSegment[],
    arrivalsPrng: Prng,
    context: GeneratorContext,
  ): void {
    const generator = generatorFor(workload, context);
    const arrivalsMax =
      Math.ceil(expectedArrivals(segments) * ARRIVALS_OVER_EXPECTED_MAX) + ARRIVALS_SLACK;
    const stream = startPoissonArrivals(this.deps.clock, arrivalsPrng, segments, (timeNs) => {
      if (stream.arrivals > arrivalsMax) {
        throw new Error(
          `workloads[${w}] in ${region}: more than ${arrivalsMax} arrivals, a runaway`,
        );
      }
      this.client.submit({ home: region, arrivalNs: timeNs, generator }, generator.next());
    });
    this.streams.push(stream);
  }
}

function checkPlan(plan: LoadPlan): void {
  if (plan.regions.length === 0) throw new Error('load plan: no regions');
  if (new Set(plan.regions).size !== plan.regions.length) {
    throw new Error(`load plan: regions repeat: ${plan.regions.join(', ')}`);
  }
  if (!Number.isSafeInteger(plan.durationMs) || plan.durationMs <= 0) {
    throw new Error(`load plan: durationMs must be a positive integer, got ${plan.durationMs}`);
  }
  plan.workloads.forEach((workload, w) => {
    for (const [region, opsPerSec] of Object.entries(workload.opsPerSecByRegion)) {
      if (!plan.regions.includes(region)) {
        throw new Error(`load plan: workloads[${w}] has a rate for unknown region ${region}`);
      }
      if (!(opsPerSec >= 0 && Number.isFinite(opsPerSec))) {
        throw new Error(
          `load plan: workloads[${w}] rate in ${region} must be >= 0, got ${opsPerSec}`,
        );
      }
    }
  });
}
