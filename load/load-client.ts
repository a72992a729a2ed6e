/**
 * The client side of every request: one attempt is one op in the history (invoke, then exactly
 * one completion), sent to the region the router picks, on a process of its own.
 *
 * - Timeout: no answer within `timeoutMs` -> the attempt completes `info` with error "timeout",
 *   and its process is retired (design.md: a process never invokes after an info). A late
 *   answer is ignored: the history already says "unknown".
 * - Retries: after an `info` (a timeout, a bank's "unknown", a transport error, a malformed
 *   answer), up to `retriesMax` more attempts, `retryBackoffMs` apart, each a new op on a fresh
 *   process with the request from RequestGenerator.retry (same id with idempotency keys). A
 *   `rejected` is final (`fail`) and never retried; an `ok` is done.
 * - No new attempt starts once the load window has closed or the client is stopped; a retry
 *   that would start after the window is counted as abandoned.
 * - Every attempt needs a process from the pool; at the in-flight cap it is dropped, not queued.
 *   Retries waiting out their backoff are capped the same way (retriesPendingMax).
 */
import type { BankRequest, BankResponse } from '../bank/api.ts';
import type { OpDraft } from '../history/op.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { NS_PER_MS } from './clock.ts';
import type { HealthRouter } from './health-router.ts';
import type { HistorySink } from './history-sink.ts';
import type { LoadStats } from './load-stats.ts';
import { completionFields, invokeFields } from './op-lines.ts';
import type { ProcessPool } from './process-pool.ts';
import type { RequestGenerator } from './request-generator.ts';
import type { Transport } from './transport.ts';

export interface ClientOptions {
  timeoutMs: number;
  retriesMax: number;
  retryBackoffMs: number;
  idempotencyKeys: boolean;
}

export interface ClientDeps {
  clock: Clock;
  transport: Transport;
  sink: HistorySink;
  pool: ProcessPool;
  router: HealthRouter;
  stats: LoadStats;
  options: ClientOptions;
  /** No attempt starts at or after this time. */
  windowEndNs: number;
  retriesPendingMax: number;
}

/** One logical request: it arrived at `arrivalNs` from clients whose home is `home`. */
export interface RequestJob {
  home: string;
  arrivalNs: number;
  generator: RequestGenerator;
  /**
   * Called once, when nothing more will be sent for the request: with its last attempt's
   * outcome, or why no attempt was made (the cap, the window closed). An Artillery virtual user
   * waits for it (artillery/processor-entry.ts); the Node driver does not need it. Not called
   * after `stop()`.
   */
  onSettled?: (settled: RequestSettled) => void;
}

export type RequestSettled = 'ok' | 'fail' | 'info' | 'dropped' | 'late';

export const TIMEOUT_ERROR = 'timeout';

export class LoadClient {
  private readonly timers = new Set<TimerHandle>();
  private retriesPending = 0;
  private stopped = false;

  constructor(private readonly deps: ClientDeps) {
    const { timeoutMs, retriesMax, retryBackoffMs } = deps.options;
    if (!(timeoutMs > 0)) throw new Error(`timeoutMs must be > 0, got ${timeoutMs}`);
    if (!Number.isSafeInteger(retriesMax) || retriesMax < 0) {
      throw new Error(`retriesMax must be an integer >= 0, got ${retriesMax}`);
    }
    if (!(retryBackoffMs >= 0))
      throw new Error(`retryBackoffMs must be >= 0, got ${retryBackoffMs}`);
  }

  /** Sends the first attempt of a request that arrived now. */
  submit(job: RequestJob, request: BankRequest): void {
    this.attempt(job, request, 1);
  }

