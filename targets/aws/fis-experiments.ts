/**
 * FIS experiments as paychaos drives them: a template is created per planned experiment, started
 * on schedule, polled with GetExperiment through its lifecycle (experiment-state.ts), and stopped
 * when paychaos says so or on any way out. Each wait is bounded; a poll that sees a step the
 * lifecycle does not allow throws.
 */
import {
  CreateExperimentTemplateCommand,
  type CreateExperimentTemplateRequest,
  DeleteExperimentTemplateCommand,
  type Experiment,
  type FisClient,
  GetExperimentCommand,
  ListExperimentsCommand,
  StartExperimentCommand,
  StopExperimentCommand,
} from '@aws-sdk/client-fis';
import {
  assertTransition,
  type ExperimentStatus,
  experimentStatusOf,
  isTerminal,
} from './experiment-state.ts';

/** Pages of ListExperiments `fis abort` reads at most (100 experiments a page). */
const LIST_PAGES_MAX = 50;

export interface ExperimentSnapshot {
  status: ExperimentStatus;
  reason: string | null;
  /** When the first action started and the last one ended, as FIS reports them. */
  actionsStartedAt: Date | null;
  actionsEndedAt: Date | null;
}

export async function createTemplate(
  fis: FisClient,
  template: CreateExperimentTemplateRequest,
): Promise<string> {
  const created = await fis.send(new CreateExperimentTemplateCommand(template));
  const id = created.experimentTemplate?.id;
  if (id === undefined) throw new Error('FIS created an experiment template without an id');
  return id;
}

export async function deleteTemplate(fis: FisClient, id: string): Promise<void> {
  await fis.send(new DeleteExperimentTemplateCommand({ id }));
}

function snapshotOf(experiment: Experiment, id: string): ExperimentSnapshot {
  const actions = Object.values(experiment.actions ?? {});
  const starts = actions.flatMap((a) => (a.startTime === undefined ? [] : [a.startTime.getTime()]));
  const ends = actions.flatMap((a) => (a.endTime === undefined ? [] : [a.endTime.getTime()]));
  const status = experimentStatusOf(experiment.state?.status);
  if (experiment.id !== undefined && experiment.id !== id) {
    throw new Error(`GetExperiment ${id} answered for experiment ${experiment.id}`);
  }
  return {
    status,
    reason: experiment.state?.reason ?? null,
    actionsStartedAt: starts.length === 0 ? null : new Date(Math.min(...starts)),
    actionsEndedAt:
      actions.length > 0 && ends.length === actions.length ? new Date(Math.max(...ends)) : null,
  };
}

export interface WatchOptions {
  pollMs: number;
  sleep: (ms: number) => Promise<void>;
}

/** One started experiment, followed by polling; every observed step is checked. */
export class FisExperiment {
  private last: ExperimentStatus = 'pending';

  private constructor(
    private readonly fis: FisClient,
    readonly id: string,
    readonly region: string,
  ) {}

  static async start(
    fis: FisClient,
    region: string,
    templateId: string,
    tags: Record<string, string>,
  ): Promise<FisExperiment> {
    const started = await fis.send(
      new StartExperimentCommand({ experimentTemplateId: templateId, tags }),
    );
    const id = started.experiment?.id;
    if (id === undefined)
      throw new Error(`FIS started template ${templateId} without an experiment id`);
    return new FisExperiment(fis, id, region);
  }

  /** An experiment started another way (a dry run), followed from its first poll. */
  static of(fis: FisClient, id: string, region: string): FisExperiment {
    return new FisExperiment(fis, id, region);
  }

  get status(): ExperimentStatus {
    return this.last;
  }

  async poll(): Promise<ExperimentSnapshot> {
    const answer = await this.fis.send(new GetExperimentCommand({ id: this.id }));
    if (answer.experiment === undefined)
      throw new Error(`GetExperiment ${this.id} returned nothing`);
    const snapshot = snapshotOf(answer.experiment, this.id);
    assertTransition(this.last, snapshot.status, this.id);
    this.last = snapshot.status;
    return snapshot;
  }

  /** Asks FIS to stop it unless it already ended; a stop that races its end is no error. */
  async stop(): Promise<void> {
    if (isTerminal(this.last)) return;
    try {
      await this.fis.send(new StopExperimentCommand({ id: this.id }));
    } catch (error) {
      const snapshot = await this.poll();
      if (!isTerminal(snapshot.status) && snapshot.status !== 'stopping') throw error;
    }
  }
}

/** Experiments in one region that carry every tag of `tags` and have not ended. */
export async function runningTagged(
  fis: FisClient,
  tags: Record<string, string>,
): Promise<string[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < LIST_PAGES_MAX; page += 1) {
    const answer = await fis.send(new ListExperimentsCommand({ maxResults: 100, nextToken }));
    for (const summary of answer.experiments ?? []) {
      const tagged = Object.entries(tags).every(([k, v]) => summary.tags?.[k] === v);
      const status = summary.state?.status;
      if (tagged && summary.id !== undefined && !isTerminal(experimentStatusOf(status))) {
        ids.push(summary.id);
      }
    }
    nextToken = answer.nextToken;
    if (nextToken === undefined) return ids;
  }
  throw new Error(`more than ${LIST_PAGES_MAX} pages of experiments; stop them in the FIS console`);
}

export async function stopExperiment(fis: FisClient, id: string): Promise<void> {
  await fis.send(new StopExperimentCommand({ id }));
}
