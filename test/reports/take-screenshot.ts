/**
 * Regenerates docs/report-screenshot.png from a bug scenario's report:
 *   node bin/paychaos.js run scenarios/region-isolation.ts --bank-bug funds-check-on-replica --out /tmp/shot-runs
 *   node --import tsx test/reports/take-screenshot.ts /tmp/shot-runs/latest/report.html docs/report-screenshot.png
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromiumMissingReason, openOffline } from './chromium.ts';

async function main(): Promise<void> {
  const [report, png] = process.argv.slice(2);
  if (report === undefined || png === undefined) {
    throw new Error('usage: take-screenshot.ts <report.html> <out.png>');
  }
  const missing = chromiumMissingReason();
  if (missing !== null) throw new Error(missing);
  const opened = await openOffline(pathToFileURL(realpathSync(report)).href, {
    width: 1100,
    height: 900,
  });
  try {
    await opened.page.locator('#timeline rect.op').first().waitFor();
    if (opened.consoleErrors.length > 0 || opened.outsideRequests.length > 0) {
      throw new Error(
        `report misbehaved: ${[...opened.consoleErrors, ...opened.outsideRequests].join('; ')}`,
      );
    }
    await opened.page.screenshot({ path: png, fullPage: true });
  } finally {
    await opened.close();
  }
}

await main();
