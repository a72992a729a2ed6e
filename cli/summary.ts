/**
 * The short human summary of `paychaos check`: the verdict; per checker its verdict, anomalies
 * grouped by type with their count and first example; a line of stats.
 */
import type { Anomaly, CheckResult, Validity } from '../checkers/checker.ts';
import type { Results } from '../checkers/verdict.ts';

const STAT_CHARS_MAX = 100;
const OPS_SHOWN_MAX = 8;

function verdictWord(valid: Validity): string {
  if (valid === true) return 'VALID';
  if (valid === false) return 'INVALID';
  return 'UNKNOWN';
}

function formatOps(ops: readonly number[]): string {
  const shown = ops.slice(0, OPS_SHOWN_MAX).join(', ');
  return ops.length > OPS_SHOWN_MAX ? `ops ${shown}, ... (${ops.length})` : `ops ${shown}`;
}

function groupByType(anomalies: readonly Anomaly[]): Map<string, Anomaly[]> {
  const groups = new Map<string, Anomaly[]>();
  for (const anomaly of anomalies) {
    const group = groups.get(anomaly.type);
    if (group === undefined) groups.set(anomaly.type, [anomaly]);
    else group.push(anomaly);
  }
  return groups;
}

function formatStat(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > STAT_CHARS_MAX ? `${text.slice(0, STAT_CHARS_MAX)}...` : text;
}

const STATS_LINE_CHARS_MAX = 96;

/** Scalar stats only, wrapped: nested ones (distributions, per-op counts) are in --json. */
function statsLines(stats: Record<string, unknown>): string[] {
  const lines: string[] = [];
  let line = '';
  for (const [key, value] of Object.entries(stats)) {
    const scalar =
      typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string';
    if (!scalar) continue;
    const item = `${key}=${formatStat(value)}`;
    if (line.length > 0 && line.length + item.length + 2 > STATS_LINE_CHARS_MAX) {
      lines.push(line);
      line = '';
    }
    line = line.length === 0 ? item : `${line}  ${item}`;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

function anomalyCount(result: CheckResult, type: string, kept: number): number {
  const counts = result.stats.anomalyCounts;
  if (typeof counts === 'object' && counts !== null) {
    const count = (counts as Record<string, unknown>)[type];
    if (typeof count === 'number') return count;
  }
  return kept;
}

function checkerLines(name: string, result: CheckResult): string[] {
  const lines = [`  ${name.padEnd(13)} ${verdictWord(result.valid).toLowerCase()}`];
  if (result.error !== undefined) lines.push(`    ${result.error}`);
  for (const [type, group] of groupByType(result.anomalies)) {
    const first = group[0]!;
    const count = anomalyCount(result, type, group.length);
    lines.push(`    ${type} x${count}: ${first.message} [${formatOps(first.ops)}]`);
  }
  const stats = statsLines(result.stats);
  if (stats.length > 0)
    lines.push(
      `    stats: ${stats[0]}`,
      ...stats.slice(1).map((line: string) => `           ${line}`),
    );
  return lines;
}

export function formatSummary(source: string, results: Results): string {
  const names = Object.keys(results.checkers);
  const lines = [`${source}: ${verdictWord(results.valid)}`];
  if (names.length === 0)
    lines.push('  no checker applies: the history holds no op any checker judges');
  for (const name of names) lines.push(...checkerLines(name, results.checkers[name]!));
  return `${lines.join('\n')}\n`;
}
