/**
 * The processor every Artillery worker loads (bundled with its plan by build-bundle.ts into one
 * CommonJS file that needs nothing but Node). Artillery brings the arrivals (the plan's phases,
 * a Poisson process) and the workers; each arrival runs `paychaosArrival`, which makes the
 * request with the Node driver's own parts — the workload generators, LoadClient (timeouts,
 * retries, idempotency keys), HealthRouter (failover routing), HttpTransport (the bank's HTTP
 * contract) and op-lines (how an answer becomes ok, fail or info) — so there is one source of the
 * workload, not a second copy. The virtual user waits until its request has settled.
 *
 * Every op goes to this worker's op log (history/import/op-log.ts) as it happens: the invoke when
 * the attempt starts, the completion when it ends (a timeout or a connection error `info`, a
 * business rejection `fail`), on the worker's monotonic clock; and, every second, a sample of
 * the harness's clock (PAYCHAOS_CLOCK_URL), or where none is reachable of the wall clock with
 * the plan's declared error, so the merge can place the worker's ops on the run's clock.

With an S3 location (`paychaosOplogS3` baked by `bundle --oplog-s3`, else PAYCHAOS_OPLOG_S3) the
log also goes to S3 (oplog-shipper.ts), as a Fargate task's disk does not outlive it: every 10 s,
so a task killed mid-run loses at most the last 10 s of its log; and at the end of every arrival
that settles in the last 10 s of the region's load or after it, which the virtual user waits for,
so Artillery does not end the worker before its last lines are up (a line written earlier went up
with a periodic ship while the phases still ran; ships coalesce: one upload in flight, one queued).
 *
 * Why not Artillery's HTTP engine with beforeRequest/afterResponse hooks: a request that times
 * out or fails to connect never reaches afterResponse (the engine emits an error and ends the
 * virtual user), and its op would be left without the completion the merge needs to bound it;
 * and the engine knows nothing of the driver's retries and failover. Artillery's own metrics
 * still get the outcome of every arrival (`paychaos.*` counters, `paychaos.latency_ms`).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { OP_LOG_VERSION, type OpLogHeader } from '../history/import/op-log.ts';
import type { OpDraft } from '../history/op.ts';
import type { Clock } from '../load/clock.ts';
import { HealthRouter } from '../load/health-router.ts';
import { HttpTransport } from '../load/http-transport.ts';
import { IdSource } from '../load/id-source.ts';
import { LoadClient, type RequestSettled } from '../load/load-client.ts';
import { LoadStats } from '../load/load-stats.ts';
import { ProcessPool } from '../load/process-pool.ts';
import type { RequestGenerator } from '../load/request-generator.ts';
import { generatorFor } from '../load/workload-generator.ts';
import { Prng } from '../targets/sim/prng.ts';
import { type ArtilleryPlan, type PlanSegment, pickWorkload, segmentAt } from './artillery-plan.ts';
import { OpLogShipper, parseS3Url } from './oplog-shipper.ts';

declare const PAYCHAOS_PLAN: ArtilleryPlan;

const NS_PER_MS = 1_000_000;
/**
 * The worker's clock starts this far above 0, so that a wall-clock sample's interval
 * [now - error, now + error] never reaches below 0 (op logs hold non-negative times).
 */
const LOCAL_CLOCK_BASE_NS = 3_600_000_000_000;
const CLOCK_SAMPLE_INTERVAL_MS = 1_000;
const CLOCK_SAMPLE_TIMEOUT_MS = 2_000;
const CLOCK_SAMPLES_MAX = 100_000;
/** An HTTP exchange's own bound; the client's timeout, shorter, decides the history. */
const HTTP_REQUEST_TIMEOUT_MS = 30_000;
/** Arrivals after the plan's window (Artillery's phases start late by its own start-up) still go. */
const WINDOW_SLACK_MS = 5_000;
const DELAY_NS_MAX = 86_400_000_000_000;
/** How often a worker's log goes to S3 during the run: what a killed task loses at most. */
const OPLOG_SHIP_INTERVAL_MS = 10_000;

interface ArtilleryContext {
  vars: Record<string, unknown>;
}

interface ArtilleryEvents {
  emit(kind: 'counter' | 'histogram', name: string, value: number): void;
}

