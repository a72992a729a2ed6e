/**
 * The replication lag a real target measured (lag.jsonl) in the report: the exact p50 and max per
 * Aurora secondary and per DynamoDB table and region pair, the gaps grouped with their times,
 * all three in report.html and summary.md; no section for a run without lag.jsonl; a bad
 * lag.jsonl is one line naming the file and the line, exit 65.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AURORA_SOURCE,
  DYNAMODB_SOURCE,
  LAG_FILE,
  type LagLine,
  LagWriter,
} from '../../history/lag-samples.ts';
import { measuredLagOf } from '../../reports/measured-lag.ts';
import { writeReport } from '../../reports/write-report.ts';
import { runCli } from '../support/run-cli.ts';
import { makeFixtureRun } from './fixture-run.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';
const AT = '2026-12-03T10:00:00.000Z';

function aurora(atMs: number, durabilityLagMs: number | null, rpoLagMs: number): LagLine {
  return {
    source: AURORA_SOURCE,
    atMs,
    at: AT,
    writer: TOKYO,
    region: OSAKA,
    durabilityLagMs,
    rpoLagMs,
    highestLsnWritten: '1234',
    lastLagCalculationTime: AT,
  };
}

function dynamodb(table: string, averageMs: number, maximumMs: number | null): LagLine {
  return {
    source: DYNAMODB_SOURCE,
    table,
    region: TOKYO,
    receivingRegion: OSAKA,
    at: AT,
    periodS: 60,
    averageMs,
    maximumMs,
  };
}

const LINES: LagLine[] = [
  aurora(1_000, 20, 30),
  aurora(2_000, 40, 900),
  {
    source: AURORA_SOURCE,
    atMs: 3_000,
    at: AT,
    writer: TOKYO,
    gap: 'the lag query took over 5000 ms',
  },
  {
    source: AURORA_SOURCE,
    atMs: 4_000,
    at: AT,
    writer: TOKYO,
    gap: 'the lag query took over 5000 ms',
  },
  aurora(5_000, null, 10),
  dynamodb('balances', 300, 2_500),
  dynamodb('balances', 100, 700),
  dynamodb('balances', 200, null),
  {
    source: DYNAMODB_SOURCE,
    table: 'registers',
    region: TOKYO,
    receivingRegion: OSAKA,
    gap: 'no datapoint from 10:00 to 10:05',
  },
];

describe('measured lag', () => {
  it('sums up each secondary and each pair exactly, and groups the gaps with their times', () => {
    expect(measuredLagOf(LINES)).toEqual({
      auroraSamples: 5,
      aurora: [
        {
          writer: TOKYO,
          region: OSAKA,
          samples: 3,
          durabilityP50Ms: 20,
          durabilityMaxMs: 40,
          rpoP50Ms: 30,
          rpoMaxMs: 900,
        },
      ],
      dynamodb: [
        {
          table: 'balances',
          region: TOKYO,
          receivingRegion: OSAKA,
          periods: 3,
          averageP50Ms: 200,
          maximumMaxMs: 2_500,
        },
      ],
      gaps: [
        {
          what: `Aurora (writer ${TOKYO})`,
          reason: 'the lag query took over 5000 ms',
          count: 2,
          firstAtMs: 3_000,
          lastAtMs: 4_000,
        },
        {
          what: `DynamoDB registers ${TOKYO} → ${OSAKA}`,
          reason: 'no datapoint from 10:00 to 10:05',
          count: 1,
          firstAtMs: null,
          lastAtMs: null,
        },
      ],
    });
  });

  it('shows the tables in report.html and summary.md', () => {
    const { dir } = makeFixtureRun();
    const writer = new LagWriter(join(dir, LAG_FILE));
    for (const line of LINES) writer.append(line);
    writer.close();
    writeReport(dir);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<section id="measured-lag">');
    expect(html).toContain(
      `<tr><td>${TOKYO} → ${OSAKA}</td><td>3</td><td>20 ms</td><td>40 ms</td><td>30 ms</td><td>900 ms</td></tr>`,
    );
    expect(html).toContain(
      `<tr><td>balances</td><td>${TOKYO} → ${OSAKA}</td><td>3</td><td>200 ms</td><td>2.50 s</td></tr>`,
    );
    expect(html).toContain(
      `<tr><td>Aurora (writer ${TOKYO})</td><td>2</td><td>3.0 s – 4.0 s</td><td>the lag query took over 5000 ms</td></tr>`,
    );
    const markdown = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(markdown).toContain(`| ${TOKYO} → ${OSAKA} | 3 | 20 ms | 40 ms | 30 ms | 900 ms |`);
    expect(markdown).toContain(`| balances | ${TOKYO} → ${OSAKA} | 3 | 200 ms | 2.50 s |`);
    expect(markdown).toContain(
      `| DynamoDB registers ${TOKYO} → ${OSAKA} | 1 | the whole run | no datapoint from 10:00 to 10:05 |`,
    );
  });

  it('has no lag section for a run that measured none', () => {
    const { dir } = makeFixtureRun();
    writeReport(dir);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).not.toContain('id="measured-lag"');
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).not.toContain('aurora_global_db_status');
  });

  it('refuses a bad lag.jsonl in one line naming the file and the line, exit 65', () => {
    const { dir } = makeFixtureRun();
    writeFileSync(
      join(dir, LAG_FILE),
      `${JSON.stringify(LINES[0])}\n{"source":"aurora-global-db-status"}\n`,
    );
    const outcome = runCli(['report', dir]);
    expect(outcome.code).toBe(65);
    expect(outcome.stderr).toMatch(
      /^paychaos report: .*lag\.jsonl: line 2: atMs: expected a finite number of ms >= 0\n$/,
    );
  });
});
