/** Turns `faults` entries into scheduled faults (integer ms) and checks the schedule. */
import type { Fault, ScheduledFault } from '../faults/fault.ts';
import { isInstantFault } from '../faults/fault.ts';
import type { FaultEntryParsed } from './fault-spec-schema.ts';
import type { FieldProblem } from './field-problem.ts';
import type { FaultWorld } from './schedule-rules.ts';
import { checkSchedule } from './schedule-rules.ts';

export function resolveFaults(
  entries: readonly FaultEntryParsed[] | undefined,
  world: FaultWorld,
  runMs: number,
  problems: FieldProblem[],
): ScheduledFault[] {
  const durationProblems: FieldProblem[] = [];
  const faults = (entries ?? []).map((entry, i) => {
    const fault = faultOf(entry.fault);
    const path = `faults[${i}].duration`;
    if (isInstantFault(fault.kind)) {
      if (entry.duration !== undefined) {
        durationProblems.push({ path, message: `${fault.kind} is instantaneous; remove duration` });
      }
      return { atMs: entry.at, durationMs: 0, fault };
    }
    if (entry.duration === undefined) {
      durationProblems.push({
        path,
        message: `missing; expected how long the ${fault.kind} lasts, such as '20s'`,
      });
    }
    return { atMs: entry.at, durationMs: entry.duration ?? 0, fault };
  });
  problems.push(...durationProblems);
  if (durationProblems.length === 0) problems.push(...checkSchedule(faults, world, runMs));
  return faults;
}

/** Spec durations ('2s' as `lag`, `skew`) become the vocabulary's `lagMs`, `skewMs`. */
function faultOf(spec: FaultEntryParsed['fault']): Fault {
  switch (spec.kind) {
    case 'replica-lag':
      return { kind: spec.kind, from: spec.from, to: spec.to, lagMs: spec.lag };
    case 'clock-skew':
      return { kind: spec.kind, region: spec.region, skewMs: spec.skew };
    case 'partition':
      return { kind: spec.kind, regions: [spec.regions[0], spec.regions[1]] };
    default:
      return { ...spec };
  }
}
