/**
 * A game day's lag.jsonl at its bound: `lag.samplesMax` at its largest (100,000 Aurora samples) of
 * two secondary regions, a gap in every 50th sample, and a day of per-minute ReplicationLatency for
 * two tables over every pair of three regions. Measures writing it line by line (LagWriter, one
 * write(2) a line, as the sampler does) and what the report does with it (read, validate, sum up
 * into the measured-lag tables), best of `runs`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  AURORA_SOURCE,
  DYNAMODB_SOURCE,
  type LagLine,
  LagWriter,
  readLagFile,
} from '../history/lag-samples.ts';
import { measuredLagOf, measuredLagTables } from '../reports/measured-lag.ts';

const SAMPLES = 100_000;
const SECONDARIES = ['ap-northeast-3', 'us-west-2'];
const REGIONS = ['ap-northeast-1', ...SECONDARIES];
const TABLES = ['balances', 'registers'];
const MINUTES = 1_440;
const SAMPLE_MS = 5_000;

export interface LagFileBench {
  lines: number;
  bytes: number;
  writeMs: number;
  reportMs: number;
}

function* lagLines(): Generator<LagLine> {
  const startMs = Date.UTC(2026, 11, 3);
  for (let n = 0; n < SAMPLES; n += 1) {
    const atMs = n * SAMPLE_MS;
    const at = new Date(startMs + atMs).toISOString();
    const writer = REGIONS[0]!;
    if (n % 50 === 49) {
      yield { source: AURORA_SOURCE, atMs, at, writer, gap: 'the lag query took over 5000 ms' };
      continue;
    }
    for (const region of SECONDARIES) {
      yield {
        source: AURORA_SOURCE,
        atMs,
        at,
        writer,
        region,
        durabilityLagMs: (n * 7) % 900,
        rpoLagMs: (n * 13) % 1_500,
        highestLsnWritten: String(1_000_000 + n),
        lastLagCalculationTime: at,
      };
    }
  }
  for (const table of TABLES)
    for (const region of REGIONS)
      for (const receivingRegion of REGIONS.filter((r) => r !== region))
        for (let minute = 0; minute < MINUTES; minute += 1) {
          yield {
            source: DYNAMODB_SOURCE,
            table,
            region,
            receivingRegion,
            at: new Date(startMs + minute * 60_000).toISOString(),
            periodS: 60,
            averageMs: 400 + (minute % 60),
            maximumMs: 1_200 + (minute % 90),
          };
        }
}

export function benchLagFile(runs: number): LagFileBench {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-lag-bench-'));
  let best: LagFileBench | null = null;
  try {
    for (let run = 0; run < runs; run += 1) {
      const file = join(dir, `lag-${run}.jsonl`);
      const writeStartedMs = performance.now();
      const writer = new LagWriter(file);
      for (const line of lagLines()) writer.append(line);
      writer.close();
      const writeMs = performance.now() - writeStartedMs;
      const reportStartedMs = performance.now();
      const tables = measuredLagTables(measuredLagOf(readLagFile(file)));
      const reportMs = performance.now() - reportStartedMs;
      if (tables[0]!.rows.length !== SECONDARIES.length) {
        throw new Error(`expected a row per secondary, got ${tables[0]!.rows.length}`);
      }
      const measured = {
        lines: writer.linesWritten,
        bytes: statSync(file).size,
        writeMs,
        reportMs,
      };
      if (best === null || measured.reportMs < best.reportMs) best = measured;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (best === null) throw new Error('benchLagFile: no run');
  return best;
}
