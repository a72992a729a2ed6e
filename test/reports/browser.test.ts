/**
 * report.html in real headless Chromium (Debian's, driven by playwright-core): no console error,
 * no request beyond file://, the uPlot charts really drawn (canvas pixels sampled), the anomaly and
 * its timeline shown and interactive.
 * Skips, saying why, when Chromium is not installed (scripts/install-chromium.sh installs it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../reports/write-report.ts';
import { chromiumMissingReason, type OpenedPage, openOffline } from './chromium.ts';
import { makeFixtureRun } from './fixture-run.ts';

interface BrowserXml {
  DOMParser: new () => {
    parseFromString(
      text: string,
      type: string,
    ): {
      querySelector(selector: string): { textContent: string | null } | null;
      querySelectorAll(selector: string): { length: number };
    };
  };
}

interface ChartProbe {
  canvasWidthPx: number;
  /** Share of the canvas's pixels painted at all (axes, grid, lines, faults). */
  paintedShare: number;
  firstRegionPixels: number;
  isolateShareInside: number;
  isolateShareOutside: number;
  failoverShare: number;
}

/**
 * Runs in the page (as text: Node's type library has no DOM): samples each chart's canvas. A
 * column of the plot at a time is found from uPlot's plot area (.u-over) and the x range, which
 * runs from 0 to the history's end.
 */
const PROBE_CHARTS = `(() => {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const near = (pixels, offset, rgb, tolerance) =>
    rgb.every((value, channel) => Math.abs(pixels[offset + channel] - value) <= tolerance);
  const probes = {};
  for (const id of ['chart-throughput', 'chart-latency']) {
    const canvas = document.querySelector('#' + id + ' canvas');
    const over = document.querySelector('#' + id + ' .u-over');
    if (canvas === null || over === null) { probes[id] = null; continue; }
    const context = canvas.getContext('2d');
    const canvasBox = canvas.getBoundingClientRect();
    const plotBox = over.getBoundingClientRect();
    const ratio = canvas.width / canvasBox.width;
    const top = Math.round((plotBox.top - canvasBox.top) * ratio) + 1;
    const height = Math.round(plotBox.height * ratio) - 2;
    const columnAt = (ms, shift) => {
      const x = (plotBox.left - canvasBox.left + (ms / data.chartEndMs) * plotBox.width) * ratio;
      return context.getImageData(Math.floor(x) + shift, top, 1, height).data;
    };
    const share = (pixels, test) => {
      let hits = 0;
      for (let offset = 0; offset < pixels.length; offset += 4) if (test(pixels, offset)) hits += 1;
      return hits / (pixels.length / 4);
    };
    const isolate = (pixels, offset) =>
      near(pixels, offset, [244, 163, 163], 12) && pixels[offset + 3] > 90 && pixels[offset + 3] < 140;
    const failover = (pixels, offset) =>
      near(pixels, offset, [68, 68, 68], 30) && pixels[offset + 3] > 200;
    const all = context.getImageData(0, 0, canvas.width, canvas.height).data;
    probes[id] = {
      canvasWidthPx: canvas.width,
      paintedShare: share(all, (pixels, offset) => pixels[offset + 3] > 0),
      firstRegionPixels: share(all, (pixels, offset) =>
        near(pixels, offset, [31, 119, 180], 40) && pixels[offset + 3] > 200) * (all.length / 4),
      isolateShareInside: share(columnAt(4_500, 0), isolate),
      isolateShareOutside: share(columnAt(1_500, 0), isolate),
      failoverShare: Math.max(...[-1, 0, 1].map((shift) => share(columnAt(4_000, shift), failover))),
    };
  }
  return probes;
})()`;

const missing = chromiumMissingReason();
if (missing !== null) console.warn(`report browser tests skipped: ${missing}`);

