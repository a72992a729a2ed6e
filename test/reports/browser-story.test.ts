/**
 * The report of a planted-bug run, read in real headless Chromium as a new user would read it:
 * `paychaos run scenarios/region-isolation.ts --bank-bug funds-check-on-replica`. The story must
 * come first and stay consistent: the conclusion sentence under the badge, the anomalies grouped
 * by type and subject (count, first and worst), ticks on the charts where they happened, RTO rows
 * in words, legends readable without hovering, timeline boxes labelled with f and outcome, and
 * every anomaly name linking to the catalogue embedded in the page. Expected figures come from
 * the run's results.json, never typed in.
 * Skips, saying why, when Chromium is not installed (scripts/install-chromium.sh installs it).
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Anomaly } from '../../checkers/checker.ts';
import type { Results } from '../../checkers/verdict.ts';
import { runCli } from '../support/run-cli.ts';
import { chromiumMissingReason, type OpenedPage, openOffline } from './chromium.ts';

interface MarkProbe {
  /** Share of the top edge's pixels, around the anomaly's time, in the mark colour. */
  markedAtAnomaly: number;
  /** The same at a time when nothing went wrong. */
  markedAtQuiet: number;
}

/**
 * Runs in the page: samples, in each chart, the plot's top 8 rows of pixels at the first
 * anomaly's time and at 10 s (before any fault; no anomaly then), looking for the mark colour.
 */
const PROBE_MARKS = `(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const [r, g, b] = [179, 0, 60];
  const firstMs = Math.min(...data.anomalies.filter((a) => a.atMs !== null).map((a) => a.atMs));
  const probes = {};
  for (const id of ['chart-throughput', 'chart-latency']) {
    const canvas = document.querySelector('#' + id + ' canvas');
    const over = document.querySelector('#' + id + ' .u-over');
    const context = canvas.getContext('2d');
    const canvasBox = canvas.getBoundingClientRect();
    const plotBox = over.getBoundingClientRect();
    const ratio = canvas.width / canvasBox.width;
    const top = Math.round((plotBox.top - canvasBox.top) * ratio);
    const share = (ms) => {
      const x = (plotBox.left - canvasBox.left + (ms / data.chartEndMs) * plotBox.width) * ratio;
      const pixels = context.getImageData(Math.round(x) - 3, top, 7, Math.round(8 * ratio)).data;
      let hits = 0;
      for (let offset = 0; offset < pixels.length; offset += 4) {
        const near = Math.abs(pixels[offset] - r) <= 20 && Math.abs(pixels[offset + 1] - g) <= 20 &&
          Math.abs(pixels[offset + 2] - b) <= 20 && pixels[offset + 3] > 200;
        if (near) hits += 1;
      }
      return hits / (pixels.length / 4);
    };
    probes[id] = { markedAtAnomaly: share(firstMs), markedAtQuiet: share(10000) };
  }
  return probes;
})()`;

const missing = chromiumMissingReason();
if (missing !== null) console.warn(`report story browser tests skipped: ${missing}`);

