/**
 * rto-exceeded: a region took longer than its budget to serve again after a fault (or never did,
 * and the history ran on past the budget). rpo-exceeded: acknowledged payments sent to a region
 * were lost further back than its budget allows. A region that never recovered but whose history
 * ended before its budget ran out cannot be judged: that is a problem ("unknown"), not a pass.
 */
import type { Anomaly } from '../checker.ts';
import { formatTimeNs } from '../format.ts';
import { durationNsText, formatMs } from './describe.ts';
import { faultName } from './fault-book.ts';
import { describeOp, indicesOf } from './op-outcome.ts';
import type { RegionRpo } from './rpo-tracker.ts';
import { rtoNsOf, type Watch } from './rto-tracker.ts';

const NS_PER_MS = 1_000_000;
const LOST_EXAMPLES_MAX = 3;

export type RtoJudgement = { anomaly: Anomaly } | { cannotJudge: string } | null;

export function judgeRto(watch: Watch, rtoMsMax: number, lastClientNs: number): RtoJudgement {
  const rtoNs = rtoNsOf(watch);
  const fault = watch.fault;
  const failure = watch.failure;
  if (rtoNs !== null && rtoNs <= rtoMsMax * NS_PER_MS) return null;
  if (failure === null) return null;
  const head = `${watch.key} first failed to serve at ${formatTimeNs(failure.timeNs)} (${describeOp(failure.op)}) after ${faultName(fault)} at ${formatTimeNs(fault.startNs)}`;
  const faultIndices =
    fault.stopIndex === null ? [fault.startIndex] : [fault.startIndex, fault.stopIndex];
  if (rtoNs === null) {
    const waitedNs = lastClientNs - fault.startNs;
    if (waitedNs <= rtoMsMax * NS_PER_MS) {
      return {
        cannotJudge: `${head} and the history ends ${durationNsText(waitedNs)} after the fault, before its ${formatMs(rtoMsMax)} RTO budget ran out, so its recovery cannot be judged`,
      };
    }
    return {
      anomaly: rtoAnomaly(
        watch,
        rtoMsMax,
        null,
        `${head} and served no ok op again before the end of the history, ${durationNsText(waitedNs)} later, over its ${formatMs(rtoMsMax)} RTO budget: check failover detection and routing for it`,
        [...faultIndices, ...indicesOf(failure.op)],
      ),
    };
  }
  const recovery = watch.recovery;
  if (recovery === null) throw new Error(`${head}: an RTO with no recovery op`);
  return {
    anomaly: rtoAnomaly(
      watch,
      rtoMsMax,
      rtoNs / NS_PER_MS,
      `${head} and served again only at ${formatTimeNs(recovery.timeNs)} (${describeOp(recovery.op)}), an RTO of ${durationNsText(rtoNs)} over its ${formatMs(rtoMsMax)} budget: check failover detection and routing for it`,
      [...faultIndices, ...indicesOf(failure.op), ...indicesOf(recovery.op)],
    ),
  };
}

function rtoAnomaly(
  watch: Watch,
  rtoMsMax: number,
  rtoMs: number | null,
  message: string,
  ops: number[],
): Anomaly {
  return {
    type: 'rto-exceeded',
    message,
    ops: [...new Set(ops)].sort((a, b) => a - b),
    region: watch.key,
    fault: watch.fault.f,
    faultValue: watch.fault.value,
    faultStartNs: watch.fault.startNs,
    rtoMs,
    limit: rtoMsMax,
  };
}

export function judgeRpo(region: string, rpo: RegionRpo, rpoMsMax: number): Anomaly | null {
  if (rpo.rpoNs <= rpoMsMax * NS_PER_MS) return null;
  const worst = rpo.lost[0];
  if (worst === undefined)
    throw new Error(`RPO of ${rpo.rpoNs} ns in ${region} with no lost payment`);
  const lostAt =
    worst.failoverIndex === null
      ? `the end of the load at ${formatTimeNs(worst.lostAtNs)}`
      : `the failover at ${formatTimeNs(worst.lostAtNs)}`;
  const examples = rpo.lost.slice(0, LOST_EXAMPLES_MAX);
  const ops = examples.flatMap((lost) => indicesOf(lost.op));
  if (worst.failoverIndex !== null) ops.push(worst.failoverIndex);
  return {
    type: 'rpo-exceeded',
    message: `${rpo.lost.length} acknowledged payment(s) sent to ${region} are missing from the ledger, the furthest back ${describeOp(worst.op)} acknowledged at ${formatTimeNs(worst.ackNs)}, ${durationNsText(rpo.rpoNs)} before ${lostAt}: an RPO over its ${formatMs(rpoMsMax)} budget; make commits durable (replicated) before acknowledging them`,
    ops: [...new Set(ops)].sort((a, b) => a - b),
    region,
    rpoMs: rpo.rpoNs / NS_PER_MS,
    limit: rpoMsMax,
    lostIds: examples.map((lost) => lost.id),
    lostCount: rpo.lost.length,
  };
}
