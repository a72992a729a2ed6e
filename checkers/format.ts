/** Small formatting helpers so that every anomaly message reads the same way. */

/** "12.3 s" for a history time in nanoseconds. */
export function formatTimeNs(timeNs: number): string {
  if (!Number.isFinite(timeNs)) return 'the end of the history';
  const seconds = timeNs / 1e9;
  return `${seconds.toFixed(seconds < 10 ? 3 : 1)} s`;
}

/** "in ap-northeast-1", or "" when the op carries no region. */
export function inRegion(region: unknown): string {
  return typeof region === 'string' ? ` in ${region}` : '';
}

/** JSON text of a value, cut short for messages. */
export function formatValue(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
