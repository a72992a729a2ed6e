/**
 * Everything the three report files say, gathered once: the run's identity and hypothesis, the
 * conclusion sentence, the verdicts, the anomalies (as results.json keeps them: capped per type,
 * with full counts; each with the time it happened) and their groups, the measured figures and
 * the history's aggregates.
 */
import type { Anomaly, Validity } from '../checkers/checker.ts';
import type { HistoryAggregates } from './aggregate-history.ts';
import { type AnomalyGroup, groupAnomalies } from './anomaly-groups.ts';
import { anomaliesStory, conclusion } from './conclusion.ts';
import { type MeasuredLag, measuredLagOf } from './measured-lag.ts';
import { type Measures, measuresOf } from './measures.ts';
import { reproduceCommand } from './reproduce.ts';
import type { RunInputs } from './run-inputs.ts';
import { anomalyCountsOf } from './verdict-text.ts';

export interface CheckerSummary {
  name: string;
  valid: Validity;
  error: string | null;
  counts: [string, number][];
  anomalies: Anomaly[];
}

/** An anomaly as the report lists it: which checker found it, and its place in the list. */
export interface ReportAnomaly extends Anomaly {
  checker: string;
  /** Position in the report's list, 0-based; the timeline refers to it. */
  n: number;
  /** When it happened on the run's clock (see anomaly-times.ts); null when unknown. */
  atMs: number | null;
}

export interface ReportModel {
  title: string;
  dir: string;
  valid: Validity;
  description: string | null;
  hypothesis: string | null;
  reproduce: string;
  /** The first sentence of every report format (conclusion.ts). */
  conclusion: string;
  facts: [string, string][];
  checkers: CheckerSummary[];
  anomalies: ReportAnomaly[];
  groups: AnomalyGroup[];
  /** Per invalid checker, its anomalies in one sentence (the JUnit failure message). */
  checkerStories: Record<string, string>;
  measures: Measures;
  /** The replication lag the target measured (lag.jsonl); null when it measured none. */
  measuredLag: MeasuredLag | null;
  aggregates: HistoryAggregates;
}

/** Every anomaly the results keep, checker by checker, in results order. */
export function anomaliesOf(inputs: Pick<RunInputs, 'results'>): ReportAnomaly[] {
  const list: ReportAnomaly[] = [];
  for (const [checker, result] of Object.entries(inputs.results.checkers)) {
    for (const anomaly of result.anomalies) {
      list.push({ ...anomaly, checker, n: list.length, atMs: null });
    }
  }
  return list;
}

function factsOf(inputs: RunInputs, aggregates: HistoryAggregates): [string, string][] {
  const run = inputs.run;
  const facts: [string, string][] = [];
  const add = (label: string, value: string | number | undefined): void => {
    if (value !== undefined) facts.push([label, String(value)]);
  };
  add('scenario', run?.scenario);
  add('target', run?.target);
  add('seed', run?.seed);
  add('planted bugs', run?.bugs === undefined ? undefined : run.bugs.join(', ') || 'none');
  add('started', run?.startedAt);
  add('regions', run?.resolvedScenario?.regions?.join(', '));
  add('history', `${aggregates.linesCount} lines, ${aggregates.clientOpsCount} client ops`);
  add('history time', `${(aggregates.lastTimeMs / 1000).toFixed(1)} s`);
  add('wall time', run?.wallMs === undefined ? undefined : `${(run.wallMs / 1000).toFixed(1)} s`);
  add('paychaos', run?.version);
  add('run directory', inputs.dir);
  return facts;
}

export function buildReportModel(inputs: RunInputs, aggregates: HistoryAggregates): ReportModel {
  const checkers = Object.entries(inputs.results.checkers).map(([name, result]) => ({
    name,
    valid: result.valid,
    error: result.error ?? null,
    counts: [...anomalyCountsOf(result)],
    anomalies: result.anomalies,
  }));
  const anomalies = anomaliesOf(inputs).map((anomaly) => ({
    ...anomaly,
    atMs: aggregates.anomalyTimesMs[anomaly.n] ?? null,
  }));
  const groups = groupAnomalies(
    anomalies.map((anomaly) => ({
      anomaly,
      n: anomaly.n,
      checker: anomaly.checker,
      atMs: anomaly.atMs,
    })),
    (checker, type) =>
      checkers
        .find((summary) => summary.name === checker)
        ?.counts.find(([name]) => name === type)?.[1] ?? 0,
  );
  const faults = aggregates.faults;
  const checkerStories: Record<string, string> = {};
  for (const checker of checkers) {
    if (checker.valid !== false) continue;
    const own = groups.filter((group) => group.checker === checker.name);
    checkerStories[checker.name] = anomaliesStory([checker], own, faults);
  }
  const hypothesis = inputs.run?.resolvedScenario?.hypothesis ?? null;
  return {
    title: inputs.title,
    dir: inputs.dir,
    valid: inputs.results.valid,
    description: inputs.run?.resolvedScenario?.description ?? null,
    hypothesis,
    reproduce: reproduceCommand(inputs),
    conclusion: conclusion({
      valid: inputs.results.valid,
      hasHypothesis: hypothesis !== null,
      checkers,
      groups,
      faults,
      clientOpsCount: aggregates.clientOpsCount,
      lastTimeMs: aggregates.lastTimeMs,
    }),
    facts: factsOf(inputs, aggregates),
    checkers,
    anomalies,
    groups,
    checkerStories,
    measures: measuresOf(inputs.results),
    measuredLag: inputs.lag === null ? null : measuredLagOf(inputs.lag),
    aggregates,
  };
}
