/**
 * The report's first sentence: what the run proved, built from the results, for every verdict.
 *   invalid: "Hypothesis refuted: 96 negative balances on account customer-0 between 42.3 s and
 *            61.7 s, after Tokyo was isolated at 20.1 s and the ledger cluster failed over ..."
 *   valid:   "Hypothesis held: 5 checkers found no anomaly in 5,034 client ops over 61.7 s,
 *            through Tokyo isolated from 20.1 s to 40.1 s and ..."
 *   unknown: "Hypothesis not judged: the lww checker could not reach a verdict: <why>."
 * The lead is the most numerous group of anomalies (type and subject); the fault named is the
 * first of the episode of overlapping faults that began before the group's first anomaly,
 * which is the cause a reader should look at first. The same words go into summary.md and the
 * JUnit failure message.
 */
import type { Validity } from '../checkers/checker.ts';
import { anomalyNoun } from './anomaly-catalogue.ts';
import { type AnomalyGroup, subjectPhrase } from './anomaly-groups.ts';
import type { FaultWindow } from './fault-windows.ts';
import { faultWords } from './fault-words.ts';
import { countsText, secondsText as seconds } from './verdict-text.ts';

/** Faults named in one sentence; the rest are counted. */
const FAULTS_NAMED_MAX = 2;

export interface ConclusionChecker {
  name: string;
  valid: Validity;
  error: string | null;
  counts: [string, number][];
}