const originNs = process.hrtime.bigint();
const clock: Clock = {
  get nowNs() {
    return LOCAL_CLOCK_BASE_NS + Number(process.hrtime.bigint() - originNs);
  },
  after(delayNs, action) {
    if (!(delayNs >= 0 && delayNs <= DELAY_NS_MAX)) {
      throw new Error(`a timer needs 0 <= delayNs <= ${DELAY_NS_MAX}, got ${delayNs}`);
    }
    const timer = setTimeout(action, delayNs / NS_PER_MS);
    return { cancel: () => clearTimeout(timer) };
  },
};

/** This worker's op log: one write(2) a line, so a killed worker loses at most the line it was on. */
class WorkerOpLog {
  private readonly fd: number;
  readonly file: string;

  constructor(dir: string, header: OpLogHeader) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `worker-${header.worker}.jsonl`);
    this.fd = openSync(this.file, 'wx');
    this.line(header);
  }

  append(draft: OpDraft): void {
    this.line(draft);
  }

  line(value: unknown): void {
    writeSync(this.fd, `${JSON.stringify(value)}\n`);
  }
}

/** Ids unique over every worker of the run: the worker's tag follows the region. */
class WorkerIdSource extends IdSource {
  constructor(private readonly tag: string) {
    super();
  }

  override take(prefix: string, region: string): string {
    return super.take(prefix, `${region}-${this.tag}`);
  }
}

interface RegionLoad {
  region: string;
  client: LoadClient;
  generators: RequestGenerator[];
  pick: Prng;
  segments: PlanSegment[];
  /** The worker's clock at its first arrival: the plan's time 0 for this worker. */
  loadStartNs: number;
  /** Absent: the log stays on this worker's disk only. */
  shipper: OpLogShipper | undefined;
  /** From this time of the plan on, a settled arrival ships the log before its user ends. */
  shipAtSettleFromMs: number;
}

const plan = PAYCHAOS_PLAN;
const tag = randomBytes(4).toString('hex');
const workerId = `${hostname()}-${process.pid}-${threadId}-${tag}`;
let load: RegionLoad | undefined;