describe.skipIf(missing !== null)('report.html in headless Chromium', () => {
  let opened: OpenedPage;
  let dir: string;
  let loadMs: number;

  beforeAll(async () => {
    dir = makeFixtureRun().dir;
    writeReport(dir);
    const startedMs = performance.now();
    opened = await openOffline(pathToFileURL(join(dir, 'report.html')).href);
    await opened.page.locator('#timeline rect.op').first().waitFor();
    loadMs = performance.now() - startedMs;
  }, 30_000);

  afterAll(async () => {
    await opened?.close();
  });

  it('opens in under 2 s with no console error and no request beyond the file', async () => {
    expect(opened.consoleErrors).toEqual([]);
    expect(opened.outsideRequests).toEqual([]);
    // Evaluated in the page as text: Node's type library has no PerformanceNavigationTiming.
    const loadEventMs = await opened.page.evaluate<number>(
      "performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? Infinity",
    );
    expect(loadEventMs).toBeLessThan(2_000);
    expect(loadMs).toBeLessThan(2_000 + 5_000); // plus the browser's own start on a busy machine
  });

  it('draws both charts with uPlot: lines in the region colours and the fault windows shaded', async () => {
    const probes = await opened.page.evaluate<Record<string, ChartProbe | null>>(PROBE_CHARTS);
    for (const id of ['chart-throughput', 'chart-latency']) {
      const probe = probes[id];
      expect(probe, `${id} has a canvas`).not.toBeNull();
      if (probe === null || probe === undefined) continue;
      expect(probe.canvasWidthPx).toBeGreaterThan(500);
      expect(probe.paintedShare).toBeGreaterThan(0.02);
      expect(probe.firstRegionPixels).toBeGreaterThan(20);
      // The isolate window (3 s to 6 s) is shaded across the plot's height, bar the grid and the
      // lines that cross the column; 1.5 s is not shaded.
      expect(probe.isolateShareInside).toBeGreaterThan(0.5);
      expect(probe.isolateShareOutside).toBe(0);
      // The failover at 4 s is a dashed dark line: about two thirds of the column.
      expect(probe.failoverShare).toBeGreaterThan(0.4);
    }
  });

  it('reads values under the cursor in both charts and names the faults active then', async () => {
    const page = opened.page;
    const over = page.locator('#chart-throughput .u-over');
    const box = await over.boundingBox();
    const endMs = await page.evaluate<number>(
      "JSON.parse(document.getElementById('report-data').textContent).chartEndMs",
    );
    const x = (4_500 / endMs) * (box?.width ?? 0);
    await over.hover({ position: { x, y: (box?.height ?? 0) / 2 } });
    expect(await page.locator('#chart-readout').textContent()).toMatch(
      /^at 4\.\d{3} s: faults active: isolate ap-northeast-1$/,
    );
    for (const id of ['chart-throughput', 'chart-latency']) {
      const values = await page.locator(`#${id} .u-legend .u-value`).allTextContents();
      expect(values[0]).toMatch(/^4\.\d s$/);
      expect(values.length).toBeGreaterThanOrEqual(5);
    }
    expect(await page.locator('#chart-throughput .u-legend').textContent()).toContain(
      'ap-northeast-1 ok/s',
    );
  });

  it('shows the verdict, the anomaly and the timeline of the ops around it', async () => {
    const page = opened.page;
    expect(await page.locator('#verdict').textContent()).toBe('INVALID');
    const first = page.locator('#anomaly-0');
    expect(await first.isVisible()).toBe(true);
    expect(await first.textContent()).toContain(
      'account a is -130 in the consistent balances read by process 103',
    );
    expect(await page.locator('#timeline-title').textContent()).toContain(
      'Timeline of anomaly 1: negative-balance',
    );
    expect(await page.locator('#timeline rect.op').count()).toBeGreaterThan(10);
    const named = page.locator('#timeline rect.op.named');
    expect(await named.count()).toBe(1);
    await named.hover();
    expect(await page.locator('#op-detail').textContent()).toMatch(
      /process 103 {2}balances in ap-northeast-3 {2}ok/,
    );
  });

  it('draws another anomaly when its timeline button is pressed', async () => {
    const page = opened.page;
    await page.locator('#anomaly-1 button.show-timeline').click();
    expect(await page.locator('#timeline-title').textContent()).toContain('Timeline of anomaly 2');
    expect(await page.locator('#anomaly-1').getAttribute('class')).toContain('selected');
  });

  it('writes a junit.xml that a browser parses as well-formed XML', async () => {
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    const parsed = await opened.page.evaluate((text) => {
      // Runs in the page: the browser's DOMParser, which Node's type library does not declare.
      const { DOMParser } = globalThis as unknown as BrowserXml;
      const document = new DOMParser().parseFromString(text, 'application/xml');
      return {
        error: document.querySelector('parsererror')?.textContent ?? null,
        testcases: document.querySelectorAll('testsuite > testcase').length,
        failures: document.querySelectorAll('testcase > failure').length,
      };
    }, xml);
    expect(parsed.error).toBeNull();
    expect(parsed.testcases).toBeGreaterThanOrEqual(1);
    expect(parsed.failures).toBe(1);
  });
});
