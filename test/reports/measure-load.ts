/**
 * Opens a report in headless Chromium, offline, and prints what docs/reports.md records: the
 * file's size, the load event, the time until both charts and the first timeline are drawn, and
 * any console error or outside request.
 *   node --import tsx test/reports/measure-load.ts <report.html>
 */
import { realpathSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromiumMissingReason, openOffline } from './chromium.ts';

async function main(): Promise<void> {
  const [report] = process.argv.slice(2);
  if (report === undefined) throw new Error('usage: measure-load.ts <report.html>');
  const missing = chromiumMissingReason();
  if (missing !== null) throw new Error(missing);
  const startedMs = performance.now();
  const opened = await openOffline(pathToFileURL(realpathSync(report)).href);
  try {
    const page = opened.page;
    await page.locator('#chart-latency canvas').waitFor();
    await page.locator('#timeline rect.op').first().waitFor();
    const drawnMs = performance.now() - startedMs;
    const loadEventMs = await page.evaluate<number>(
      "performance.getEntriesByType('navigation')[0]?.loadEventEnd ?? -1",
    );
    const figures = {
      bytes: statSync(report).size,
      loadEventMs: Math.round(loadEventMs),
      drawnMsWithBrowserStart: Math.round(drawnMs),
      anomalyGroups: await page.locator('details.anomaly-group').count(),
      consoleErrors: opened.consoleErrors,
      outsideRequests: opened.outsideRequests,
    };
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    await opened.close();
  }
}

await main();