describe.skipIf(missing !== null)('the report of a planted-bug run, in headless Chromium', () => {
  let opened: OpenedPage;
  let out: string;
  let dir: string;
  let results: Results;
  let negative: Anomaly[];

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'paychaos-story-'));
    const run = runCli([
      'run',
      'scenarios/region-isolation.ts',
      '--bank-bug',
      'funds-check-on-replica',
      '--out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(1);
    dir = realpathSync(join(out, 'latest'));
    results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
    negative = (results.checkers.balance?.anomalies ?? []).filter(
      (anomaly) => anomaly.type === 'negative-balance',
    );
    opened = await openOffline(pathToFileURL(join(dir, 'report.html')).href);
    await opened.page.locator('#timeline rect.op').first().waitFor();
  }, 90_000);

  afterAll(async () => {
    await opened?.close();
    if (out !== undefined) rmSync(out, { recursive: true, force: true });
  });

  it('opens with no console error and no request beyond the file', () => {
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.outsideRequests).toEqual([]);
  });

  it('says the conclusion in one sentence right under the badge, and the same in summary.md and junit.xml', async () => {
    const page = opened.page;
    const accounts = new Set(negative.map((anomaly) => anomaly.account));
    expect(accounts.size).toBe(1);
    const [account] = [...accounts];
    const sentence = await page.locator('#conclusion').textContent();
    expect(sentence).toMatch(
      new RegExp(
        `^Hypothesis refuted: ${negative.length} negative balances on account ${account} between \\d+\\.\\d s and \\d+\\.\\d s, after Tokyo was isolated at 20\\.\\d s`,
      ),
    );
    expect(
      await page.evaluate<string>(
        "document.getElementById('conclusion').previousElementSibling.tagName",
      ),
    ).toBe('H1');
    expect(await page.locator('#conclusion').isVisible()).toBe(true);
    const box = await page.locator('#conclusion').boundingBox();
    expect((box?.y ?? Infinity) + (box?.height ?? 0)).toBeLessThan(300);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain(`**${sentence}**`);
    const story = (sentence ?? '').replace(/^Hypothesis refuted: /, '').replace(/\.$/, '');
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain(
      `message="negative-balance x${negative.length}: ${story}"`,
    );
  });

  it('groups the anomalies of one type and subject in one row that opens to its flat list', async () => {
    const page = opened.page;
    const group = page.locator('details.anomaly-group').first();
    const summary = group.locator('summary');
    expect(await summary.locator('.count').textContent()).toBe(String(negative.length));
    expect(await summary.textContent()).toContain(`account ${negative[0]?.account}`);
    const worstBalance = Math.min(...negative.map((anomaly) => Number(anomaly.balance)));
    const instances = await group.locator('.instance').allTextContents();
    expect(instances[0]).toMatch(/^first \d+\.\d s account customer-\d is -\d+/);
    expect(instances[1]).toContain(`is ${worstBalance} in`);
    expect(instances[1]).toMatch(/^worst /);
    // The lead group is open; closing it hides the flat list, opening shows every member.
    const members = group.locator('li.anomaly');
    await summary.click();
    expect(await members.first().isVisible()).toBe(false);
    await summary.click();
    expect(await members.first().isVisible()).toBe(true);
    expect(await members.count()).toBe(negative.length);
  });

  it('marks the anomalies on both charts where they happened, beside the shaded faults', async () => {
    const probes = await opened.page.evaluate<Record<string, MarkProbe>>(PROBE_MARKS);
    for (const id of ['chart-throughput', 'chart-latency']) {
      expect(probes[id]?.markedAtAnomaly, id).toBeGreaterThan(0.1);
      expect(probes[id]?.markedAtQuiet, id).toBe(0);
    }
    expect(await opened.page.locator('.faults-legend').textContent()).toContain(
      `anomalies: a tick along the top edge where each happened (${negative.length})`,
    );
  });

  it('shows chart legend values without hovering', async () => {
    for (const id of ['chart-throughput', 'chart-latency']) {
      const values = await opened.page.locator(`#${id} .u-legend .u-value`).allTextContents();
      expect(values[0]).toMatch(/^\d+\.\d s \(last\)$/);
      for (const value of values.slice(1)) expect(value).toMatch(/^\d+(\.\d+)?( ms|\/s)$/);
    }
  });

  it('says every RTO row in words and what the region and home rows mean', async () => {
    const page = opened.page;
    const rows = await page.locator('#rto-table tbody tr').evaluateAll((cells) =>
      cells.map((row) => ({
        view: row.getAttribute('data-view'),
        what: row.children[0]?.textContent ?? '',
        figure: row.children[1]?.textContent ?? '',
      })),
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows[0]?.what).toMatch(
      /^Tokyo isolated at 20\.1 s: requests sent to Tokyo were served again at \d+\.\d s, RTO \d+\.\d+ s$/,
    );
    for (const row of rows) {
      expect(row.what).not.toMatch(/[{}"]/);
      expect(row.what).toContain(row.view === 'home' ? 'clients homed in' : 'requests sent to');
      expect(row.what.endsWith(row.figure) || row.figure === 'not recovered').toBe(true);
    }
    expect(rows.some((row) => row.view === 'home')).toBe(true);
    const note = await page.locator('.measure-rto .note').textContent();
    expect(note).toContain('"requests sent to" a region');
    expect(note).toContain('"clients homed in" a region');
  });

  it('labels timeline boxes with their op and outcome where they fit', async () => {
    const labels = await opened.page.locator('#timeline text.op-label').allTextContents();
    expect(labels.some((label) => /^[a-z-]+ (ok|fail|info|pending)$/.test(label))).toBe(true);
  });

  it('links each anomaly name to its entry in the catalogue embedded in the page', async () => {
    const page = opened.page;
    const link = page.locator('details.anomaly-group summary a.anomaly-link').first();
    expect(await link.getAttribute('href')).toBe('#catalogue-negative-balance');
    await link.click();
    expect(await page.evaluate<string>('location.hash')).toBe('#catalogue-negative-balance');
    const entry = page.locator('#catalogue-negative-balance');
    expect(await entry.isVisible()).toBe(true);
    const inView = await entry.evaluate((element) => {
      // Runs in the page; Node's type library has no window.
      const { innerHeight } = globalThis as unknown as { innerHeight: number };
      const box = element.getBoundingClientRect();
      return box.top >= 0 && box.top < innerHeight;
    });
    expect(inView).toBe(true);
    expect(await entry.textContent()).toContain('an account below zero in a consistent read');
    expect(await entry.textContent()).toContain('Usual cause: a debit was allowed');
    // An entry behind the closed "other anomalies" row opens when linked to.
    expect(await page.locator('#catalogue-lost-transfer').isVisible()).toBe(false);
    await page.evaluate("location.hash = '#catalogue-lost-transfer'");
    await page.locator('#catalogue-lost-transfer').waitFor({ state: 'visible' });
  });
});
