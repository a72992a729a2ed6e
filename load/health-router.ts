/**
 * Failover routing, as Route 53 health-checked failover records do it. Every
 * `healthCheckIntervalMs` each region's endpoint is probed over the same Transport as the
 * requests; `failureThreshold` consecutive failed probes mark a healthy region down, and the
 * same number of consecutive passing probes mark it up again (Route 53 uses one threshold for
 * both transitions). A client sends to its home region while home is up, otherwise to the first
 * region in the scenario's order that is up; when every region is down it stays home (Route 53
 * answers with the primary when no record is healthy).
 *
 * A probe fails when it answers false, rejects, or has not answered after `probeTimeoutMs`. At
 * most one probe per region is outstanding: a probe still unanswered when the next is due has
 * failed, and its late answer is ignored.
 *
 * Memory: a few numbers per region.
 */
import type { Clock, TimerHandle } from './clock.ts';
import { NS_PER_MS } from './clock.ts';
import type { Transport } from './transport.ts';

export interface HealthOptions {
  enabled: boolean;
  healthCheckIntervalMs: number;
  failureThreshold: number;
  probeTimeoutMs: number;
}

export interface HealthChange {
  region: string;
  up: boolean;
  timeNs: number;
}

interface RegionHealth {
  up: boolean;
  /** Consecutive probes that disagree with `up`. */
  streak: number;
  /** Bumped per probe: an answer for an older probe is stale. */
  probeSeq: number;
  outstanding: boolean;
  timeout: TimerHandle | null;
}

export class HealthRouter {
  private readonly health = new Map<string, RegionHealth>();
  private tick: TimerHandle | null = null;
  private stopped = false;
  probesSent = 0;
  probesFailed = 0;

  constructor(
    private readonly regions: readonly string[],
    private readonly options: HealthOptions,
    private readonly clock: Clock,
    private readonly transport: Transport,
    private readonly onChange: (change: HealthChange) => void = () => {},
  ) {
    if (regions.length === 0) throw new Error('health router: no regions');
    if (!(options.healthCheckIntervalMs > 0)) {
      throw new Error(`healthCheckIntervalMs must be > 0, got ${options.healthCheckIntervalMs}`);
    }
    if (!Number.isSafeInteger(options.failureThreshold) || options.failureThreshold < 1) {
      throw new Error(
        `failureThreshold must be a positive integer, got ${options.failureThreshold}`,
      );
    }
    if (!(options.probeTimeoutMs > 0)) {
      throw new Error(`probeTimeoutMs must be > 0, got ${options.probeTimeoutMs}`);
    }
    for (const region of regions) {
      this.health.set(region, {
        up: true,
        streak: 0,
        probeSeq: 0,
        outstanding: false,
        timeout: null,
      });
    }
  }

  /** Probes every interval until `untilNs` (exclusive) or stop(). Nothing to do when disabled. */
  start(untilNs: number): void {
    if (!this.options.enabled || this.tick !== null) return;
    const intervalNs = this.options.healthCheckIntervalMs * NS_PER_MS;
    const schedule = (): void => {
      if (this.stopped || this.clock.nowNs + intervalNs >= untilNs) return;
      this.tick = this.clock.after(intervalNs, () => {
        for (const region of this.regions) this.probe(region);
        schedule();
      });
    };
    schedule();
  }

  stop(): void {
    this.stopped = true;
    this.tick?.cancel();
    for (const state of this.health.values()) state.timeout?.cancel();
  }

  isUp(region: string): boolean {
    return this.state(region).up;
  }

  /** Where a client whose home is `home` sends a new request now. */
  route(home: string): string {
    if (!this.options.enabled || this.state(home).up) return home;
    return this.regions.find((region) => this.state(region).up) ?? home;
  }

  private probe(region: string): void {
    const state = this.state(region);
    if (state.outstanding) this.settle(region, state.probeSeq, false);
    state.probeSeq += 1;
    const seq = state.probeSeq;
    state.outstanding = true;
    this.probesSent += 1;
    state.timeout = this.clock.after(this.options.probeTimeoutMs * NS_PER_MS, () =>
      this.settle(region, seq, false),
    );
    let answer: Promise<boolean>;
    try {
      answer = this.transport.probe(region);
    } catch {
      answer = Promise.resolve(false);
    }
    answer.then(
      (healthy) => this.settle(region, seq, healthy === true),
      () => this.settle(region, seq, false),
    );
  }

  private settle(region: string, seq: number, healthy: boolean): void {
    const state = this.state(region);
    if (this.stopped || seq !== state.probeSeq || !state.outstanding) return;
    state.outstanding = false;
    state.timeout?.cancel();
    state.timeout = null;
    if (!healthy) this.probesFailed += 1;
    if (healthy === state.up) {
      state.streak = 0;
      return;
    }
    state.streak += 1;
    if (state.streak < this.options.failureThreshold) return;
    state.up = healthy;
    state.streak = 0;
    this.onChange({ region, up: healthy, timeNs: this.clock.nowNs });
  }

  private state(region: string): RegionHealth {
    const state = this.health.get(region);
    if (state === undefined) throw new Error(`health router: unknown region ${region}`);
    return state;
  }
}
