/**
 * Arrivals as a Poisson process on the virtual clock, from the stream's own Prng, until the
 * window closes. The rate is piecewise constant — the base rate, multiplied inside each of the
 * workload's spikes — so the process is a non-homogeneous Poisson process built segment by
 * segment: inside a segment the gaps are exponential with mean 1/rate; a gap that would cross the
 * segment's end is dropped and a fresh one drawn from that end at the next segment's rate. That is
 * exact, not an approximation: the exponential is memoryless, so what happens after a boundary
 * does not depend on the time already waited. A window without spikes is one segment and draws
 * exactly what a constant-rate stream draws. Open model: each arrival's time is drawn from the
 * previous one's, whatever happened to the requests before it or to the timers.
 */
import type { RateSpike } from '../scenario-dsl/resolved-scenario.ts';
import type { Prng } from '../targets/sim/prng.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { NS_PER_MS, NS_PER_S } from './clock.ts';

/**
 * Arrivals already past that one timer's turn fires at once; beyond, the rest wait for the next
 * turn (a harness stalled for seconds must still let its other timers and I/O run).
 */
const ARRIVALS_AT_ONCE_MAX = 1_000;

export interface ArrivalStream {
  /** Arrivals that have fired so far. */
  readonly arrivals: number;
  cancel(): void;
}

/** A stretch of the window at one rate: [startNs, endNs). */
export interface RateSegment {
  startNs: number;
  endNs: number;
  opsPerSec: number;
}

/** A stretch of the window with the factor in force (1 outside every spike): [startNs, endNs). */
export interface SpikeStep {
  startNs: number;
  endNs: number;
  factor: number;
}

/**
 * Cuts [windowStartNs, windowEndNs) where spikes start and end. Spikes are in ms from the window's
 * start, in any order; they must lie inside the window and not overlap (the scenario's rules):
 * anything else is a bug upstream, and throws. At most 2 × spikes + 1 steps.
 */
export function spikeSteps(
  spikes: readonly RateSpike[],
  windowStartNs: number,
  windowEndNs: number,
): SpikeStep[] {
  if (!(Number.isSafeInteger(windowStartNs) && windowEndNs > windowStartNs)) {
    throw new Error(`spike steps: empty window [${windowStartNs}, ${windowEndNs}) ns`);
  }
  const sorted = [...spikes].sort((a, b) => a.atMs - b.atMs);
  const steps: SpikeStep[] = [];
  let cursorNs = windowStartNs;
  for (const spike of sorted) {
    const startNs = windowStartNs + spike.atMs * NS_PER_MS;
    const endNs = startNs + spike.durationMs * NS_PER_MS;
    const what = `spike at ${spike.atMs} ms for ${spike.durationMs} ms, factor ${spike.factor}`;
    if (!(spike.factor > 0 && Number.isFinite(spike.factor)))
      throw new Error(`${what}: the factor must be a finite number > 0`);
    if (!(Number.isSafeInteger(spike.atMs) && Number.isSafeInteger(spike.durationMs)))
      throw new Error(`${what}: times must be integer ms`);
    if (spike.durationMs <= 0) throw new Error(`${what}: must last more than 0 ms`);
    if (startNs < cursorNs) throw new Error(`${what}: overlaps the spike before it`);
    if (endNs > windowEndNs) throw new Error(`${what}: ends after the window`);
    if (startNs > cursorNs) steps.push({ startNs: cursorNs, endNs: startNs, factor: 1 });
    steps.push({ startNs, endNs, factor: spike.factor });
    cursorNs = endNs;
  }
  if (cursorNs < windowEndNs) steps.push({ startNs: cursorNs, endNs: windowEndNs, factor: 1 });
  return steps;
}

/** A stream's segments: its base rate times each step's factor. */
export function rateSegments(opsPerSec: number, steps: readonly SpikeStep[]): RateSegment[] {
  return steps.map(({ startNs, endNs, factor }) => ({
    startNs,
    endNs,
    opsPerSec: opsPerSec * factor,
  }));
}

