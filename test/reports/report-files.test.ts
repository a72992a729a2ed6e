import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Results } from '../../checkers/verdict.ts';
import { junitXml } from '../../reports/junit-xml.ts';
import { measuresOf } from '../../reports/measures.ts';
import { writeReport } from '../../reports/write-report.ts';
import { runCli } from '../support/run-cli.ts';
import { makeFixtureRun } from './fixture-run.ts';

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

describe('paychaos report', () => {
  it('writes report.html, junit.xml and summary.md and exits by the verdict', () => {
    const { dir } = makeFixtureRun();
    const outcome = runCli(['report', dir]);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toContain('fixture-isolation: INVALID');
    for (const file of ['report.html', 'junit.xml', 'summary.md'])
      expect(existsSync(join(dir, file))).toBe(true);
  });

  it('puts verdict, hypothesis, reproduce command, charts and anomalies in one self-contained page', () => {
    const { dir, results } = makeFixtureRun();
    writeReport(dir);
    const html = read(dir, 'report.html');
    expect(html).toContain('<span class="verdict invalid" id="verdict">INVALID</span>');
    expect(html).toContain('Cutting &lt;Tokyo&gt; off loses no acknowledged payment.');
    expect(html).toContain(
      'paychaos run &#39;scenarios/fixture isolation.ts&#39; --seed 42 --bank-bug funds-check-on-replica',
    );
    // The charts: two frames that the inlined uPlot fills from the embedded series and faults.
    expect(html).toContain('<figure class="chart" id="chart-throughput">');
    expect(html).toContain('<figure class="chart" id="chart-latency">');
    expect(html).toContain('/*! https://github.com/leeoniya/uPlot (v1.6.32) */');
    expect(html).toContain('.uplot, .uplot *');
    expect(html).toContain('isolate</span>');
    const first = results.checkers.balance?.anomalies[0];
    expect(first?.type).toBe('negative-balance');
    expect(html).toContain('account a is -130 in the consistent balances read by process 103');
    // Nothing that a browser would fetch: no external src, href or url(), and a CSP that forbids it.
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).toContain("default-src 'none'");
    // The embedded data cannot close its script element early.
    const data =
      html.split('<script type="application/json" id="report-data">')[1]?.split('</script>')[0] ??
      '';
    const embedded = JSON.parse(data);
    expect(embedded.anomalies).toHaveLength(results.checkers.balance?.anomalies.length ?? -1);
    expect(embedded.series.regions.map((region: { region: string }) => region.region)).toContain(
      'ap-northeast-1',
    );
    expect(embedded.faults.map((fault: { kind: string }) => fault.kind)).toEqual([
      'isolate',
      'failover',
    ]);
    expect(embedded.palette.faults.isolate).toBe('#f4a3a3');
  });

  it('writes a testsuite per run and a testcase per checker, failures carrying the messages', () => {
    const { dir, results } = makeFixtureRun();
    writeReport(dir);
    const xml = read(dir, 'junit.xml');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    const checkers = Object.keys(results.checkers);
    expect(xml).toContain(
      `<testsuite name="fixture-isolation" tests="${checkers.length}" failures="1" errors="0"`,
    );
    for (const name of checkers)
      expect(xml).toContain(`classname="paychaos.fixture-isolation" name="${name}"`);
    // The message tells the report's story: counts, then the conclusion for this checker.
    expect(xml).toContain(
      '<failure type="negative-balance" message="negative-balance x3: 3 negative balances on account a between 5.1 s and 11.0 s, while Tokyo was isolated from 3.0 s and the ledger cluster failed over from Tokyo to Osaka at 4.0 s">',
    );
    expect(xml).toContain(
      'negative-balance: account a is -130 in the final read in ap-northeast-3',
    );
    expect(xml).toContain('<property name="seed" value="42"/>');
  });

  it('writes a short Markdown summary with the checkers, anomalies and figures', () => {
    const { dir } = makeFixtureRun();
    writeReport(dir);
    const markdown = read(dir, 'summary.md');
    expect(markdown).toContain('## paychaos: fixture-isolation — INVALID');
    expect(markdown).toContain(
      '**Hypothesis refuted: 3 negative balances on account a between 5.1 s and 11.0 s, while Tokyo was isolated from 3.0 s and the ledger cluster failed over from Tokyo to Osaka at 4.0 s.**',
    );
    expect(markdown).toContain('| balance | INVALID | negative-balance x3 |');
    expect(markdown).toContain('| anomaly | subject | count | first | worst |');
    expect(markdown).toContain(
      '| negative-balance | account a | 3 | 5.1 s: account a is -130 in the consistent balances read by process 103',
    );
    expect(markdown).toContain('**RTO:** not measured');
    expect(markdown).toContain(
      "```sh\npaychaos run 'scenarios/fixture isolation.ts' --seed 42 --bank-bug funds-check-on-replica\n```",
    );
  });

  it('reports a directory without run.json or results.json, checking the history itself', () => {
    const { dir } = makeFixtureRun({ withRunJson: false, withResults: false });
    const outcome = runCli(['report', dir]);
    expect(outcome.code).toBe(1);
    expect(read(dir, 'summary.md')).toContain(`paychaos check ${dir}`);
  });

  it('fails with one line naming the file for a missing directory, a missing history or bad JSON', () => {
    const missing = runCli(['report', '/nonexistent/run']);
    expect(missing.code).toBe(66);
    expect(missing.stderr).toBe('paychaos report: /nonexistent/run: no such run directory\n');
    const empty = mkdtempSync(join(tmpdir(), 'paychaos-report-empty-'));
    expect(runCli(['report', empty]).code).toBe(66);
    const { dir } = makeFixtureRun();
    writeFileSync(join(dir, 'results.json'), '{"valid": tru');
    const bad = runCli(['report', dir]);
    expect(bad.code).toBe(65);
    expect(bad.stderr).toMatch(/^paychaos report: .*results\.json: not valid JSON/);
    expect(runCli(['report']).code).toBe(64);
    rmSync(empty, { recursive: true });
  });
});

