/**
 * Nemesis actions: what the fault schedule does at a point in time, with exactly the history `f`
 * names and values of design.md, so that a driver writes them to the history as they are.
 *
 * design.md names `start-`/`stop-isolate`, `start-partition`, `start-replica-lag`,
 * `start-pause-replication`, `kill-`/`restart-cluster`, `failover` and `start-clock-skew`. The
 * rest are decided here (docs/scenarios.md): `stop-partition`, `stop-replica-lag`,
 * `stop-pause-replication` and `stop-clock-skew` carry the same value as their start, so a
 * checker pairs them by value; a crashed bank instance is `crash-bank` / `restart-bank`.
 */
import type { OpDraft } from '../history/op.ts';

interface RegionValue {
  region: string;
}
interface LinkValue {
  from: string;
  to: string;
}
interface ClusterValue {
  cluster: string;
  region: string;
}

export type NemesisAction = {
  atMs: number;
  /** The index of the fault in the scenario's `faults` that produced this action. */
  faultIndex: number;
  /** A fault's `start` comes before its `stop`; a failover is one `instant` action. */
  edge: 'start' | 'stop' | 'instant';
} & (
  | { f: 'start-isolate' | 'stop-isolate'; value: RegionValue }
  | { f: 'start-partition' | 'stop-partition'; value: { regions: [string, string] } }
  | { f: 'start-replica-lag' | 'stop-replica-lag'; value: LinkValue & { lagMs: number } }
  | { f: 'start-pause-replication' | 'stop-pause-replication'; value: LinkValue }
  | { f: 'kill-cluster' | 'restart-cluster'; value: ClusterValue }
  | { f: 'failover'; value: { cluster: string; from: string; to: string } }
  | { f: 'start-clock-skew' | 'stop-clock-skew'; value: RegionValue & { skewMs: number } }
  | { f: 'crash-bank' | 'restart-bank'; value: RegionValue }
);

export type NemesisF = NemesisAction['f'];

/** The history line for an action, taken at `timeNs` (when the injector actually acted). */
export function nemesisOpDraft(action: NemesisAction, timeNs: number): OpDraft {
  return { time: timeNs, process: 'nemesis', type: 'info', f: action.f, value: action.value };
}
