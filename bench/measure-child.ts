/**
 * Runs one paychaos command in this process, its stdout discarded by the parent, and reports the
 * process's peak memory on stderr as `PAYCHAOS_BENCH {...}` once it is done.
 */
import { main } from '../cli/main.ts';

const code = await main(process.argv.slice(2));
process.stderr.write(
  `PAYCHAOS_BENCH ${JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS })}\n`,
);
process.exitCode = code;
