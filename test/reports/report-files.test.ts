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
    expect(xml).toMatch(
      /<failure type="negative-balance" message="negative-balance x3: account a is -130/,
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
    expect(markdown).toContain('| balance | INVALID | negative-balance x3 |');
    expect(markdown).toContain('- **negative-balance** (balance): account a is -130');
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
      { name: 's', results, properties: {}, timeS: 0, timestamp: null, reproduce: 'x' },
    ]);
    expect(xml).toContain(
      '<error type="unknown" message="budget of 5 s ran out on key &quot;a&lt;b&quot; &amp; \uFFFD">',
    );
    expect(xml).toContain('tests="1" failures="0" errors="1"');
  });
});

describe('measures', () => {
  it('shows the slo checker RTO per region and fault, and RPO overall and per region', () => {
    const stats = {
      rtoByRegion: {
        'ap-northeast-1': [
          {
            fault: 'isolate of ap-northeast-1',
            startNs: 20_100_000_000,
            rtoMs: 21_300,
            recovered: true,
          },
        ],
        'ap-northeast-3': [
          { fault: 'failover of ledger', startNs: 25_100_000_000, rtoMs: null, recovered: false },
        ],
      },
      rtoByHome: {},
      rpoMs: 6_800,
      rpoMsByRegion: { 'ap-northeast-1': 6_800 },
      lostPayments: 2,
    };
    const results: Results = {
      valid: true,
      anomalyTypes: [],
      checkers: { slo: { valid: true, anomalies: [], stats } },
    };
    expect(measuresOf(results)).toMatchObject({
      rto: [
        { key: 'region ap-northeast-1: isolate of ap-northeast-1 at 20.1 s', text: '21.3 s' },
        { key: 'region ap-northeast-3: failover of ledger at 25.1 s', text: 'not recovered' },
      ],
      rpo: [
        { key: 'all regions', text: '6.80 s' },
        { key: 'region ap-northeast-1', text: '6.80 s' },
        { key: 'acknowledged payments lost', text: '2' },
      ],
    });
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
