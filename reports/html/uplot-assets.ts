/**
 * uPlot (MIT, pinned in package.json), read from node_modules when the report is built and inlined
 * into report.html, so the page draws its charts with a well-kept library and still needs nothing
 * from the network.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function readInlinable(specifier: string, closingTag: string): string {
  const text = readFileSync(require.resolve(specifier), 'utf8');
  // Inlined text that held its own closing tag would end the element early and spill into the page.
  if (text.toLowerCase().includes(closingTag)) {
    throw new Error(`${specifier} contains "${closingTag}" and cannot be inlined`);
  }
  return text;
}

export const UPLOT_SCRIPT = readInlinable('uplot/dist/uPlot.iife.min.js', '</script');
export const UPLOT_STYLES = readInlinable('uplot/dist/uPlot.min.css', '</style');
