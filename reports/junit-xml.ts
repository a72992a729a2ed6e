/**
 * junit.xml: one <testsuite> per scenario run, one <testcase> per checker. An invalid checker is a
 * <failure> whose message is the counts of every type and the checker's story, the same sentence
 * report.html and summary.md lead with ("negative-balance x96: 96 negative balances on customer-0
 * between 42.3 s and 61.7 s, after Tokyo was isolated at 20.1 s"), and whose text lists its
 * anomaly messages (the kept ones, and how many more each type had); an "unknown" checker is an <error>: the harness could not judge, which CI must see but
 * which is not a proven violation. The run's seed and reproduce command go in <properties> and
 * <system-out>, where CI tools show them next to the failure.
 */
import type { CheckResult } from '../checkers/checker.ts';
import type { Results } from '../checkers/verdict.ts';
import { escapeXml } from './escape.ts';
import { anomalyCountsOf, countsText } from './verdict-text.ts';

export interface JunitSuiteInput {
  name: string;
  results: Results;
  properties: Record<string, string>;
  /** Wall time of the run, seconds; 0 when unknown. */
  timeS: number;
  timestamp: string | null;
  reproduce: string;
  /** Per invalid checker, its anomalies in one sentence (report-model.ts's checkerStories). */
  stories: Record<string, string>;
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
}

function failureBody(result: CheckResult, story: string | undefined): string {
  const counts = anomalyCountsOf(result);
  const messages = result.anomalies.map(
    (anomaly) => `${anomaly.type}: ${anomaly.message} [ops ${anomaly.ops.join(', ')}]`,
  );
  for (const [type, count] of counts) {
    const kept = result.anomalies.filter((anomaly) => anomaly.type === type).length;
    if (count > kept) messages.push(`${type}: ... and ${count - kept} more`);
  }
  return [...(story === undefined ? [] : [`${story}.`, '']), ...messages].join('\n');
}

function testcase(
  suite: string,
  name: string,
  result: CheckResult,
  story: string | undefined,
): string {
  const head = `    <testcase${attributes({ classname: `paychaos.${suite}`, name, time: 0 })}`;
  if (result.valid === true) return `${head}/>`;
  if (result.valid === false) {
    const counts = anomalyCountsOf(result);
    const first = result.anomalies[0];
    const detail = story ?? first?.message;
    const message = detail === undefined ? 'invalid' : `${countsText(counts)}: ${detail}`;
    const failure = `<failure${attributes({ type: first?.type ?? 'invalid', message })}>${escapeXml(failureBody(result, story))}</failure>`;
    return `${head}>\n      ${failure}\n    </testcase>`;
  }
  const why = result.error ?? 'the checker could not reach a verdict';
  return `${head}>\n      <error${attributes({ type: 'unknown', message: why })}>${escapeXml(why)}</error>\n    </testcase>`;
}

export function junitSuiteXml(input: JunitSuiteInput): string {
  const entries = Object.entries(input.results.checkers);
  const failures = entries.filter(([, result]) => result.valid === false).length;
  const errors = entries.filter(([, result]) => result.valid === 'unknown').length;
  const head = attributes({
    name: input.name,
    tests: entries.length,
    failures,
    errors,
    skipped: 0,
    time: input.timeS.toFixed(3),
    ...(input.timestamp === null ? {} : { timestamp: input.timestamp }),
  });
  const properties = Object.entries(input.properties)
    .map(([name, value]) => `      <property${attributes({ name, value })}/>`)
    .join('\n');
  const cases = entries
    .map(([name, result]) => testcase(input.name, name, result, input.stories[name]))
    .join('\n');
  return [
    `  <testsuite${head}>`,
    `    <properties>\n${properties}\n    </properties>`,
    cases,
    `    <system-out>${escapeXml(`reproduce: ${input.reproduce}`)}</system-out>`,
    '  </testsuite>',
  ]
    .filter((part) => part.length > 0)
    .join('\n');
}

export function junitXml(suites: readonly JunitSuiteInput[], name = 'paychaos'): string {
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const suite of suites) {
    for (const result of Object.values(suite.results.checkers)) {
      tests += 1;
      if (result.valid === false) failures += 1;
      if (result.valid === 'unknown') errors += 1;
    }
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name, tests, failures, errors })}>`,
    ...suites.map(junitSuiteXml),
    '</testsuites>',
    '',
  ].join('\n');
}