function stringVar(context: ArtilleryContext, name: string, envName: string): string | undefined {
  const value = context.vars[name] ?? process.env[envName];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function endpointsOf(context: ArtilleryContext): Record<string, string> {
  const given =
    context.vars.paychaosEndpoints ?? JSON.parse(process.env.PAYCHAOS_ENDPOINTS ?? 'null');
  if (typeof given !== 'object' || given === null) {
    throw new Error(
      'paychaos: no endpoints: set PAYCHAOS_ENDPOINTS to {"<region>": "http://host:port"}',
    );
  }
  return given as Record<string, string>;
}

function seedOf(base: number, workerTag: string): number {
  return (base ^ Number.parseInt(workerTag, 16)) >>> 0;
}

function startClockSamples(workerLog: WorkerOpLog, clockUrl: string | undefined): void {
  let samples = 0;
  const sample = async (): Promise<void> => {
    if (samples >= CLOCK_SAMPLES_MAX) return;
    samples += 1;
    if (clockUrl === undefined) {
      // No harness to ask: the wall clock, trusted only to the plan's declared error.
      const nowNs = clock.nowNs;
      const errorNs = plan.wallClockErrorMs * NS_PER_MS;
      const wallNs = Math.round((performance.timeOrigin + performance.now()) * NS_PER_MS);
      const harnessNs = wallNs - plan.wallEpochMs * NS_PER_MS;
      workerLog.line({
        clock: { sentNs: nowNs - errorNs, receivedNs: nowNs + errorNs, harnessNs },
      });
      return;
    }
    const sentNs = clock.nowNs;
    try {
      const response = await fetch(clockUrl, {
        signal: AbortSignal.timeout(CLOCK_SAMPLE_TIMEOUT_MS),
      });
      const body = (await response.json()) as { nowNs?: unknown };
      const receivedNs = clock.nowNs;
      if (Number.isSafeInteger(body.nowNs)) {
        workerLog.line({ clock: { sentNs, receivedNs, harnessNs: body.nowNs } });
      }
    } catch {
      // A lost sample costs nothing: the others bound the offset.
    }
  };
  void sample();
  setInterval(() => void sample(), CLOCK_SAMPLE_INTERVAL_MS).unref();
}

function startShipping(workerLog: WorkerOpLog, url: string | undefined): OpLogShipper | undefined {
  if (url === undefined) return undefined;
  const location = parseS3Url(url);
  if (location === undefined) {
    throw new Error(`paychaos: op log S3 location ${url}: expected s3://bucket/prefix`);
  }
  const shipper = new OpLogShipper(workerLog.file, location, {
    region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(process.env.PAYCHAOS_S3_ENDPOINT === undefined
      ? {}
      : { endpoint: process.env.PAYCHAOS_S3_ENDPOINT }),
  });
  setInterval(() => void shipper.ship(), OPLOG_SHIP_INTERVAL_MS).unref();
  return shipper;
}

function startRegion(context: ArtilleryContext): RegionLoad {
  const region = context.vars.$environment;
  if (typeof region !== 'string' || !plan.regions.includes(region)) {
    throw new Error(
      `paychaos: run with -e <region> (${plan.regions.join(', ')}), got ${String(region)}`,
    );
  }
  const segments = plan.segmentsByRegion[region];
  if (segments === undefined) throw new Error(`paychaos: the plan has no segments for ${region}`);
  const logDir = process.env.PAYCHAOS_LOG_DIR ?? 'paychaos-logs';
  const workerLog = new WorkerOpLog(logDir, {
    opLog: OP_LOG_VERSION,
    source: 'worker',
    worker: workerId,
  });
  startClockSamples(workerLog, stringVar(context, 'paychaosClockUrl', 'PAYCHAOS_CLOCK_URL'));
  const shipper = startShipping(
    workerLog,
    stringVar(context, 'paychaosOplogS3', 'PAYCHAOS_OPLOG_S3'),
  );
  const transport = new HttpTransport({
    endpoints: endpointsOf(context),
    requestTimeoutMs: HTTP_REQUEST_TIMEOUT_MS,
  });
  const loadStartNs = clock.nowNs;
  const windowEndNs = loadStartNs + (plan.durationMs + WINDOW_SLACK_MS) * NS_PER_MS;
  const { clients } = plan;
  const router = new HealthRouter(
    plan.regions,
    {
      ...clients.failover,
      probeTimeoutMs: Math.min(clients.timeoutMs, clients.failover.healthCheckIntervalMs),
    },
    clock,
    transport,
  );
  router.start(windowEndNs);
  const client = new LoadClient({
    clock,
    transport,
    sink: workerLog,
    pool: new ProcessPool(plan.opsInFlightMaxPerWorker),
    router,
    stats: new LoadStats(() => 'run'),
    options: clients,
    windowEndNs,
    retriesPendingMax: plan.opsInFlightMaxPerWorker,
  });
  const root = new Prng(seedOf(plan.seed, tag));
  const ids = new WorkerIdSource(tag);
  const generators = plan.workloads.map((workload) =>
    generatorFor(workload, { region, prng: root.fork(), ids, accounts: plan.accounts }),
  );
  const loadEndMs = Math.max(
    0,
    ...segments.filter((segment) => segment.vuPerSec > 0).map((segment) => segment.endMs),
  );
  return {
    region,
    client,
    generators,
    pick: root.fork(),
    segments,
    loadStartNs,
    shipper,
    shipAtSettleFromMs: loadEndMs - OPLOG_SHIP_INTERVAL_MS,
  };
}

/** One Artillery arrival: a request of one of the region's workloads, or nothing (thinned). */
export async function paychaosArrival(
  context: ArtilleryContext,
  events: ArtilleryEvents,
): Promise<void> {
  load ??= startRegion(context);
  const current = load;
  const atMs = (clock.nowNs - current.loadStartNs) / NS_PER_MS;
  const w = pickWorkload(segmentAt(current.segments, atMs), current.pick.float());
  if (w === null) {
    events.emit('counter', 'paychaos.thinned', 1);
    return;
  }
  const generator = current.generators[w];
  if (generator === undefined) throw new Error(`paychaos: no generator for workloads[${w}]`);
  events.emit('counter', 'paychaos.arrivals', 1);
  const arrivalNs = clock.nowNs;
  const settled = await new Promise<RequestSettled>((resolve) => {
    current.client.submit(
      { home: current.region, arrivalNs, generator, onSettled: resolve },
      generator.next(),
    );
  });
  events.emit('counter', `paychaos.${settled}`, 1);
  events.emit('histogram', 'paychaos.latency_ms', (clock.nowNs - arrivalNs) / NS_PER_MS);
  const settledAtMs = (clock.nowNs - current.loadStartNs) / NS_PER_MS;
  if (current.shipper !== undefined && settledAtMs >= current.shipAtSettleFromMs) {
    if (!(await current.shipper.ship())) events.emit('counter', 'paychaos.oplog_not_shipped', 1);
  }
}
