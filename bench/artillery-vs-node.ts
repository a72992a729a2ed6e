/**
 * The Node driver and Artillery at the same offered rate, in one run, against (a) a trivial
 * endpoint (a separate process answering every request `ok` at once) and (b) the local lab's
 * bank. For each: the achieved rate (completions per second of the load window), dropped
 * arrivals, and the p99 of every attempt's latency (completion - invoke in the history, the
 * same measure for both engines), and Artillery's figure over the Node driver's as a ratio.
 *
 * The Node driver runs in one process for both regions; Artillery as one worker process per
 * region (its natural layout here); both send the same workload (transfers) at the same rates.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../artillery/build-bundle.ts';
import { startClockServer } from '../artillery/clock-server.ts';
import { ArtilleryProcess, artilleryVersion } from '../artillery/local-artillery.ts';
import { readOpLogs } from '../history/import/import-artillery.ts';
import { mergeOpLogs } from '../history/import/merge-op-logs.ts';
import type { OpDraft } from '../history/op.ts';
import { HttpTransport } from '../load/http-transport.ts';
import { LoadDriver } from '../load/load-driver.ts';
import { artilleryLoad } from '../run/artillery-load.ts';
import type { LoadEngine } from '../run/load-engine.ts';
import { QUIET_REPORTER } from '../run/reporter.ts';
import { runScenario } from '../run/run-scenario.ts';
import { localTarget } from '../run/targets/local/local-target.ts';
import { realClock } from '../run/targets/local/real-clock.ts';
import { defineScenario, manyAccounts } from '../scenario-dsl/define-scenario.ts';
import type { ResolvedScenario } from '../scenario-dsl/resolved-scenario.ts';
import { validateScenario } from '../scenario-dsl/validate-scenario.ts';
import { Prng } from '../targets/sim/prng.ts';

const DURATION_S = 10;
const REGIONS = ['ap-northeast-1', 'ap-northeast-3'];

export interface EngineFigures {
  offeredPerSec: number;
  /** First attempts sent per second of the window: what the engine's arrival process achieved. */
  sentPerSec: number;
  achievedPerSec: number;
  dropped: number;
  completed: number;
  info: number;
  p99Ms: number;
}

export interface Comparison {
  target: string;
  node: EngineFigures;
  artillery: EngineFigures;
}

function scenarioAt(ratePerRegion: number): ResolvedScenario {
  const spec = defineScenario({
    name: 'bench-artillery',
    description: 'Transfers only, at a constant rate, no faults: the engines side by side.',
    hypothesis: 'Both engines offer the same load.',
    regions: REGIONS,
    duration: `${DURATION_S}s`,
    seed: 1,
    bank: { accounts: manyAccounts(20, 1_000_000, 'acct-') },
    clusters: [{ name: 'ledger', writer: 'ap-northeast-1' }],
    workloads: [
      {
        kind: 'bank',
        rate: ratePerRegion,
        mix: { transfer: 1, deposit: 0, withdraw: 0, consistentRead: 0, eventualRead: 0 },
        amount: { min: 1, max: 10 },
      },
    ],
    clients: { timeout: '2s', retries: 0, failover: false },
    faults: [],
  });
  const validation = validateScenario(spec, 'bench-artillery');
  if (!validation.ok) throw new Error(validation.problems.join('; '));
  return validation.scenario;
}

/** Every attempt's latency and the completions, from history lines (any order of attempts). */
function figuresOf(
  lines: readonly OpDraft[],
  offeredPerSec: number,
  dropped: number,
): EngineFigures {
  const invokes = new Map<number, number>();
  const latenciesMs: number[] = [];
  let info = 0;
  let firstAttempts = 0;
  for (const line of lines) {
    if (typeof line.process !== 'number') continue;
    if (line.type === 'invoke') {
      if (line.attempt === undefined) firstAttempts += 1;
      invokes.set(line.process, line.time);
      continue;
    }
    const startNs = invokes.get(line.process);
    if (startNs === undefined)
      throw new Error(`a completion without its invoke: ${JSON.stringify(line)}`);
    invokes.delete(line.process);
    if (line.type === 'info') info += 1;
    latenciesMs.push((line.time - startNs) / 1_000_000);
  }
  latenciesMs.sort((a, b) => a - b);
  const p99Ms =
    latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(latenciesMs.length * 0.99))] ?? 0;
  return {
    offeredPerSec,
    sentPerSec: firstAttempts / DURATION_S,
    achievedPerSec: latenciesMs.length / DURATION_S,
    dropped,
    completed: latenciesMs.length,
    info,
    p99Ms,
  };
}