describe('junit.xml', () => {
  it('escapes what XML cannot hold, and makes an unknown verdict an error', () => {
    const results: Results = {
      valid: 'unknown',
      anomalyTypes: [],
      checkers: {
        lww: {
          valid: 'unknown',
          anomalies: [],
          stats: {},
          error: 'budget of 5 s ran out on key "a<b" & \u0001',
        },
      },
    };
    const xml = junitXml([
      {
        name: 's',
        results,
        properties: {},
        timeS: 0,
        timestamp: null,
        reproduce: 'x',
        stories: {},
      },
    ]);
    expect(xml).toContain(
      '<error type="unknown" message="budget of 5 s ran out on key &quot;a&lt;b&quot; &amp; \uFFFD">',
    );
    expect(xml).toContain('tests="1" failures="0" errors="1"');
  });
});

describe('measures', () => {
  it('says each RTO and RPO row in words: the fault, who recovered, when, and the figure', () => {
    const isolate = 'start-isolate {"region":"ap-northeast-1"}';
    const failover = 'failover {"cluster":"ledger","from":"ap-northeast-1","to":"ap-northeast-3"}';
    const stats = {
      rtoByRegion: {
        'ap-northeast-1': [
          {
            fault: isolate,
            startNs: 20_100_000_000,
            rtoMs: 21_700,
            recovered: true,
            firstFailureNs: 21_000_000_000,
            recoveryNs: 41_800_000_000,
          },
        ],
        'ap-northeast-3': [
          {
            fault: failover,
            startNs: 25_100_000_000,
            rtoMs: null,
            recovered: false,
            firstFailureNs: 25_200_000_000,
            recoveryNs: null,
          },
          { fault: isolate, startNs: 20_100_000_000, rtoMs: 0, recovered: true },
        ],
      },
      rtoByHome: {
        'ap-northeast-1': [
          {
            fault: 'isolate of ap-northeast-1',
            startNs: 20_100_000_000,
            rtoMs: 3_050,
            recovered: true,
          },
        ],
      },
      rpoMs: 6_800,
      rpoMsByRegion: { 'ap-northeast-1': 6_800 },
      acknowledgedPayments: 1_939,
      lostPayments: 2,
    };
    const results: Results = {
      valid: true,
      anomalyTypes: [],
      checkers: { slo: { valid: true, anomalies: [], stats } },
    };
    const measures = measuresOf(results);
    expect(measures.rto).toEqual([
      {
        key: 'Tokyo isolated at 20.1 s: requests sent to Tokyo were served again at 41.8 s, RTO 21.7 s',
        text: '21.7 s',
        view: 'region',
        region: 'ap-northeast-1',
      },
      {
        key: 'the ledger cluster failed over from Tokyo to Osaka at 25.1 s: requests sent to Osaka failed from 25.2 s and were not served again before the history ended',
        text: 'not recovered',
        view: 'region',
        region: 'ap-northeast-3',
      },
      {
        key: 'Tokyo isolated at 20.1 s: requests sent to Osaka never failed to be served, RTO 0',
        text: '0 ms',
        view: 'region',
        region: 'ap-northeast-3',
      },
      {
        key: 'isolate of ap-northeast-1 at 20.1 s: clients homed in Tokyo were served again, RTO 3.05 s',
        text: '3.05 s',
        view: 'home',
        region: 'ap-northeast-1',
      },
    ]);
    for (const row of [...(measures.rto ?? []), ...(measures.rpo ?? [])]) {
      expect(row.key).not.toMatch(/[{}"]/);
    }
    expect(measures.rpo).toEqual([
      {
        key: 'all regions: 2 of 1,939 acknowledged payments lost, the earliest acknowledged 6.80 s before the failover (or the end of the load) that lost it',
        text: '6.80 s',
      },
      {
        key: 'payments sent to Tokyo (ap-northeast-1)',
        text: '6.80 s',
        view: 'region',
        region: 'ap-northeast-1',
      },
    ]);
  });

  it('falls back to any rto/rpo stats key, and takes visibility lag from the lww stats', () => {
    const results: Results = {
      valid: true,
      anomalyTypes: [],
      checkers: {
        slo: {
          valid: true,
          anomalies: [],
          stats: {
            rtoMs: { 'ap-northeast-1': { isolate: 21300 }, 'ap-northeast-3': null },
            rpoLagMs: { 'ap-northeast-1': 6800 },
            other: 1,
          },
        },
        lww: {
          valid: true,
          anomalies: [],
          stats: {
            visibilityLagMs: { 'r1->r2': { count: 3, p50: 12.5, p99: 40, max: 41, unseen: 0 } },
          },
        },
      },
    };
    expect(measuresOf(results)).toEqual({
      rto: [
        { key: 'rtoMs / ap-northeast-1 / isolate', text: '21.3 s' },
        { key: 'rtoMs / ap-northeast-3', text: 'not reached' },
      ],
      rpo: [{ key: 'rpoLagMs / ap-northeast-1', text: '6.80 s' }],
      visibilityLag: [{ link: 'r1->r2', count: 3, p50Ms: 12.5, p99Ms: 40, maxMs: 41, unseen: 0 }],
    });
    expect(measuresOf({ valid: true, anomalyTypes: [], checkers: {} })).toEqual({
      rto: null,
      rpo: null,
      visibilityLag: null,
    });
  });
});
