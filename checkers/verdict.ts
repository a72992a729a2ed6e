import type { Anomaly, CheckResult, Validity } from './checker.ts';

const RANK: Record<string, number> = { true: 0, unknown: 1, false: 2 };

/** Jepsen's merge: the worst verdict wins, false > "unknown" > true. */
export function worstValidity(verdicts: Iterable<Validity>): Validity {
  let worst: Validity = true;
  for (const verdict of verdicts) {
    if (RANK[String(verdict)]! > RANK[String(worst)]!) worst = verdict;
  }
  return worst;
}

/** The results.json of design.md. */
export interface Results {
  valid: Validity;
  checkers: Record<string, CheckResult>;
  anomalyTypes: string[];
}

export function composeResults(checkers: Record<string, CheckResult>): Results {
  const results = Object.values(checkers);
  const types = new Set<string>();
  for (const result of results) for (const anomaly of result.anomalies) types.add(anomaly.type);
  return {
    valid: worstValidity(results.map((result) => result.valid)),
    checkers,
    anomalyTypes: [...types].sort(),
  };
}

/** A checker's verdict from its anomalies: any anomaly makes it invalid. */
export function validityOf(anomalies: readonly Anomaly[]): Validity {
  return anomalies.length === 0;
}

export function exitCodeOf(valid: Validity): 0 | 1 | 2 {
  if (valid === true) return 0;
  if (valid === false) return 1;
  return 2;
}