async function startTrivialEndpoint(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'trivial-endpoint.ts')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8').trim()));
    child.once('exit', (code) => reject(new Error(`the trivial endpoint exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

async function nodeDriverAgainst(scenario: ResolvedScenario, url: string): Promise<EngineFigures> {
  const clock = realClock();
  const lines: OpDraft[] = [];
  const driver = new LoadDriver(
    {
      clock,
      prng: new Prng(1),
      transport: new HttpTransport({
        endpoints: Object.fromEntries(REGIONS.map((r) => [r, url])),
        requestTimeoutMs: 30_000,
      }),
      sink: { append: (draft: OpDraft) => lines.push(draft) },
    },
    {
      regions: scenario.regions,
      durationMs: scenario.durationMs,
      workloads: scenario.workloads,
      clients: scenario.clients,
      accounts: scenario.bank.accounts.map((a) => a.name),
      opsInFlightMax: 10_000,
    },
  );
  driver.start();
  // The window, then the client's timeout: every attempt has completed by then.
  await new Promise((resolve) =>
    setTimeout(resolve, scenario.durationMs + scenario.clients.timeoutMs + 500),
  );
  driver.stop();
  const offered = offeredOf(scenario);
  return figuresOf(lines, offered, driver.stats.totals().dropped);
}

function offeredOf(scenario: ResolvedScenario): number {
  return scenario.workloads.reduce(
    (sum, w) => sum + Object.values(w.opsPerSecByRegion).reduce((a, b) => a + b, 0),
    0,
  );
}

async function artilleryAgainst(scenario: ResolvedScenario, url: string): Promise<EngineFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-bench-artillery-'));
  const clock = await startClockServer(realClock());
  try {
    const bundle = await buildBundle(scenario, {
      outDir: dir,
      seed: 1,
      workersPerRegion: 1,
      script: {
        perLocalWorker: true,
        endpoints: Object.fromEntries(REGIONS.map((r) => [r, url])),
        clockUrl: clock.url,
      },
      wallClockErrorMs: 10,
      wallEpochMs: Date.now(),
    });
    const processes = REGIONS.map(
      (region) =>
        new ArtilleryProcess({
          region,
          scriptFile: bundle.scriptFile,
          logDir: join(dir, 'logs'),
          outputFile: join(dir, `${region}.out`),
          reportFile: join(dir, `${region}.report.json`),
        }),
    );
    await Promise.all(processes.map((p) => p.finished(600_000)));
    const logs = readdirSync(join(dir, 'logs')).map((name) => join(dir, 'logs', name));
    const lines: OpDraft[] = [];
    mergeOpLogs(
      readOpLogs(logs),
      { append: (d: OpDraft) => lines.push(d) },
      {
        invokedNsMin: 0,
        completedNsMax: Number.MAX_SAFE_INTEGER,
        shiftEarlyToMin: true,
      },
    );
    let dropped = 0;
    for (const p of processes) {
      const report = JSON.parse(readFileSync(p.spec.reportFile, 'utf8')) as {
        aggregate: { counters: Record<string, number> };
      };
      dropped +=
        (report.aggregate.counters['paychaos.dropped'] ?? 0) +
        (report.aggregate.counters['paychaos.late'] ?? 0);
    }
    return figuresOf(lines, offeredOf(scenario), dropped);
  } finally {
    await clock.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function againstLab(
  scenario: ResolvedScenario,
  load: LoadEngine | undefined,
): Promise<EngineFigures> {
  const out = mkdtempSync(join(tmpdir(), 'paychaos-bench-lab-'));
  try {
    const { runDir, record } = await runScenario({
      target: localTarget,
      scenario,
      seed: 1,
      file: 'bench/artillery-vs-node.ts',
      out,
      reporter: QUIET_REPORTER,
      forPeople: false,
      ...(load === undefined ? {} : { load }),
    });
    const lines = readFileSync(runDir.historyFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OpDraft);
    return figuresOf(lines, offeredOf(scenario), record.ops.dropped ?? 0);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function benchArtilleryVsNode(options: {
  trivialRatePerRegion: number;
  labRatePerRegion: number;
}): Promise<{ version: string; comparisons: Comparison[] }> {
  const version = artilleryVersion();
  const comparisons: Comparison[] = [];
  const trivial = scenarioAt(options.trivialRatePerRegion);
  const endpoint = await startTrivialEndpoint();
  try {
    const node = await nodeDriverAgainst(trivial, endpoint.url);
    const artillery = await artilleryAgainst(trivial, endpoint.url);
    comparisons.push({ target: 'trivial endpoint', node, artillery });
  } finally {
    endpoint.child.kill('SIGTERM');
  }
  const lab = scenarioAt(options.labRatePerRegion);
  const node = await againstLab(lab, undefined);
  const artillery = await againstLab(lab, artilleryLoad({ workersPerRegion: 1 }));
  comparisons.push({ target: 'local bank (lab)', node, artillery });
  return { version, comparisons };
}
