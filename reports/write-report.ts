/**
 * `paychaos report <run-dir>`: reads results.json and run.json, streams history.jsonl once, and
 * writes report.html, junit.xml and summary.md beside them (each through a temporary file and a
 * rename, so a reader never sees half a report).
 */

import { join } from 'node:path';
import { writeFileAtomically } from '../lib/atomic-write.ts';
import { aggregateHistory } from './aggregate-history.ts';
import { reportHtml } from './html/report-html.ts';
import { type JunitSuiteInput, junitXml } from './junit-xml.ts';
import { anomaliesOf, buildReportModel, type ReportModel } from './report-model.ts';
import { reproduceCommand } from './reproduce.ts';
import { type RunInputs, readRunInputs } from './run-inputs.ts';
import { summaryMarkdown } from './summary-md.ts';

export interface ReportFiles {
  html: string;
  junit: string;
  summary: string;
}

export interface WrittenReport {
  files: ReportFiles;
  model: ReportModel;
  inputs: RunInputs;
}

/**
 * A run's <testsuite> (the suite reuses it). Its failure messages tell the report's story, which
 * needs the history's aggregates (when each anomaly happened, the faults): without a model, an
 * invalid run's history is streamed once more to build one.
 */
export function junitSuiteOf(inputs: RunInputs, model?: ReportModel): JunitSuiteInput {
  const run = inputs.run;
  const stories =
    model?.checkerStories ?? (inputs.results.valid === false ? modelOf(inputs).checkerStories : {});
  const reproduce = reproduceCommand(inputs);
  const properties: Record<string, string> = {};
  if (run?.scenario !== undefined) properties.scenario = run.scenario;
  if (run?.target !== undefined) properties.target = run.target;
  if (run?.seed !== undefined) properties.seed = String(run.seed);
  if (run?.bugs !== undefined) properties.bugs = run.bugs.join(',');
  properties.runDir = inputs.dir;
  properties.reproduce = reproduce;
  return {
    name: inputs.title,
    results: inputs.results,
    properties,
    timeS: (run?.wallMs ?? 0) / 1000,
    timestamp: run?.startedAt ?? null,
    reproduce,
    stories,
  };
}

function modelOf(inputs: RunInputs, onWarning?: (message: string) => void): ReportModel {
  const aggregates = aggregateHistory(inputs.historyFile, anomaliesOf(inputs), onWarning);
  return buildReportModel(inputs, aggregates);
}

export function writeReport(
  dir: string,
  options: { onWarning?: (message: string) => void } = {},
): WrittenReport {
  const inputs = readRunInputs(dir);
  const model = modelOf(inputs, options.onWarning);
  const files: ReportFiles = {
    html: join(inputs.dir, 'report.html'),
    junit: join(inputs.dir, 'junit.xml'),
    summary: join(inputs.dir, 'summary.md'),
  };
  writeFileAtomically(files.html, reportHtml(model));
  writeFileAtomically(files.junit, junitXml([junitSuiteOf(inputs, model)]));
  writeFileAtomically(files.summary, summaryMarkdown(model));
  return { files, model, inputs };
}
