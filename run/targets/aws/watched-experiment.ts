/**
 * One running FIS experiment, polled in one loop from its start to its end (so that every status
 * is seen in order, by one reader): `started` settles when FIS reports its actions started,
 * `ended` when it reaches a terminal status. An experiment that ends without paychaos asking,
 * stopped or failed, is a stop condition firing (or FIS giving up): `onUnasked` hears it once.
 */
import type { FisClient } from '@aws-sdk/client-fis';
import { isTerminal } from '../../../targets/aws/experiment-state.ts';
import {
  type ExperimentSnapshot,
  FisExperiment,
  type WatchOptions,
} from '../../../targets/aws/fis-experiments.ts';

/** Polls of one experiment at most: 12 hours (FIS's longest) at one poll a second, and margin. */
const POLLS_MAX = 50_000;

export class WatchedExperiment {
  readonly started: Promise<ExperimentSnapshot>;
  readonly ended: Promise<ExperimentSnapshot>;
  private stopAsked = false;

  private constructor(
    readonly experiment: FisExperiment,
    private readonly options: WatchOptions,
    onUnasked: (why: string) => void,
  ) {
    let resolveStarted!: (s: ExperimentSnapshot) => void;
    let rejectStarted!: (e: unknown) => void;
    this.started = new Promise((resolve, reject) => {
      resolveStarted = resolve;
      rejectStarted = reject;
    });
    this.ended = this.loop(resolveStarted, onUnasked).catch((error: unknown) => {
      rejectStarted(error);
      throw error;
    });
    // Whoever waits on them hears a failure; these keep an unheard one from crashing the process.
    this.started.catch(() => undefined);
    this.ended.catch(() => undefined);
  }

  static async start(
    fis: FisClient,
    region: string,
    templateId: string,
    tags: Record<string, string>,
    options: WatchOptions,
    onUnasked: (why: string) => void,
  ): Promise<WatchedExperiment> {
    const experiment = await FisExperiment.start(fis, region, templateId, tags);
    return new WatchedExperiment(experiment, options, onUnasked);
  }

  get id(): string {
    return this.experiment.id;
  }

  get region(): string {
    return this.experiment.region;
  }

  get isOver(): boolean {
    return isTerminal(this.experiment.status);
  }

  /** Asks FIS to stop it (unless it already ended); `ended` says when it did. */
  async stop(): Promise<void> {
    this.stopAsked = true;
    await this.experiment.stop();
  }

  private async loop(
    resolveStarted: (s: ExperimentSnapshot) => void,
    onUnasked: (why: string) => void,
  ): Promise<ExperimentSnapshot> {
    let startedSeen = false;
    for (let poll = 0; poll < POLLS_MAX; poll += 1) {
      const snapshot = await this.experiment.poll();
      if (!startedSeen && (snapshot.actionsStartedAt !== null || isTerminal(snapshot.status))) {
        startedSeen = true;
        resolveStarted(snapshot);
      }
      if (isTerminal(snapshot.status)) {
        const unasked = snapshot.status !== 'completed' && !this.stopAsked;
        if (unasked) {
          onUnasked(
            `experiment ${this.id} in ${this.region} ${snapshot.status}${snapshot.reason === null ? '' : `: ${snapshot.reason}`}`,
          );
        }
        return snapshot;
      }
      await this.options.sleep(this.options.pollMs);
    }
    throw new Error(
      `experiment ${this.id} in ${this.region} did not end within ${POLLS_MAX} polls`,
    );
  }
}
