/**
 * The `aws` target: a game day on the team's own two-region environment (docs/game-day.md).
 * `up` verifies the caller against the allowlist (nothing touches AWS before), plans the
 * scenario's faults as FIS templates (fis-plan.ts) and creates them; the clients are the regional
 * endpoints over HTTP, which the session also hands to an external load engine (`endpoints`,
 * `--load artillery`). A fault's start starts its experiments and its nemesis line is written once
 * FIS reports the actions started; its stop stops them and the line is written once they ended
 * (run/target.ts, `NemesisSeen`). An Aurora global failover is RDS FailoverGlobalCluster, called on
 * schedule. Every exit path ends every experiment: heal on a normal end or an interruption, down
 * on every path (an exception, a second signal); an experiment that a stop condition ended tells
 * the run to stop (`onStopCondition`), which then ends like an interrupted run. Replication lag
 * is sampled into the run directory's lag.jsonl from up to the heal's end (lag-sampler.ts).
 */
import { join } from 'node:path';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FailoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import type pg from 'pg';
import { bankConfig } from '../../../bank/bank-config.ts';
import type { FaultKind } from '../../../faults/fault.ts';
import type { NemesisAction } from '../../../faults/nemesis-action.ts';
import { LAG_FILE } from '../../../history/lag-samples.ts';
import { HttpTransport } from '../../../load/http-transport.ts';
import { verifyCaller } from '../../../targets/aws/caller-allowlist.ts';
import { createTemplate, deleteTemplate } from '../../../targets/aws/fis-experiments.ts';
import { sleepMs } from '../../../targets/local/wait-until.ts';
import { Prng } from '../../../targets/sim/prng.ts';
import type { NemesisSeen, Target, TargetSession, TargetUpOptions } from '../../target.ts';
import { realClock } from '../local/real-clock.ts';
import type { AwsClients } from './aws-clients.ts';
import type { AwsConfig } from './aws-config.ts';
import { readAwsFinalState } from './aws-final-state.ts';
import { AWS_FAULTS, ConfigMismatch, type PlanStep, planFis, templateTags } from './fis-plan.ts';
import { GatedTransport } from './gated-transport.ts';
import { LagSampler } from './lag-sampler.ts';
import { WatchedExperiment } from './watched-experiment.ts';

export const AWS_TARGET_NAME = 'aws';

/** Bounds of the waits on AWS. */
const STARTED_MS_MAX = 180_000;
const ENDED_MS_MAX = 300_000;
const DOWN_MS_MAX = 60_000;
const ADVANCE_MS_MAX = 3_600_000;
const HTTP_REQUEST_TIMEOUT_MS = 30_000;

export interface AwsTargetDeps {
  clients: AwsClients;
  /** A DynamoDB client for the final-state Scan in `region`. */
  dynamodb: (region: string) => DynamoDBClient;
  /** How to reach the Aurora writer in `region` for the ledger and the saga log. */
  writerSql: (region: string) => pg.ClientConfig;
  /** CloudWatch in `region`, where its replicas' ReplicationLatency is published. */
  cloudwatch: (region: string) => CloudWatchClient;
  /** Heard once, when an experiment ends without paychaos asking (a stop condition fired). */
  onStopCondition: (why: string) => void;
  sleep: (ms: number) => Promise<void>;
  /** Lets replication and the service settle after the faults are stopped (on AWS: quiesceMs). */
  quiesce: () => Promise<void>;
}

/**
 * Under Artillery (or any load outside this process), `isolate` is refused rather than half
 * applied: its FIS part would run but the clients' cut (gated-transport.ts) cannot reach other
 * processes' workers, and a region cut off from the other regions while every client still
 * reaches it is another fault under the same name. The FIS-only cut is `partition`.
 */
export const AWS_FAULTS_REFUSED_UNDER_EXTERNAL_LOAD = {
  isolate:
    "paychaos cuts its own clients off an isolated region (FIS cuts no internet client) and cannot cut Artillery's workers; partition the region from each other one for FIS's cut alone, or run with --load node",
} as const;

/** The target as the registry lists it: it needs the config, which `--config` gives. */
export const awsTargetWithoutConfig: Target = {
  name: AWS_TARGET_NAME,
  faults: AWS_FAULTS,
  faultsRefusedUnderExternalLoad: AWS_FAULTS_REFUSED_UNDER_EXTERNAL_LOAD,
  up: () =>
    Promise.reject(
      new ConfigMismatch(
        'target aws needs the game day config: --config paychaos.aws.ts (docs/game-day.md)',
      ),
    ),
};

export function awsTarget(config: AwsConfig, deps: AwsTargetDeps): Target {
  return {
    name: AWS_TARGET_NAME,
    faults: AWS_FAULTS,
    faultsRefusedUnderExternalLoad: AWS_FAULTS_REFUSED_UNDER_EXTERNAL_LOAD,
    up: (options) => up(config, deps, options),
  };
}