  /** No attempt starts and no completion is recorded after this: ops in flight stay pending. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) timer.cancel();
    this.timers.clear();
  }

  private attempt(job: RequestJob, request: BankRequest, attemptNo: number): void {
    const { clock, pool, router, stats, sink } = this.deps;
    if (this.stopped) return;
    if (clock.nowNs >= this.deps.windowEndNs) {
      job.onSettled?.('late');
      return;
    }
    const region = router.route(job.home);
    if (attemptNo === 1) stats.count('arrivals', region, job.arrivalNs);
    const process = pool.acquire();
    if (process === null) {
      stats.count('dropped', region, job.arrivalNs);
      job.onSettled?.('dropped');
      return;
    }
    const { f, value } = invokeFields(request);
    const invoke: OpDraft = { time: clock.nowNs, process, type: 'invoke', f, value, region };
    if (attemptNo > 1) {
      // Unknown keys pass through the history: they let a reader measure from the intended start.
      invoke.attempt = attemptNo;
      invoke.intendedNs = job.arrivalNs;
      stats.count('retries', region, job.arrivalNs);
    }
    sink.append(invoke);
    stats.count('invokes', region, job.arrivalNs);
    this.await(job, request, attemptNo, { process, region, f, value });
  }

  private await(
    job: RequestJob,
    request: BankRequest,
    attemptNo: number,
    sent: { process: number; region: string; f: string; value: unknown },
  ): void {
    let done = false;
    const finish = (response: BankResponse, timedOut: boolean): void => {
      if (done || this.stopped) return;
      done = true;
      this.timers.delete(timer);
      timer.cancel();
      this.complete(job, request, attemptNo, sent, response, timedOut);
    };
    const timer = this.deps.clock.after(this.deps.options.timeoutMs * NS_PER_MS, () =>
      finish({ outcome: 'unknown', error: TIMEOUT_ERROR }, true),
    );
    this.timers.add(timer);
    let reply: Promise<BankResponse>;
    try {
      reply = this.deps.transport.send(sent.region, request);
    } catch (error) {
      reply = Promise.reject(error);
    }
    reply.then(
      (response) => finish(response, false),
      (error: unknown) =>
        finish({ outcome: 'unknown', error: `transport error: ${errorText(error)}` }, false),
    );
  }

  private complete(
    job: RequestJob,
    request: BankRequest,
    attemptNo: number,
    sent: { process: number; region: string; f: string; value: unknown },
    response: BankResponse,
    timedOut: boolean,
  ): void {
    const { clock, pool, stats, sink } = this.deps;
    const completion = completionFields(request, sent.value, response);
    const line: OpDraft = {
      time: clock.nowNs,
      process: sent.process,
      type: completion.type,
      f: sent.f,
      value: completion.value,
      region: sent.region,
    };
    if (completion.error !== undefined) line.error = completion.error;
    sink.append(line);
    pool.release(sent.process, completion.type);
    stats.count(completion.type, sent.region, job.arrivalNs);
    if (timedOut) stats.count('timeouts', sent.region, job.arrivalNs);
    if (completion.malformed === true) stats.count('malformed', sent.region, job.arrivalNs);
    if (completion.type === 'ok') job.generator.observe(request, response);
    if (completion.type === 'info' && attemptNo <= this.deps.options.retriesMax) {
      this.scheduleRetry(job, request, attemptNo, sent.region);
      return;
    }
    stats.latency(sent.region, job.arrivalNs, clock.nowNs - job.arrivalNs);
    job.onSettled?.(completion.type);
  }

  private scheduleRetry(
    job: RequestJob,
    request: BankRequest,
    attemptNo: number,
    region: string,
  ): void {
    const { clock, stats, options } = this.deps;
    const backoffNs = options.retryBackoffMs * NS_PER_MS;
    const tooLate = clock.nowNs + backoffNs >= this.deps.windowEndNs;
    if (tooLate || this.retriesPending >= this.deps.retriesPendingMax) {
      stats.count(tooLate ? 'retriesAbandoned' : 'dropped', region, job.arrivalNs);
      stats.latency(region, job.arrivalNs, clock.nowNs - job.arrivalNs);
      job.onSettled?.('info');
      return;
    }
    this.retriesPending += 1;
    const timer = clock.after(backoffNs, () => {
      this.timers.delete(timer);
      this.retriesPending -= 1;
      const retry = job.generator.retry(request, options.idempotencyKeys);
      this.attempt(job, retry, attemptNo + 1);
    });
    this.timers.add(timer);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
