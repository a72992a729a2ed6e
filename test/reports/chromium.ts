/**
 * Headless Chromium for the report tests: Debian's chromium (installed by
 * scripts/install-chromium.sh) driven by playwright-core, with no network: every request that is
 * not file:// or data: is aborted and recorded, so a test can fail on it. When the browser is
 * missing, `launchChromium` says why instead of failing, and the tests skip with that reason.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PAYCHAOS_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumMissingReason(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  return `no Chromium at ${CHROMIUM_PATH}: run scripts/install-chromium.sh (as root) to run the browser tests`;
}

export interface OpenedPage {
  page: Page;
  consoleErrors: string[];
  outsideRequests: string[];
  close(): Promise<void>;
}

export async function openOffline(
  url: string,
  viewport = { width: 1200, height: 900 },
): Promise<OpenedPage> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'paychaos-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      viewport,
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  const consoleErrors: string[] = [];
  const outsideRequests: string[] = [];
  await context.route('**/*', async (route) => {
    const requested = route.request().url();
    if (requested.startsWith('file://') || requested.startsWith('data:')) await route.continue();
    else {
      outsideRequests.push(requested);
      await route.abort();
    }
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(url, { waitUntil: 'load' });
  return {
    page,
    consoleErrors,
    outsideRequests,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
