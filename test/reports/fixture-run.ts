/**
 * A small run directory for the report tests, as `paychaos run` would leave it: a concurrent
 * history over two regions (six clients at a time, overlapping ops, ok/fail/info outcomes, a
 * client pending at the end), an isolate fault with a failover inside it, and one planted bug: a
 * withdrawal acknowledged without the funds, so a consistent read and the final reads show
 * account `a` below zero.
 * results.json comes from the real checkers; run.json names the scenario and seed.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkHistoryFile } from '../../checkers/check-session.ts';
import { CHECKERS } from '../../checkers/registry.ts';
import type { Results } from '../../checkers/verdict.ts';
import type { OpDraft } from '../../history/op.ts';

export const REGIONS = ['ap-northeast-1', 'ap-northeast-3'] as const;
const MS = 1_000_000;
const CLIENTS = 6;
const RUN_MS = 10_000;

interface Event {
  draft: OpDraft;
  /** Tie-break so that, at equal times, lines keep the order they were made in. */
  order: number;
}

/** Deterministic pseudo-random numbers: the fixture is the same on every machine. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function fillerEvents(random: () => number, events: Event[]): void {
  let nextProcess = CLIENTS;
  for (let slot = 0; slot < CLIENTS; slot += 1) {
    let process = slot;
    let timeMs = 5 + slot * 7;
    for (let opCount = 0; opCount < 400 && timeMs < RUN_MS; opCount += 1) {
      const region = REGIONS[process % 2] ?? REGIONS[0];
      const latencyMs = 5 + Math.floor(random() * (random() < 0.05 ? 400 : 40));
      const roll = random();
      const type = roll < 0.85 ? 'ok' : roll < 0.95 ? 'fail' : 'info';
      const push = (draft: OpDraft): void => {
        events.push({ draft, order: events.length });
      };
      push({ time: timeMs * MS, process, type: 'invoke', f: 'balances', value: null, region });
      const result = { balances: { a: 100, b: 0 }, consistent: false };
      push({
        time: (timeMs + latencyMs) * MS,
        process,
        type,
        f: 'balances',
        ...(type === 'ok'
          ? { value: result }
          : { error: type === 'fail' ? 'unavailable' : 'timeout' }),
        region,
      });
      timeMs += latencyMs + 1 + Math.floor(random() * 20);
      if (type === 'info') {
        process = nextProcess;
        nextProcess += 1;
      }
    }
  }
}

function plantedEvents(events: Event[]): void {
  const region = REGIONS[0];
  const lines: OpDraft[] = [
    { time: 0, process: 'setup', type: 'ok', f: 'init', value: { accounts: { a: 100, b: 0 } } },
    {
      time: 1_000 * MS,
      process: 100,
      type: 'invoke',
      f: 'transfer',
      value: { id: 't1', from: 'a', to: 'b', amount: 30 },
      region,
    },
    {
      time: 1_020 * MS,
      process: 100,
      type: 'ok',
      f: 'transfer',
      value: { id: 't1', from: 'a', to: 'b', amount: 30 },
      region,
    },
    { time: 3_000 * MS, process: 'nemesis', type: 'info', f: 'start-isolate', value: { region } },
    {
      time: 4_000 * MS,
      process: 'nemesis',
      type: 'info',
      f: 'failover',
      value: { cluster: 'ledger', from: region, to: REGIONS[1] },
    },
    {
      time: 5_000 * MS,
      process: 101,
      type: 'invoke',
      f: 'withdraw',
      value: { id: 'w1', account: 'a', amount: 200 },
      region: REGIONS[1],
    },
    {
      time: 5_030 * MS,
      process: 101,
      type: 'ok',
      f: 'withdraw',
      value: { id: 'w1', account: 'a', amount: 200 },
      region: REGIONS[1],
    },
    {
      time: 5_100 * MS,
      process: 103,
      type: 'invoke',
      f: 'balances',
      value: null,
      region: REGIONS[1],
    },
    {
      time: 5_120 * MS,
      process: 103,
      type: 'ok',
      f: 'balances',
      value: { balances: { a: -130, b: 30 }, consistent: true },
      region: REGIONS[1],
    },
    { time: 6_000 * MS, process: 'nemesis', type: 'info', f: 'stop-isolate', value: { region } },
    { time: 9_990 * MS, process: 102, type: 'invoke', f: 'balances', value: null, region },
  ];
  for (const draft of lines) events.push({ draft, order: events.length });
}

function finalLines(): OpDraft[] {
  const timeNs = (RUN_MS + 1_000) * MS;
  const accounts = { a: -130, b: 30 };
  return [
    ...REGIONS.map((region) => ({
      time: timeNs,
      process: 'final' as const,
      type: 'ok' as const,
      f: 'final-read',
      value: { accounts },
      region,
    })),
    {
      time: timeNs,
      process: 'final',
      type: 'ok',
      f: 'ledger',
      value: {
        entries: [
          { tx: 't1', account: 'a', amount: -30 },
          { tx: 't1', account: 'b', amount: 30 },
          { tx: 'w1', account: 'a', amount: -200 },
        ],
      },
    },
  ];
}

export function fixtureHistoryText(seed = 7): string {
  const events: Event[] = [];
  plantedEvents(events);
  fillerEvents(lcg(seed), events);
  events.sort((x, y) => x.draft.time - y.draft.time || x.order - y.order);
  const drafts = [...events.map((event) => event.draft), ...finalLines()];
  return drafts.map((draft, index) => `${JSON.stringify({ index, ...draft })}\n`).join('');
}

export interface FixtureRun {
  dir: string;
  results: Results;
}

export function makeFixtureRun(
  options: { withRunJson?: boolean; withResults?: boolean } = {},
): FixtureRun {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-report-'));
  mkdirSync(join(dir, 'logs'));
  const historyFile = join(dir, 'history.jsonl');
  writeFileSync(historyFile, fixtureHistoryText());
  const results = checkHistoryFile(historyFile, { checkers: CHECKERS, timeoutS: 30 });
  if (options.withResults !== false)
    writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  if (options.withRunJson !== false) {
    const run = {
      scenario: 'fixture-isolation',
      file: 'scenarios/fixture isolation.ts',
      seed: 42,
      target: 'sim',
      bugs: ['funds-check-on-replica'],
      startedAt: '2026-11-23T12:00:00.000Z',
      wallMs: 1234,
      version: '0.1.0',
      resolvedScenario: {
        description: 'ap-northeast-1 is cut off for 3 s & the ledger fails over.',
        hypothesis: 'Cutting <Tokyo> off loses no acknowledged payment.',
        regions: [...REGIONS],
      },
    };
    writeFileSync(join(dir, 'run.json'), JSON.stringify(run));
  }
  return { dir, results };
}
