/**
 * The harness's side of Artillery on this machine: the pinned Artillery that
 * scripts/provision-artillery.sh installed under .paychaos/artillery, the clock the workers
 * sample (clock-server.ts), and several Artillery processes per region — each one worker with
 * its own op log, as remote runners would be — started, waited for and stopped. Every wait is
 * bounded; a process that fails is reported with the file its output went to.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ARTILLERY_VERSION = '2.0.34';
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const ARTILLERY_HOME = join(PROJECT_ROOT, '.paychaos', 'artillery');
const ARTILLERY_BIN = join(ARTILLERY_HOME, 'node_modules', 'artillery', 'bin', 'run');
const STAMP = join(ARTILLERY_HOME, `paychaos-artillery-${ARTILLERY_VERSION}.stamp`);
/** Artillery's console reporter prints this when a worker's first phase starts. */
const PHASE_STARTED = 'Phase started';
const OUTPUT_CHECK_MS = 50;
const STOP_GRACE_MS = 5_000;

export class ArtilleryUnavailable extends Error {
  override name = 'ArtilleryUnavailable';
}

/** The pinned Artillery's version, or ArtilleryUnavailable naming the script that installs it. */
export function artilleryVersion(): string {
  if (!existsSync(STAMP) || !existsSync(ARTILLERY_BIN)) {
    throw new ArtilleryUnavailable(
      `artillery ${ARTILLERY_VERSION} is not provisioned (${ARTILLERY_HOME}): run scripts/provision-artillery.sh`,
    );
  }
  const manifest = join(ARTILLERY_HOME, 'node_modules', 'artillery', 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  if (version !== ARTILLERY_VERSION) {
    throw new ArtilleryUnavailable(
      `${ARTILLERY_HOME} holds artillery ${version}, not ${ARTILLERY_VERSION}: run scripts/provision-artillery.sh`,
    );
  }
  return version;
}

export interface WorkerProcessSpec {
  region: string;
  scriptFile: string;
  /** Where the worker's op log goes (PAYCHAOS_LOG_DIR). */
  logDir: string;
  /** Artillery's own stdout and stderr. */
  outputFile: string;
  /** Artillery's JSON report (its metrics: the `paychaos.*` counters, latency). */
  reportFile: string;
}

/** One Artillery process: a worker of one region. */
export class ArtilleryProcess {
  private readonly child: ChildProcess;
  private output = '';
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(readonly spec: WorkerProcessSpec) {
    const out = createWriteStream(spec.outputFile);
    this.child = spawn(
      process.execPath,
      [ARTILLERY_BIN, 'run', '-e', spec.region, '--output', spec.reportFile, spec.scriptFile],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ARTILLERY_DISABLE_TELEMETRY: 'true',
          PAYCHAOS_LOG_DIR: spec.logDir,
        },
      },
    );
    const keep = (chunk: Buffer) => {
      out.write(chunk);
      // Only the start is looked at (the phase line); the rest goes to the file alone.
      if (this.output.length < 64 * 1024) this.output += chunk.toString('utf8');
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.child.on('exit', (code, signal) => {
      this.exit = { code, signal };
      out.end();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves when its first phase started; rejects if it exited first or took over `msMax`. */
  async started(msMax: number): Promise<void> {
    const deadline = Date.now() + msMax;
    while (!this.output.includes(PHASE_STARTED)) {
      if (this.exit !== null) throw this.failure('exited before its first phase started');
      if (Date.now() > deadline) throw this.failure(`started no phase within ${msMax} ms`);
      await sleep(OUTPUT_CHECK_MS);
    }
  }

  /** Resolves when it exited 0; rejects on another exit or after `msMax`. */
  async finished(msMax: number): Promise<void> {
    const deadline = Date.now() + msMax;
    while (this.exit === null) {
      if (Date.now() > deadline) throw this.failure(`still running after ${msMax} ms`);
      await sleep(OUTPUT_CHECK_MS);
    }
    if (this.exit.code !== 0)
      throw this.failure(`exited with ${this.exit.code ?? this.exit.signal}`);
  }

  /** SIGINT (Artillery stops its phases), then SIGKILL if it is still there after a grace. */
  async stop(): Promise<void> {
    if (this.exit !== null) return;
    this.child.kill('SIGINT');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (this.exit === null && Date.now() < deadline) await sleep(OUTPUT_CHECK_MS);
    if (this.exit === null) this.child.kill('SIGKILL');
  }

  private failure(what: string): Error {
    return new Error(
      `artillery worker of ${this.spec.region} ${what} (its output: ${this.spec.outputFile})`,
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
