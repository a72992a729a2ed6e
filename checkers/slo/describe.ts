/** Wording shared by the slo checker's messages, so they read alike. */
import { formatTimeNs } from '../format.ts';
import { describeOp, indicesOf } from './op-outcome.ts';
import type { Example } from './phase-cell.ts';
import type { PhaseName } from './slo-budgets.ts';

const PHASE_TEXT: Record<PhaseName, string> = {
  before: 'before the first fault',
  during: 'during the faults',
  after: 'after the faults',
};

export function phaseText(phase: PhaseName): string {
  return PHASE_TEXT[phase];
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction >= 0.999 ? 2 : 1)}%`;
}

export function formatMs(ms: number): string {
  return ms >= 1_000 ? `${Number((ms / 1000).toFixed(3))} s` : `${Number(ms.toFixed(1))} ms`;
}

export function durationNsText(durationNs: number): string {
  return formatMs(durationNs / 1e6);
}

/** "transfer t-1 invoked at 20.100 s (timeout)". */
export function exampleText(example: Example): string {
  const error = example.op.completion?.error;
  const why = example.op.type === 'ok' ? '' : ` (${error ?? example.op.type})`;
  return `${describeOp(example.op)} invoked at ${formatTimeNs(example.op.invoke.time)}${why}`;
}

export function exampleIndices(examples: readonly Example[]): number[] {
  return examples.flatMap((example) => indicesOf(example.op));
}
