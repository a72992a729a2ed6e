/**
 * report.html in real headless Chromium (Debian's, driven by playwright-core): no console error,
 * no request beyond file://, the charts drawn, the anomaly and its timeline shown and interactive.
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

  it('draws the throughput and latency charts with the fault windows', async () => {
    const page = opened.page;
    for (const id of ['chart-throughput', 'chart-latency']) {
      const lines = page.locator(`#${id} polyline.series`);
      expect(await lines.count()).toBeGreaterThanOrEqual(4);
      const box = await lines.first().boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(100);
      expect(await page.locator(`#${id} rect.fault[data-kind="isolate"]`).count()).toBe(1);
      expect(await page.locator(`#${id} line.fault-instant[data-kind="failover"]`).count()).toBe(1);
    }
    await page.locator('#chart-throughput svg').hover();
    expect(await page.locator('#chart-readout').textContent()).toMatch(
      /^at \d+\.\d{3} s: ap-northeast-1: ok /,
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