/** The SDK's own clients and the config's Aurora endpoint; credentials from the SDK's chain. */
export function defaultAwsDeps(
  config: AwsConfig,
  clients: AwsClients,
  onStopCondition: (why: string) => void,
): AwsTargetDeps {
  return {
    clients,
    dynamodb: (region) => new DynamoDBClient({ region, maxAttempts: 3 }),
    writerSql: (region) => {
      const aurora = config.aurora;
      const endpoint = config.regions[region]?.auroraEndpoint;
      if (aurora === undefined || endpoint === undefined) {
        throw new ConfigMismatch(
          `regions.${region}.auroraEndpoint and aurora are needed to read the ledger`,
        );
      }
      const [host, port] = endpoint.split(':');
      return {
        host,
        port: port === undefined ? 5432 : Number(port),
        database: aurora.database,
        user: process.env[aurora.userEnv],
        password: process.env[aurora.passwordEnv],
        ssl: true,
        connectionTimeoutMillis: 10_000,
        query_timeout: 60_000,
      };
    },
    cloudwatch: (region) => clients.cloudwatch(region),
    onStopCondition,
    sleep: sleepMs,
    quiesce: () => sleepMs(config.quiesceMs),
  };
}

async function up(
  config: AwsConfig,
  deps: AwsTargetDeps,
  { scenario, seed, runDir }: TargetUpOptions,
) {
  // The plan touches no AWS API: a fault it refuses is refused before the caller is looked at.
  const runId = `${scenario.name}-${new Date().toISOString().replace(/[:.]/g, '-')}-seed${seed}`;
  const steps = planFis(scenario, config, runId);
  const regions = [...new Set([...scenario.regions, ...Object.keys(config.regions)])];
  await verifyCaller(deps.clients.sts(), config.allow, regions);
  const templates = new Map<PlanStep, string>();
  try {
    for (const step of steps) {
      if (step.step !== 'fis-experiment') continue;
      templates.set(step, await createTemplate(deps.clients.fis(step.region), step.template));
    }
  } catch (error) {
    await deleteTemplates(deps, templates).catch(() => undefined);
    throw error;
  }
  const writer = scenario.clusters[0]?.writer ?? scenario.regions[0]!;
  const gameDay = new GameDay(config, deps, {
    runId,
    scenarioName: scenario.name,
    steps,
    templates,
    writer,
  });
  const endpoints = Object.fromEntries(
    scenario.regions.map((r) => [r, config.regions[r]!.endpoint]),
  );
  const clients = new GatedTransport(
    new HttpTransport({ endpoints, requestTimeoutMs: HTTP_REQUEST_TIMEOUT_MS }),
  );
  gameDay.transport = clients;
  const clock = realClock();
  const lag =
    runDir === undefined
      ? undefined
      : new LagSampler({
          config,
          regions: scenario.regions,
          clock,
          writerRegion: () => gameDay.writerRegion,
          writerSql: deps.writerSql,
          cloudwatch: deps.cloudwatch,
          file: join(runDir, LAG_FILE),
        });
  const session: TargetSession = {
    clock,
    prng: new Prng(seed),
    clients,
    endpoints,
    // The service holds the scenario's accounts and the payment API's system accounts (the hold).
    accounts: () => [...bankConfig(scenario.bank.accounts, [], writer).accounts.values()],
    advance: (ms) => {
      if (!(ms >= 0 && ms <= ADVANCE_MS_MAX))
        throw new Error(`advance: expected 0..${ADVANCE_MS_MAX} ms, got ${ms}`);
      return deps.sleep(ms);
    },
    inject: (action) => gameDay.inject(action),
    heal: async () => {
      await gameDay.stopAll(ENDED_MS_MAX);
      clients.rejoinAll();
      await deps.quiesce();
      await lag?.finish();
    },
    readFinalState: (keys) =>
      readAwsFinalState(
        {
          config,
          regions: scenario.regions,
          dynamodb: deps.dynamodb,
          writerSql: () => deps.writerSql(gameDay.writerRegion),
        },
        keys,
      ),
    down: async () => {
      const errors: unknown[] = [];
      await gameDay.stopAll(DOWN_MS_MAX).catch((error: unknown) => errors.push(error));
      await lag?.finish().catch((error: unknown) => errors.push(error));
      await deleteTemplates(deps, templates).catch((error: unknown) => errors.push(error));
      deps.clients.destroy();
      if (errors.length > 0) throw errors[0];
      return { lostCommits: null };
    },
  };
  return session;
}

async function deleteTemplates(
  deps: AwsTargetDeps,
  templates: Map<PlanStep, string>,
): Promise<void> {
  const errors: unknown[] = [];
  for (const [step, id] of templates) {
    await deleteTemplate(deps.clients.fis(step.region), id).catch((error: unknown) =>
      errors.push(error),
    );
  }
  templates.clear();
  if (errors.length > 0) throw errors[0];
}

