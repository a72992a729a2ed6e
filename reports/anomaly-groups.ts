/**
 * Anomalies of one type and one subject (the account, key, saga or region the catalogue names
 * for the type) as one group: how many, when the first and the last happened, the first and the
 * worst instance. "Worst" is by the type's own magnitude where it has one (the most negative
 * balance, the largest amount lost or duplicated, the longest RTO or RPO, the furthest
 * total or budget overshoot); for a type without one it is the latest instance, and says so.
 * Groups come most numerous first, ties by first time. A group of a whole type counts every
 * instance the checker counted, kept in results.json or not.
 */
import type { Anomaly } from '../checkers/checker.ts';
import { catalogueEntry, type SubjectField } from './anomaly-catalogue.ts';
import { placeName } from './place-names.ts';

export interface GroupInput {
  anomaly: Anomaly;
  /** Position in the report's flat list. */
  n: number;
  checker: string;
  atMs: number | null;
}

export interface AnomalyGroup {
  type: string;
  checker: string;
  subjectField: SubjectField | null;
  subject: string | null;
  /** Positions (n) of the members, in list order. */
  members: number[];
  /**
   * How many there were: the members, or for a group of the whole type (no subject) the type's
   * full count, which results.json may cap below it (100 kept per type).
   */
  count: number;
  first: number;
  worst: number;
  /** The type has no magnitude: `worst` is the latest instance. */
  worstIsLatest: boolean;
  firstMs: number | null;
  lastMs: number | null;
}

const FALLBACK_FIELDS: readonly SubjectField[] = ['account', 'key', 'saga', 'region'];

function numberField(anomaly: Anomaly, key: string): number | null {
  const value = anomaly[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** How bad one instance is, larger is worse; null when the type has no magnitude. */
export function severityOf(anomaly: Anomaly): number | null {
  const number = (key: string): number | null => numberField(anomaly, key);
  switch (anomaly.type) {
    case 'negative-balance': {
      const balance = number('balance');
      return balance === null ? null : -balance;
    }
    case 'wrong-total': {
      const [total, lower, upper] = [number('total'), number('lower'), number('upper')];
      if (total === null || lower === null || upper === null) return null;
      return total < lower ? lower - total : total - upper;
    }
    case 'ledger-mismatch': {
      const [balance, expected] = [number('balance'), number('expected')];
      return balance === null || expected === null ? null : Math.abs(balance - expected);
    }
    case 'lost-transfer':
    case 'failed-transfer-applied':
    case 'unbalanced-transfer':
      return number('amount');
    case 'duplicate-transfer': {
      const [amount, applications] = [number('amount'), number('applications')];
      return amount === null || applications === null ? null : amount * (applications - 1);
    }
    case 'rto-exceeded':
      return anomaly.rtoMs === null ? Number.POSITIVE_INFINITY : number('rtoMs');
    case 'rpo-exceeded':
      return number('rpoMs');
    case 'slo-violation': {
      const [measured, limit] = [number('measured'), number('limit')];
      if (measured === null || limit === null || limit === 0) return null;
      return anomaly.budget === 'p99Latency' ? measured / limit - 1 : (limit - measured) / limit;
    }
    default:
      return null;
  }
}

function subjectOf(anomaly: Anomaly): { field: SubjectField | null; value: string | null } {
  const fields = catalogueEntry(anomaly.type)?.subject ?? FALLBACK_FIELDS;
  for (const field of fields) {
    const value = anomaly[field];
    if (typeof value === 'string' || typeof value === 'number') {
      return { field, value: String(value) };
    }
  }
  return { field: null, value: null };
}

/** "account customer-0", "region ap-northeast-1 (Tokyo)"; null for a type-wide group. */
export function subjectLabel(group: Pick<AnomalyGroup, 'subjectField' | 'subject'>): string | null {
  if (group.subjectField === null || group.subject === null) return null;
  if (group.subjectField === 'region') {
    const name = placeName(group.subject);
    return name === group.subject ? `region ${name}` : `region ${group.subject} (${name})`;
  }
  return `${group.subjectField} ${group.subject}`;
}

/** How a sentence names it: "on account customer-0", "on key x", "in saga c1", "in Tokyo". */
export function subjectPhrase(group: Pick<AnomalyGroup, 'subjectField' | 'subject'>): string {
  if (group.subjectField === null || group.subject === null) return '';
  switch (group.subjectField) {
    case 'account':
      return ` on account ${group.subject}`;
    case 'key':
      return ` on key ${group.subject}`;
    case 'saga':
      return ` in saga ${group.subject}`;
    case 'region':
      return ` in ${placeName(group.subject)}`;
  }
}

function pickWorst(inputs: readonly GroupInput[]): { worst: GroupInput; latest: boolean } {
  let worst: GroupInput | null = null;
  let worstSeverity = Number.NEGATIVE_INFINITY;
  for (const input of inputs) {
    const severity = severityOf(input.anomaly);
    if (severity !== null && severity > worstSeverity) {
      worst = input;
      worstSeverity = severity;
    }
  }
  if (worst !== null) return { worst, latest: false };
  const latest = inputs.reduce((best, input) =>
    (input.atMs ?? Number.NEGATIVE_INFINITY) >= (best.atMs ?? Number.NEGATIVE_INFINITY)
      ? input
      : best,
  );
  return { worst: latest, latest: true };
}

/** A checker's full count of one type, from its stats.anomalyCounts. */
export type FullCounts = (checker: string, type: string) => number;

function groupOf(inputs: readonly GroupInput[], fullCount: FullCounts): AnomalyGroup {
  const head = inputs[0];
  if (head === undefined) throw new Error('an anomaly group needs at least one anomaly');
  const subject = subjectOf(head.anomaly);
  const times = inputs.map((input) => input.atMs).filter((ms) => ms !== null);
  const first = inputs.reduce((best, input) =>
    (input.atMs ?? Number.POSITIVE_INFINITY) < (best.atMs ?? Number.POSITIVE_INFINITY)
      ? input
      : best,
  );
  const { worst, latest } = pickWorst(inputs);
  return {
    type: head.anomaly.type,
    checker: head.checker,
    subjectField: subject.field,
    subject: subject.value,
    members: inputs.map((input) => input.n),
    count:
      subject.field === null
        ? Math.max(inputs.length, fullCount(head.checker, head.anomaly.type))
        : inputs.length,
    first: first.n,
    worst: worst.n,
    worstIsLatest: latest,
    firstMs: times.length > 0 ? Math.min(...times) : null,
    lastMs: times.length > 0 ? Math.max(...times) : null,
  };
}

export function groupAnomalies(
  inputs: readonly GroupInput[],
  fullCount: FullCounts = () => 0,
): AnomalyGroup[] {
  const byKey = new Map<string, GroupInput[]>();
  for (const input of inputs) {
    const subject = subjectOf(input.anomaly);
    const key = JSON.stringify([input.checker, input.anomaly.type, subject.field, subject.value]);
    const members = byKey.get(key);
    if (members === undefined) byKey.set(key, [input]);
    else members.push(input);
  }
  return [...byKey.values()]
    .map((members) => groupOf(members, fullCount))
    .sort(
      (a, b) =>
        b.count - a.count ||
        (a.firstMs ?? Number.POSITIVE_INFINITY) - (b.firstMs ?? Number.POSITIVE_INFINITY) ||
        a.first - b.first,
    );
}
