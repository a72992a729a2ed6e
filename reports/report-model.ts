/**
 * Everything the three report files say, gathered once: the run's identity and hypothesis, the
 * verdicts, the anomalies (as results.json keeps them: capped per type, with full counts), the
 * measured figures and the history's aggregates.
 */
import type { Anomaly, Validity } from '../checkers/checker.ts';
import type { HistoryAggregates } from './aggregate-history.ts';
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
}

export interface ReportModel {
  title: string;
  dir: string;
  valid: Validity;
  description: string | null;
  hypothesis: string | null;
  reproduce: string;
  facts: [string, string][];
  checkers: CheckerSummary[];
  anomalies: ReportAnomaly[];
  measures: Measures;
  aggregates: HistoryAggregates;
}

/** Every anomaly the results keep, checker by checker, in results order. */
export function anomaliesOf(inputs: Pick<RunInputs, 'results'>): ReportAnomaly[] {
  const list: ReportAnomaly[] = [];
  for (const [checker, result] of Object.entries(inputs.results.checkers)) {
    for (const anomaly of result.anomalies) list.push({ ...anomaly, checker, n: list.length });
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
  return {
    title: inputs.title,
    dir: inputs.dir,
    valid: inputs.results.valid,
    description: inputs.run?.resolvedScenario?.description ?? null,
    hypothesis: inputs.run?.resolvedScenario?.hypothesis ?? null,
    reproduce: reproduceCommand(inputs),
    facts: factsOf(inputs, aggregates),
    checkers,
    anomalies: anomaliesOf(inputs),
    measures: measuresOf(inputs.results),
    aggregates,
  };
}
