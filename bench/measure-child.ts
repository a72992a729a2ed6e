/**
 * Runs one paychaos command in this process, its stdout discarded by the parent, and reports the
 * process's peak memory and the command's own time (start-up and exit excluded) on stderr as
 * `PAYCHAOS_BENCH {...}` once it is done.
 */
import { performance } from 'node:perf_hooks';
import { main } from '../cli/main.ts';

const startedMs = performance.now();
const code = await main(process.argv.slice(2));
const commandMs = performance.now() - startedMs;
process.stderr.write(
  `PAYCHAOS_BENCH ${JSON.stringify({ code, commandMs, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
);
process.exitCode = code;