export interface ConclusionInput {
  valid: Validity;
  hasHypothesis: boolean;
  checkers: readonly ConclusionChecker[];
  groups: readonly AnomalyGroup[];
  faults: readonly FaultWindow[];
  clientOpsCount: number;
  lastTimeMs: number;
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

/** Overlapping (or touching) faults, in start order: the windows of one incident. */
function episodes(faults: readonly FaultWindow[]): FaultWindow[][] {
  const sorted = [...faults].sort((a, b) => a.startMs - b.startMs || a.startIndex - b.startIndex);
  const result: { endMs: number; faults: FaultWindow[] }[] = [];
  for (const fault of sorted) {
    const last = result.at(-1);
    if (last !== undefined && fault.startMs <= last.endMs) {
      last.faults.push(fault);
      last.endMs = Math.max(last.endMs, fault.endMs);
    } else result.push({ endMs: fault.endMs, faults: [fault] });
  }
  return result.map((episode) => episode.faults);
}

function clauseOf(fault: FaultWindow): string {
  return faultWords(fault.kind, fault.subject, fault.value).clause;
}

/**
 * "after Tokyo was isolated at 20.1 s and the ledger cluster failed over ... at 25.1 s", "while
 * ...", "before any fault was injected", "with no fault injected"; "" when the time is unknown.
 */
export function causeText(faults: readonly FaultWindow[], atMs: number | null): string {
  if (faults.length === 0) return 'with no fault injected';
  if (atMs === null) return '';
  const episode = episodes(faults)
    .filter((candidate) => (candidate[0]?.startMs ?? Number.POSITIVE_INFINITY) <= atMs)
    .at(-1);
  const lead = episode?.[0];
  if (episode === undefined || lead === undefined) return 'before any fault was injected';
  const active = !lead.instant && atMs <= lead.endMs;
  const head = active
    ? `while ${clauseOf(lead)} from ${seconds(lead.startMs)}`
    : `after ${clauseOf(lead)} at ${seconds(lead.startMs)}`;
  const then = episode
    .slice(1, FAULTS_NAMED_MAX)
    .filter((fault) => fault.startMs <= atMs)
    .map((fault) => `${clauseOf(fault)} at ${seconds(fault.startMs)}`);
  const more = episode.length - 1 - then.length;
  const tail = [...then, ...(more > 0 ? [plural(more, 'more fault', 'more faults')] : [])];
  if (tail.length === 0) return head;
  const last = tail.pop();
  return `${[head, ...tail].join(', ')} and ${last}`;
}

/** "96 negative balances on customer-0 between 42.3 s and 61.7 s, after ...". */
export function groupSentence(group: AnomalyGroup, faults: readonly FaultWindow[]): string {
  const count = group.count;
  const kept = group.members.length;
  const what = `${count.toLocaleString('en-US')} ${anomalyNoun(group.type, count)}${subjectPhrase(group)}`;
  const { firstMs, lastMs } = group;
  const span =
    firstMs === null || lastMs === null
      ? ''
      : firstMs === lastMs
        ? `at ${seconds(firstMs)}`
        : `between ${seconds(firstMs)} and ${seconds(lastMs)}`;
  // results.json keeps the first 100 of a type: their times are all the report knows.
  const when = span === '' ? '' : kept < count ? `, the ${kept} kept ${span}` : ` ${span}`;
  const cause = causeText(faults, firstMs);
  const first = kept > 1 && cause === 'before any fault was injected' ? 'the first ' : '';
  return `${what}${when}${cause === '' ? '' : `, ${first}${cause}`}`;
}

/** The anomalies besides the lead group, by type: "; 14 more: lost-transfer x10, ...". */
function restText(counts: ReadonlyMap<string, number>, lead: AnomalyGroup): string {
  const rest = new Map(counts);
  rest.set(lead.type, (rest.get(lead.type) ?? 0) - lead.count);
  for (const [type, count] of rest) if (count <= 0) rest.delete(type);
  const total = [...rest.values()].reduce((sum, count) => sum + count, 0);
  return total === 0
    ? ''
    : `; ${plural(total, 'more anomaly', 'more anomalies')}: ${countsText(rest)}`;
}

function countsOf(checkers: readonly ConclusionChecker[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const checker of checkers) {
    for (const [type, count] of checker.counts) counts.set(type, (counts.get(type) ?? 0) + count);
  }
  return counts;
}

/** The story of anomalies: the lead group and what else was found. */
export function anomaliesStory(
  checkers: readonly ConclusionChecker[],
  groups: readonly AnomalyGroup[],
  faults: readonly FaultWindow[],
): string {
  const lead = groups[0];
  const counts = countsOf(checkers);
  if (lead === undefined) {
    return counts.size > 0
      ? `${countsText(counts)} (none kept in results.json)`
      : 'no anomaly kept';
  }
  return `${groupSentence(lead, faults)}${restText(counts, lead)}`;
}

function faultsSummary(faults: readonly FaultWindow[]): string {
  if (faults.length === 0) return 'with no fault injected';
  const sorted = [...faults].sort((a, b) => a.startMs - b.startMs);
  const named = sorted.slice(0, FAULTS_NAMED_MAX + 1).map((fault) => {
    const words = faultWords(fault.kind, fault.subject, fault.value);
    if (fault.instant) return `${words.clause} at ${seconds(fault.startMs)}`;
    const until = fault.open ? 'to the end' : `to ${seconds(fault.endMs)}`;
    return `${words.phrase} from ${seconds(fault.startMs)} ${until}`;
  });
  const more = sorted.length - named.length;
  if (more > 0) named.push(plural(more, 'more fault', 'more faults'));
  return `through ${named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named.at(-1)}` : named[0]}`;
}

function unknownStory(checkers: readonly ConclusionChecker[]): string {
  const unknown = checkers.filter((checker) => checker.valid === 'unknown');
  const head = unknown[0];
  if (head === undefined) return 'no checker applies to this history: it proves nothing';
  // The sentence ends with its own full stop.
  const why = (head.error ?? 'no reason given').replace(/[.\s]+$/, '');
  const others = unknown.length - 1;
  const valid = checkers.filter((checker) => checker.valid === true).length;
  const parts = [`the ${head.name} checker could not reach a verdict: ${why}`];
  if (others > 0) parts.push(`${plural(others, 'other checker', 'other checkers')} neither`);
  if (valid > 0) parts.push(`${plural(valid, 'checker', 'checkers')} found no anomaly`);
  return parts.join('; ');
}

export function conclusion(input: ConclusionInput): string {
  const hypothesis = input.hasHypothesis;
  if (input.valid === false) {
    const prefix = hypothesis ? 'Hypothesis refuted' : 'Invalid';
    const invalid = input.checkers.filter((checker) => checker.valid === false);
    return `${prefix}: ${anomaliesStory(invalid, input.groups, input.faults)}.`;
  }
  if (input.valid === true) {
    const prefix = hypothesis ? 'Hypothesis held' : 'Valid';
    const checkers = plural(input.checkers.length, 'checker', 'checkers');
    const ops = plural(input.clientOpsCount, 'client op', 'client ops');
    return `${prefix}: ${checkers} found no anomaly in ${ops} over ${seconds(input.lastTimeMs)}, ${faultsSummary(input.faults)}.`;
  }
  const prefix = hypothesis ? 'Hypothesis not judged' : 'Not judged';
  return `${prefix}: ${unknownStory(input.checkers)}.`;
}
