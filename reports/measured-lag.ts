/**
 * The replication lag a real target measured beside the history (lag.jsonl, read through
 * history/lag-samples.ts), summed up for the report: per Aurora secondary region, the p50 and
 * max of its durability and RPO lag over the samples; per DynamoDB table and region pair, the
 * p50 of CloudWatch's per-period Average and the max of its Maximum; and the gaps, grouped by
 * what and why, with the first and last time they happened on the run's clock.
 */
import {
  AURORA_SOURCE,
  type AuroraLagLine,
  isGap,
  type LagLine,
  type ReplicationLatencyLine,
} from '../history/lag-samples.ts';
import { formatMs } from './measures.ts';
import { secondsText } from './verdict-text.ts';

export interface AuroraLagSummary {
  writer: string;
  region: string;
  samples: number;
  durabilityP50Ms: number | null;
  durabilityMaxMs: number | null;
  rpoP50Ms: number | null;
  rpoMaxMs: number | null;
}

export interface DynamoDbLagSummary {
  table: string;
  region: string;
  receivingRegion: string;
  periods: number;
  averageP50Ms: number;
  maximumMaxMs: number | null;
}

export interface LagGapSummary {
  /** `Aurora (writer R)` or `DynamoDB T R → R'`. */
  what: string;
  reason: string;
  count: number;
  /** On the run's clock; null for CloudWatch, whose gaps are of the whole window. */
  firstAtMs: number | null;
  lastAtMs: number | null;
}

export interface MeasuredLag {
  /** Distinct times the Aurora writer was sampled, gaps included. */
  auroraSamples: number;
  aurora: AuroraLagSummary[];
  dynamodb: DynamoDbLagSummary[];
  gaps: LagGapSummary[];
}

/** The exact p50 (lower median) of values; null when there are none. */
function p50(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function maxOf(values: number[]): number | null {
  return values.length === 0 ? null : Math.max(...values);
}

function present(values: (number | null)[]): number[] {
  return values.filter((value): value is number => value !== null);
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

function auroraRows(lines: AuroraLagLine[]): AuroraLagSummary[] {
  return [...groupBy(lines, (l) => `${l.writer}\u0000${l.region}`).values()].map((group) => {
    const durability = present(group.map((l) => l.durabilityLagMs));
    const rpo = present(group.map((l) => l.rpoLagMs));
    return {
      writer: group[0]!.writer,
      region: group[0]!.region,
      samples: group.length,
      durabilityP50Ms: p50(durability),
      durabilityMaxMs: maxOf(durability),
      rpoP50Ms: p50(rpo),
      rpoMaxMs: maxOf(rpo),
    };
  });
}

function dynamoDbRows(lines: ReplicationLatencyLine[]): DynamoDbLagSummary[] {
  const groups = groupBy(lines, (l) => `${l.table}\u0000${l.region}\u0000${l.receivingRegion}`);
  return [...groups.values()].map((group) => ({
    table: group[0]!.table,
    region: group[0]!.region,
    receivingRegion: group[0]!.receivingRegion,
    periods: group.length,
    averageP50Ms: p50(group.map((l) => l.averageMs))!,
    maximumMaxMs: maxOf(present(group.map((l) => l.maximumMs))),
  }));
}

function gapRows(lines: LagLine[]): LagGapSummary[] {
  const gaps = lines.filter(isGap).map((line) =>
    line.source === AURORA_SOURCE
      ? { what: `Aurora (writer ${line.writer})`, reason: line.gap, atMs: line.atMs }
      : {
          what: `DynamoDB ${line.table} ${line.region} → ${line.receivingRegion}`,
          reason: line.gap,
          atMs: null,
        },
  );
  return [...groupBy(gaps, (g) => `${g.what}\u0000${g.reason}`).values()].map((group) => {
    const times = present(group.map((g) => g.atMs));
    return {
      what: group[0]!.what,
      reason: group[0]!.reason,
      count: group.length,
      firstAtMs: times.length === 0 ? null : Math.min(...times),
      lastAtMs: maxOf(times),
    };
  });
}

export function measuredLagOf(lines: LagLine[]): MeasuredLag {
  const aurora: AuroraLagLine[] = [];
  const dynamodb: ReplicationLatencyLine[] = [];
  const auroraTimes = new Set<number>();
  for (const line of lines) {
    if (line.source === AURORA_SOURCE) auroraTimes.add(line.atMs);
    if (isGap(line)) continue;
    if (line.source === AURORA_SOURCE) aurora.push(line);
    else dynamodb.push(line);
  }
  return {
    auroraSamples: auroraTimes.size,
    aurora: auroraRows(aurora),
    dynamodb: dynamoDbRows(dynamodb),
    gaps: gapRows(lines),
  };
}

/** One table of the measured lag, in words, as report.html and summary.md both show it. */
export interface LagTable {
  id: string;
  title: string;
  note: string;
  columns: string[];
  rows: string[][];
}

function msText(ms: number | null): string {
  return ms === null ? '-' : formatMs(ms);
}

export function measuredLagTables(lag: MeasuredLag): LagTable[] {
  return [
    {
      id: 'aurora-lag',
      title: 'Aurora global database lag (aurora_global_db_status)',
      note: `${lag.auroraSamples} samples taken on the writer, gaps included; each secondary region's durability lag (its storage behind the writer's) and RPO lag.`,
      columns: [
        'writer → secondary',
        'samples',
        'durability p50',
        'durability max',
        'RPO p50',
        'RPO max',
      ],
      rows: lag.aurora.map((row) => [
        `${row.writer} → ${row.region}`,
        String(row.samples),
        msText(row.durabilityP50Ms),
        msText(row.durabilityMaxMs),
        msText(row.rpoP50Ms),
        msText(row.rpoMaxMs),
      ]),
    },
    {
      id: 'dynamodb-lag',
      title: 'DynamoDB ReplicationLatency (CloudWatch)',
      note: 'Per table and region pair over the run: the p50 of the periods\u2019 Average and the largest Maximum.',
      columns: ['table', 'from → to', 'periods', 'average p50', 'max'],
      rows: lag.dynamodb.map((row) => [
        row.table,
        `${row.region} → ${row.receivingRegion}`,
        String(row.periods),
        msText(row.averageP50Ms),
        msText(row.maximumMaxMs),
      ]),
    },
    {
      id: 'lag-gaps',
      title: 'Gaps in the lag samples',
      note: 'A sample or a read that failed or had nothing, and why; times on the run\u2019s clock.',
      columns: ['what', 'count', 'when', 'why'],
      rows: lag.gaps.map((gap) => [
        gap.what,
        String(gap.count),
        gap.firstAtMs === null
          ? 'the whole run'
          : gap.firstAtMs === gap.lastAtMs
            ? secondsText(gap.firstAtMs)
            : `${secondsText(gap.firstAtMs)} – ${secondsText(gap.lastAtMs ?? gap.firstAtMs)}`,
        gap.reason,
      ]),
    },
  ];
}
