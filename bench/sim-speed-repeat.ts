/**
 * `node --import tsx bench/sim-speed-repeat.ts [TREE] [RUNS]`: the simulator bench's seed 1, RUNS
 * times (default 5) in one process, one JSON line of wall and CPU time per run (the first runs
 * compile and warm the JIT; later ones are the steady state). TREE (default: this checkout) is
 * another checkout whose bench/sim-speed.ts is run instead, so that two commits are compared from
 * the same driver: run it for each, interleaved (A B A B), and compare CPU times, which the
 * machine's other load moves far less than wall times.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface SimSpeedRun {
  wallMs: number;
  simulatedMs: number;
  opsWritten: number;
}

interface SimSpeedModule {
  benchSimSpeed(runs: number): Promise<SimSpeedRun>;
}

const RUNS_MAX = 100;

const tree = process.argv[2] ?? join(import.meta.dirname, '..');
const runs = Number(process.argv[3] ?? 5);
if (!Number.isSafeInteger(runs) || runs < 1 || runs > RUNS_MAX) {
  process.stderr.write(`sim-speed-repeat: RUNS must be 1 to ${RUNS_MAX}, got ${process.argv[3]}\n`);
  process.exit(64);
}
const bench = (await import(
  pathToFileURL(join(tree, 'bench', 'sim-speed.ts')).href
)) as SimSpeedModule;
for (let run = 1; run <= runs; run += 1) {
  const cpuStarted = process.cpuUsage();
  const speed = await bench.benchSimSpeed(1);
  const cpu = process.cpuUsage(cpuStarted);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    JSON.stringify({
      tree,
      run,
      wallMs: Math.round(speed.wallMs),
      cpuMs: Math.round(cpuMs),
      lines: speed.opsWritten,
      speedupWall: Math.round(speed.simulatedMs / speed.wallMs),
      speedupCpu: Math.round(speed.simulatedMs / cpuMs),
    }),
  );
}
