/**
 * When a step's compensation is spurious: it claims to undo a step that never took effect.
 * Shared by spurious-compensation (which reports it) and compensation-order (which leaves such
 * steps out, so one bad step yields one anomaly, not two).
 */
import type { SagaStep } from '../../history/op.ts';
import { formatTimeNs } from '../format.ts';

/**
 * Why a step's compensation is spurious, or null. Status "compensated" already says the step
 * was done and then undone, so a missing `at` (optional in design.md) is no evidence against it;
 * only a compensatedAt earlier than its `at` is. A "failed" or "pending" step never took effect,
 * so any compensatedAt on it is spurious. A "done" step's stray compensatedAt is ignored: its
 * status says the compensation did not happen, and missing-compensation judges that.
 */
export function spuriousReason(step: SagaStep): string | null {
  if (step.status === 'failed' || step.status === 'pending') {
    if (step.compensatedAt === undefined) return null;
    const what = step.status === 'failed' ? 'failed' : 'never ran';
    return `${what} but carries compensatedAt ${formatTimeNs(step.compensatedAt)}`;
  }
  if (step.status !== 'compensated') return null;
  if (step.at !== undefined && step.compensatedAt !== undefined && step.compensatedAt < step.at) {
    return `was compensated at ${formatTimeNs(step.compensatedAt)}, before it completed at ${formatTimeNs(step.at)}`;
  }
  return null;
}
