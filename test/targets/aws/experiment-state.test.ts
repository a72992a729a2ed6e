/**
 * The FIS experiment lifecycle as paychaos follows it (experiment-state.ts) and as one watched
 * experiment lives it through GetExperiment polls (aws-sdk-client-mock): the ways it may go
 * (pending, initiating, running, completed; stopping, stopped; failed; cancelled), polls that skip
 * states, and the ways it may not (a step back, a terminal state changing, an unknown status).
 */
import {
  FisClient,
  GetExperimentCommand,
  StartExperimentCommand,
  StopExperimentCommand,
} from '@aws-sdk/client-fis';
import { afterEach, describe, expect, it } from 'vitest';
import { WatchedExperiment } from '../../../run/targets/aws/watched-experiment.ts';
import {
  assertTransition,
  EXPERIMENT_STATUSES,
  type ExperimentStatus,
  experimentStatusOf,
  isTerminal,
} from '../../../targets/aws/experiment-state.ts';
import { type FisStub, fisStub } from '../../run/targets/aws/fis-stub.ts';

describe('the experiment lifecycle', () => {
  it('knows the eight statuses and which end it', () => {
    expect(EXPERIMENT_STATUSES).toEqual([
      'pending',
      'initiating',
      'running',
      'completed',
      'stopping',
      'stopped',
      'failed',
      'cancelled',
    ]);
    expect(EXPERIMENT_STATUSES.filter(isTerminal)).toEqual([
      'completed',
      'stopped',
      'failed',
      'cancelled',
    ]);
    expect(() => experimentStatusOf('paused')).toThrow(
      /status "paused", which paychaos does not know/,
    );
  });

  it('allows the ways forward, skipped polls included, and refuses a step back or out of an end', () => {
    const ok: [ExperimentStatus, ExperimentStatus][] = [
      ['pending', 'initiating'],
      ['initiating', 'running'],
      ['running', 'completed'],
      ['running', 'stopping'],
      ['stopping', 'stopped'],
      ['pending', 'running'],
      ['initiating', 'failed'],
      ['pending', 'cancelled'],
      ['running', 'running'],
    ];
    for (const [from, to] of ok) expect(() => assertTransition(from, to, 'EXP')).not.toThrow();
    const bad: [ExperimentStatus, ExperimentStatus][] = [
      ['running', 'pending'],
      ['running', 'initiating'],
      ['stopping', 'running'],
      ['completed', 'running'],
      ['stopped', 'stopping'],
      ['failed', 'completed'],
      ['running', 'cancelled'],
    ];
    for (const [from, to] of bad) {
      expect(() => assertTransition(from, to, 'EXP')).toThrow(
        `experiment EXP went from ${from} to ${to}`,
      );
    }
  });
});

describe('a watched experiment', () => {
  let fis: FisStub;
  afterEach(() => fis.restore());

  /** GetExperiment answers the statuses in order, then the last one again. */
  function script(
    statuses: { status: string; reason?: string; started?: boolean; ended?: boolean }[],
  ) {
    fis = fisStub();
    let poll = 0;
    const startedAt = new Date('2026-12-03T10:00:00Z');
    const endedAt = new Date('2026-12-03T10:01:00Z');
    fis.on(StartExperimentCommand, () => ({ experiment: { id: 'EXP1' } }));
    fis.on(StopExperimentCommand, () => ({}));
    fis.on(GetExperimentCommand, () => {
      const step = statuses[Math.min(poll, statuses.length - 1)]!;
      poll += 1;
      return {
        experiment: {
          id: 'EXP1',
          state: { status: step.status, reason: step.reason },
          actions: {
            cut: {
              actionId: 'aws:dynamodb:global-table-pause-replication',
              startTime: step.started === true ? startedAt : undefined,
              endTime: step.ended === true ? endedAt : undefined,
            },
          },
        },
      };
    });
  }

  async function watch(onUnasked: (why: string) => void = () => undefined) {
    return WatchedExperiment.start(
      new FisClient({ region: 'ap-northeast-1' }),
      'ap-northeast-1',
      'EXT1',
      { managedBy: 'paychaos' },
      { pollMs: 1, sleep: () => Promise.resolve() },
      onUnasked,
    );
  }

  it('starts when FIS reports its actions started and ends completed, with the actions times', async () => {
    script([
      { status: 'pending' },
      { status: 'initiating' },
      { status: 'running', started: true },
      { status: 'completed', started: true, ended: true },
    ]);
    const watched = await watch();
    expect((await watched.started).actionsStartedAt?.toISOString()).toBe(
      '2026-12-03T10:00:00.000Z',
    );
    const ended = await watched.ended;
    expect(ended).toMatchObject({ status: 'completed', reason: null });
    expect(ended.actionsEndedAt?.toISOString()).toBe('2026-12-03T10:01:00.000Z');
  });

  it('is stopped through stopping -> stopped when asked, and that is no stop condition', async () => {
    const unasked: string[] = [];
    script([
      { status: 'running', started: true },
      { status: 'running', started: true },
      { status: 'stopping', started: true },
      { status: 'stopped', started: true, ended: true },
    ]);
    const watched = await watch((why) => unasked.push(why));
    await watched.started;
    await watched.stop();
    expect((await watched.ended).status).toBe('stopped');
    expect(fis.sent()).toContain('StopExperimentCommand');
    expect(unasked).toEqual([]);
  });

  it('hears a stop condition when FIS stops it unasked', async () => {
    const unasked: string[] = [];
    script([
      { status: 'running', started: true },
      { status: 'stopped', reason: 'stop condition alarm', started: true, ended: true },
    ]);
    const watched = await watch((why) => unasked.push(why));
    await watched.ended;
    expect(unasked).toEqual(['experiment EXP1 in ap-northeast-1 stopped: stop condition alarm']);
  });

  it.each(['failed', 'cancelled'])(
    'ends %s before its actions ran, which starts and ends it',
    async (status) => {
      const unasked: string[] = [];
      script([{ status: 'pending' }, { status, reason: 'no targets' }]);
      const watched = await watch((why) => unasked.push(why));
      expect((await watched.started).status).toBe(status);
      expect((await watched.ended).status).toBe(status);
      expect(unasked).toEqual([`experiment EXP1 in ap-northeast-1 ${status}: no targets`]);
    },
  );

  it('fails loudly on a step back', async () => {
    script([{ status: 'running', started: true }, { status: 'initiating' }]);
    const watched = await watch();
    await expect(watched.ended).rejects.toThrow('experiment EXP1 went from running to initiating');
  });
});
