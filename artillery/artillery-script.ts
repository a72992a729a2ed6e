/**
 * The Artillery script of a plan (artillery-plan.ts), as JSON (Artillery reads JSON as it reads
 * YAML): one environment per region, `artillery run -e <region>`, whose phases are that region's
 * segments (`mode: poisson`, so Artillery's arrivals are a Poisson process, as the Node driver's
 * are; a segment with no load is a pause), and one scenario whose flow is the processor's
 * `paychaosArrival` function. Durations are written as "<n>ms": Artillery reads a plain number
 * as seconds and refuses a fraction of one.
 */
import type { ArtilleryPlan, PlanSegment } from './artillery-plan.ts';

export const PROCESSOR_FILE = 'processor.cjs';
export const ARRIVAL_FUNCTION = 'paychaosArrival';

export interface ScriptOptions {
  /** Each region's base URL; absent: the processor reads PAYCHAOS_ENDPOINTS at run time. */
  endpoints?: Record<string, string>;
  /** The harness clock the workers sample; absent: PAYCHAOS_CLOCK_URL, else the wall clock. */
  clockUrl?: string;
  /** Where the workers put their op logs, `s3://bucket/prefix`; absent: PAYCHAOS_OPLOG_S3, else nowhere. */
  oplogS3?: string;
  /**
   * Phases for one of the plan's workers (each region's rates divided by workersPerRegion: the
   * local workers, or `run-fargate --count N`, whose N containers each run the whole script);
   * false: the region's whole rate, for one `artillery run`, which divides it among its threads.
   */
  perLocalWorker: boolean;
}

type Phase =
  | { name: string; duration: string; arrivalRate: number; mode: 'poisson' }
  | { name: string; pause: string };

function phaseOf(region: string, segment: PlanSegment, divisor: number): Phase {
  const name = `${region} ${segment.startMs}-${segment.endMs} ms`;
  const durationMs = segment.endMs - segment.startMs;
  if (segment.vuPerSec === 0) return { name, pause: `${durationMs}ms` };
  const arrivalRate = segment.vuPerSec / divisor;
  if (!Number.isSafeInteger(arrivalRate)) {
    throw new Error(`${name}: ${segment.vuPerSec}/s does not split over ${divisor} workers`);
  }
  return { name, duration: `${durationMs}ms`, arrivalRate, mode: 'poisson' };
}

export function artilleryScript(
  plan: ArtilleryPlan,
  options: ScriptOptions,
): Record<string, unknown> {
  const divisor = options.perLocalWorker ? plan.workersPerRegion : 1;
  const environments: Record<string, unknown> = {};
  for (const region of plan.regions) {
    const segments = plan.segmentsByRegion[region];
    if (segments === undefined) throw new Error(`the plan has no segments for ${region}`);
    environments[region] = {
      target: options.endpoints?.[region] ?? 'http://127.0.0.1',
      phases: segments.map((segment) => phaseOf(region, segment, divisor)),
    };
  }
  const variables: Record<string, unknown> = {};
  if (options.endpoints !== undefined) variables.paychaosEndpoints = options.endpoints;
  if (options.clockUrl !== undefined) variables.paychaosClockUrl = options.clockUrl;
  if (options.oplogS3 !== undefined) variables.paychaosOplogS3 = options.oplogS3;
  return {
    config: {
      target: 'http://127.0.0.1',
      processor: `./${PROCESSOR_FILE}`,
      variables,
      environments,
    },
    scenarios: [{ name: 'paychaos', flow: [{ function: ARRIVAL_FUNCTION }] }],
  };
}
