/**
 * `paychaos report <run-dir>`: reads results.json and run.json, streams history.jsonl once, and
 * writes report.html, junit.xml and summary.md beside them (each through a temporary file and a
 * rename, so a reader never sees half a report).
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregateHistory } from './aggregate-history.ts';
import { reportHtml } from './html/report-html.ts';
import { type JunitSuiteInput, junitXml } from './junit-xml.ts';
import { anomaliesOf, buildReportModel, type ReportModel } from './report-model.ts';
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

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

export function junitSuiteOf(inputs: RunInputs, model: ReportModel): JunitSuiteInput {
  const properties: Record<string, string> = {};
  for (const [label, value] of model.facts) properties[label] = value;
  properties.reproduce = model.reproduce;
  return {
    name: model.title,
    results: inputs.results,
    properties,
    timeS: (inputs.run?.wallMs ?? 0) / 1000,
    timestamp: inputs.run?.startedAt ?? null,
    reproduce: model.reproduce,
  };
}

export function writeReport(
  dir: string,
  options: { onWarning?: (message: string) => void } = {},
): WrittenReport {
  const inputs = readRunInputs(dir);
  const aggregates = aggregateHistory(inputs.historyFile, anomaliesOf(inputs), options.onWarning);
  const model = buildReportModel(inputs, aggregates);
  const files: ReportFiles = {
    html: join(inputs.dir, 'report.html'),
    junit: join(inputs.dir, 'junit.xml'),
    summary: join(inputs.dir, 'summary.md'),
  };
  writeAtomically(files.html, reportHtml(model));
  writeAtomically(files.junit, junitXml([junitSuiteOf(inputs, model)]));
  writeAtomically(files.summary, summaryMarkdown(model));
  return { files, model, inputs };
}