/** The mean of the stream's arrival count: the integral of its rate over the window. */
export function expectedArrivals(segments: readonly RateSegment[]): number {
  return segments.reduce(
    (sum, { startNs, endNs, opsPerSec }) => sum + (opsPerSec * (endNs - startNs)) / NS_PER_S,
    0,
  );
}

function checkSegments(segments: readonly RateSegment[]): void {
  if (segments.length === 0) throw new Error('arrival stream: no rate segments');
  segments.forEach((segment, i) => {
    const { startNs, endNs, opsPerSec } = segment;
    if (!(opsPerSec > 0 && Number.isFinite(opsPerSec))) {
      throw new Error(`arrival rate must be a finite number > 0 per second, got ${opsPerSec}`);
    }
    if (!(endNs > startNs)) throw new Error(`rate segment ${i} is empty: [${startNs}, ${endNs})`);
    const previous = segments[i - 1];
    if (previous !== undefined && previous.endNs !== startNs) {
      throw new Error(`rate segment ${i} starts at ${startNs} ns, not where ${i - 1} ends`);
    }
  });
}

/**
 * Starts the stream at the clock's now, which must lie inside the segments' window; arrivals at
 * or after the last segment's end never fire.
 */
export function startPoissonArrivals(
  clock: Clock,
  prng: Prng,
  segments: readonly RateSegment[],
  onArrival: (timeNs: number) => void,
): ArrivalStream {
  checkSegments(segments);
  const first = segments[0];
  if (first === undefined || clock.nowNs < first.startNs) {
    throw new Error(`arrival stream starts at ${clock.nowNs} ns, before its first segment`);
  }
  let segmentIndex = 0;
  let next: TimerHandle | null = null;
  let cancelled = false;
  const stream = {
    arrivals: 0,
    cancel(): void {
      cancelled = true;
      next?.cancel();
    },
  };
  // From the previous arrival's intended time, not from when its timer fired: on a real clock a
  // timer fires late (the event loop was busy), and drawing from then would thin the stream
  // exactly when the harness falls behind. A late arrival is reported at its intended time, so
  // its latency counts the wait. Arrivals already past when drawn fire at once, in the same turn:
  // one timer each would queue a burst of them one event-loop turn apart (on the lab at 150/s,
  // turns of ~5 ms made the p99 of that lateness 83 ms, over half the latency measured). On the
  // virtual clock a timer fires on time, so no drawn arrival is ever past: the same timers as
  // before, the same times either way.
  const scheduleNext = (fromNs: number): void => {
    let cursorNs = fromNs;
    let firedAtOnce = 0;
    // Each pass schedules an arrival, fires one already past (at most ARRIVALS_AT_ONCE_MAX), or
    // moves to the next segment: bounded.
    while (segmentIndex < segments.length) {
      const segment = segments[segmentIndex];
      if (segment === undefined) throw new Error(`no rate segment ${segmentIndex}`);
      if (cursorNs >= segment.endNs) {
        segmentIndex += 1;
        continue;
      }
      cursorNs = Math.max(cursorNs, segment.startNs);
      const gapNs = Math.round(prng.exponential(NS_PER_S / segment.opsPerSec));
      if (cancelled) return;
      const atNs = cursorNs + gapNs;
      if (atNs >= segment.endNs) {
        cursorNs = segment.endNs;
        segmentIndex += 1;
        continue;
      }
      if (atNs < clock.nowNs && firedAtOnce < ARRIVALS_AT_ONCE_MAX) {
        firedAtOnce += 1;
        stream.arrivals += 1;
        onArrival(atNs);
        cursorNs = atNs;
        continue;
      }
      next = clock.after(Math.max(0, atNs - clock.nowNs), () => {
        stream.arrivals += 1;
        onArrival(atNs);
        scheduleNext(atNs);
      });
      return;
    }
  };
  scheduleNext(clock.nowNs);
  return stream;
}
