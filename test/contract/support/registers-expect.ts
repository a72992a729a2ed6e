/**
 * Assertions the contract review makes about anomalies: the name, the lines they point at, and a
 * message a person can act on (one sentence naming the key, the region and a time).
 */
import { expect } from 'vitest';
import type { Anomaly, CheckResult } from '../../../checkers/checker.ts';
import { anomaliesOf } from './registers-history.ts';

/**
 * The one anomaly of `type` (there may be others of other types), whose `ops` include every
 * index of `mustName` and no index outside `mayName` (the lines a reasonable reader would accept).
 */
export function expectAnomaly(
  result: CheckResult,
  type: string,
  mustName: number[],
  mayName: number[] = mustName,
): Anomaly {
  expect(result.valid).toBe(false);
  const found = anomaliesOf(result, type);
  expect(
    found.map((anomaly) => anomaly.type),
    JSON.stringify(result.anomalies),
  ).toContain(type);
  const anomaly = found[0] as Anomaly;
  expect(anomaly.ops).toEqual(expect.arrayContaining(mustName));
  const allowed = new Set([...mustName, ...mayName]);
  expect(anomaly.ops.filter((index) => !allowed.has(index))).toEqual([]);
  return anomaly;
}

export function expectValid(result: CheckResult): void {
  expect(result.anomalies, JSON.stringify(result.anomalies)).toEqual([]);
  expect(result.valid).toBe(true);
}

/** One sentence (no line break, no full stop before the end) that names each of `mentions`. */
export function expectActionable(anomaly: Anomaly, mentions: string[]): void {
  const message = anomaly.message;
  expect(message).not.toMatch(/\n/);
  expect(message.replace(/\d\.\d/g, '')).not.toMatch(/\.\s+[A-Z]/);
  for (const mention of mentions) expect(message).toContain(mention);
}