interface GameDayPlan {
  runId: string;
  scenarioName: string;
  steps: PlanStep[];
  templates: Map<PlanStep, string>;
  writer: string;
}

/** The faults of one game day as they happen: experiments started, stopped, the writer moved. */
class GameDay {
  transport: GatedTransport | undefined;
  writerRegion: string;
  private readonly byFault = new Map<number, Promise<WatchedExperiment[]>>();
  private stopConditionHeard = false;

  constructor(
    private readonly config: AwsConfig,
    private readonly deps: AwsTargetDeps,
    private readonly plan: GameDayPlan,
  ) {
    this.writerRegion = plan.writer;
  }

  inject(action: NemesisAction): Promise<NemesisSeen> {
    if (action.edge === 'instant') return this.failover(action);
    if (action.f === 'start-isolate') this.transport?.isolate(action.value.region);
    if (action.f === 'stop-isolate') this.transport?.rejoin(action.value.region);
    return action.edge === 'start' ? this.startFault(action) : this.stopFault(action);
  }

  private stepsOf(action: NemesisAction): PlanStep[] {
    const steps = this.plan.steps.filter((step) => step.faultIndex === action.faultIndex);
    if (steps.length === 0)
      throw new Error(`no planned step for faults[${action.faultIndex}] (${action.f})`);
    return steps;
  }

  private async startFault(action: NemesisAction): Promise<NemesisSeen> {
    const kind = action.f.replace(/^(start|kill)-/, '') as FaultKind;
    const tags = templateTags(
      this.config,
      this.plan.runId,
      this.plan.scenarioName,
      action.faultIndex,
    );
    const starting = Promise.all(
      this.stepsOf(action).map((step) => {
        const templateId = this.plan.templates.get(step);
        if (templateId === undefined)
          throw new Error(`faults[${action.faultIndex}] ${kind}: no template`);
        return WatchedExperiment.start(
          this.deps.clients.fis(step.region),
          step.region,
          templateId,
          tags,
          { pollMs: this.config.pollMs, sleep: this.deps.sleep },
          (why) => this.heardStopCondition(why),
        );
      }),
    );
    // Kept before it settles: a stop, or an exit, that comes while FIS is starting it still stops it.
    this.byFault.set(action.faultIndex, starting);
    const watched = await starting;
    const snapshots = await within(
      Promise.all(watched.map((w) => w.started)),
      `${action.f} to start`,
      STARTED_MS_MAX,
    );
    return {
      fis: watched.map((w, i) => ({
        experiment: w.id,
        region: w.region,
        status: snapshots[i]!.status,
        actionsStartedAt: snapshots[i]!.actionsStartedAt?.toISOString() ?? null,
      })),
    };
  }

  private async stopFault(action: NemesisAction): Promise<NemesisSeen> {
    const watched = (await this.byFault.get(action.faultIndex)) ?? [];
    await Promise.all(watched.map((w) => w.stop()));
    const snapshots = await within(
      Promise.all(watched.map((w) => w.ended)),
      `${action.f} to end`,
      ENDED_MS_MAX,
    );
    return {
      fis: watched.map((w, i) => ({
        experiment: w.id,
        region: w.region,
        status: snapshots[i]!.status,
        actionsEndedAt: snapshots[i]!.actionsEndedAt?.toISOString() ?? null,
      })),
    };
  }

  private async failover(action: NemesisAction): Promise<NemesisSeen> {
    const [step] = this.stepsOf(action);
    if (step?.step !== 'rds-failover-global-cluster')
      throw new Error(`faults[${action.faultIndex}]: not a failover`);
    await this.deps.clients.rds(step.region).send(new FailoverGlobalClusterCommand(step.input));
    this.writerRegion = step.region;
    return {
      rds: {
        call: 'FailoverGlobalCluster',
        globalCluster: step.input.GlobalClusterIdentifier ?? null,
        target: step.input.TargetDbClusterIdentifier ?? null,
        allowDataLoss: true,
      },
    };
  }

  private heardStopCondition(why: string): void {
    if (this.stopConditionHeard) return;
    this.stopConditionHeard = true;
    this.deps.onStopCondition(why);
  }

  /** Stops every experiment that has not ended and waits, at most `msMax`, for each to end. */
  async stopAll(msMax: number): Promise<void> {
    const started = await Promise.allSettled(this.byFault.values());
    const all = started
      .flatMap((s) => (s.status === 'fulfilled' ? s.value : []))
      .filter((w) => !w.isOver);
    const stops = await Promise.allSettled(all.map((w) => w.stop()));
    await within(Promise.all(all.map((w) => w.ended)), 'every experiment to end', msMax);
    const failed = stops.find((s) => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }
}

async function within<T>(promise: Promise<T>, what: string, msMax: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${msMax} ms for ${what}`)), msMax);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
