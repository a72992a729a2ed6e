/** The anomalies of the lww checker, worded alike: one actionable sentence each. */
import type { Anomaly } from '../checker.ts';
import { formatTimeNs, formatValue, inRegion } from '../format.ts';
import { type ReadRecord, readOps, type WriteRecord, writeOps } from './write-record.ts';

function describeRead(read: ReadRecord): string {
  const when = formatTimeNs(read.endNs);
  const what = formatValue(read.value);
  if (read.f === 'cas') {
    return `cas on key "${read.key}"${inRegion(read.region)} (index ${read.invokeIndex}) succeeded at ${when} having observed ${what}`;
  }
  return `read of key "${read.key}"${inRegion(read.region)} (index ${read.invokeIndex}) returned ${what} at ${when}`;
}

function describeWrite(write: WriteRecord): string {
  if (write.f === 'init') return `the initial value ${formatValue(write.value)}`;
  const verb = write.f === 'cas' ? 'cas to' : 'write of';
  return `the ${verb} ${formatValue(write.value)} invoked at ${formatTimeNs(write.startNs)}${inRegion(write.region)} (index ${write.invokeIndex})`;
}

function writeDetails(write: WriteRecord): Record<string, unknown> {
  return {
    writeIndex: write.invokeIndex,
    writeStatus: write.status,
    writeRegion: write.region ?? null,
  };
}

/** `failed` is the failed write of the value, or null when no write or init produced it. */
export function phantomRead(read: ReadRecord, failed: WriteRecord | null): Anomaly {
  const why =
    failed === null
      ? 'a value no write (ok, info or pending) nor init ever produced: find where the store invents or corrupts values'
      : `a value only ${describeWrite(failed)} wrote, and that write failed at ${formatTimeNs(failed.endNs)}: the store applied a write it reported as failed`;
  return {
    type: 'phantom-value',
    message: `${describeRead(read)}, ${why}`,
    ops: failed === null ? readOps(read) : [...readOps(read), ...writeOps(failed)],
    key: read.key,
    value: read.value,
    region: read.region ?? null,
    ...(failed === null ? {} : writeDetails(failed)),
  };
}

export function futureRead(read: ReadRecord, write: WriteRecord): Anomaly {
  return {
    type: 'future-read',
    message: `${describeRead(read)}, but ${describeWrite(write)} came only after that read completed: check the history's clock and whether reads see values of writes not yet issued`,
    ops: [...readOps(read), ...writeOps(write)],
    key: read.key,
    value: read.value,
    region: read.region ?? null,
    readEndNs: read.endNs,
    writeStartNs: write.startNs,
    ...writeDetails(write),
  };
}

export function clockAnomaly(write: WriteRecord, prior: WriteRecord): Anomaly {
  return {
    type: 'clock-anomaly',
    message: `${describeWrite(write)} on key "${write.key}" got ts ${write.ts}, below the ts ${prior.ts} of ${describeWrite(prior)}, which was acknowledged at ${formatTimeNs(prior.endNs)} before it was invoked: the clock that stamps writes${inRegion(write.region)} or${inRegion(prior.region)} is skewed`,
    ops: [...writeOps(prior), ...writeOps(write)],
    key: write.key,
    earlier: { index: prior.invokeIndex, ts: prior.ts, region: prior.region ?? null },
    later: { index: write.invokeIndex, ts: write.ts, region: write.region ?? null },
  };
}

export interface FinalValue {
  region: string;
  index: number;
  value: unknown;
  valueKey: string;
  ts: number | null;
}

export function phantomFinal(key: string, final: FinalValue, failed: WriteRecord | null): Anomaly {
  const why =
    failed === null
      ? 'a value no write (ok, info or pending) nor init ever produced: find where the store invents or corrupts values'
      : `a value only ${describeWrite(failed)} wrote, and that write failed at ${formatTimeNs(failed.endNs)}: the store applied a write it reported as failed`;
  return {
    type: 'phantom-value',
    message: `the final read in ${final.region} (index ${final.index}) shows key "${key}" = ${formatValue(final.value)}, ${why}`,
    ops: failed === null ? [final.index] : [...writeOps(failed), final.index],
    key,
    value: final.value,
    region: final.region,
    ...(failed === null ? {} : writeDetails(failed)),
  };
}

export function lostWrite(
  key: string,
  final: FinalValue,
  source: WriteRecord,
  winner: WriteRecord,
): Anomaly {
  const from =
    source.f === 'init'
      ? 'the initial value'
      : `from ${describeWrite(source)} and acknowledged at ${formatTimeNs(source.endNs)}`;
  return {
    type: 'lost-write',
    message: `the final read in ${final.region} (index ${final.index}) shows key "${key}" = ${formatValue(final.value)}, ${from}, but ${describeWrite(winner)}, after that, was acknowledged at ${formatTimeNs(winner.endNs)} and should have won under last-writer-wins: check the LWW timestamps (clock skew) and the replication of that write`,
    ops: [...writeOps(source), ...writeOps(winner), final.index],
    key,
    region: final.region,
    finalValue: final.value,
    lostValue: winner.value,
    sourceIndex: source.invokeIndex,
    winnerIndex: winner.invokeIndex,
    sourceTs: source.ts,
    winnerTs: winner.ts,
  };
}

/** Which table a key belongs to: `init.strong` keys are in the strongly consistent one. */
export type TableKind = 'lww' | 'strong';

const DIVERGENCE_ACTION: Record<TableKind, string> = {
  lww: 'replication did not converge, check for paused or failed replication of that key',
  strong:
    'the strongly consistent table did not converge, check for a failover without fencing (two writers) or a region that kept serving after it lost the writer',
};

export function divergence(
  key: string,
  finals: readonly FinalValue[],
  table: TableKind = 'lww',
): Anomaly {
  const byRegion = finals.map((f) => `${f.region} has ${formatValue(f.value)}`).join(', ');
  const which = table === 'strong' ? 'strong key' : 'key';
  return {
    type: 'divergence',
    message: `final reads disagree on ${which} "${key}" after quiescence (${byRegion}): ${DIVERGENCE_ACTION[table]}`,
    ops: finals.map((f) => f.index),
    key,
    strong: table === 'strong',
    values: Object.fromEntries(finals.map((f) => [f.region, f.value])),
    ts: Object.fromEntries(finals.map((f) => [f.region, f.ts])),
  };
}
