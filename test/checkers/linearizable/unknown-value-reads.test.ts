/**
 * A read whose value is unknown (`valueUnknown`, an imported Jepsen nil read) constrains nothing:
 * Knossos's register accepts a nil read in any state (issue 10).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderHistory, type SimOp, simulateHistory, threadsArb } from './support/register-sim.ts';
import { checkLinearizable } from './support/run-linearizable.ts';

const NUM_RUNS = Number(process.env.LIN_NUM_RUNS ?? 150);
const NEVER_WRITTEN = 999_999;

function okReads(ops: readonly SimOp[]): SimOp[] {
  return ops.filter((op) => op.f === 'read' && op.outcome === 'ok');
}

/** The history text with the given reads' values made unknown. */
function withUnknownValues(text: string, reads: readonly SimOp[]): string {
  const completions = new Set(reads.map((read) => read.completionIndex));
  return text
    .split('\n')
    .map((line) => {
      if (line.length === 0) return line;
      const op = JSON.parse(line) as { index: number; value: { key: string } };
      if (!completions.has(op.index)) return line;
      return JSON.stringify({ ...op, value: { key: op.value.key, valueUnknown: true } });
    })
    .join('\n');
}

describe('linearizable: reads whose value is unknown', () => {
  it('a correct register history stays linearizable whichever reads lose their value', () => {
    fc.assert(
      fc.property(threadsArb, fc.array(fc.boolean()), (threads, mask) => {
        const { ops, finals } = simulateHistory(threads);
        const unknown = okReads(ops).filter((_, i) => mask[i % Math.max(1, mask.length)] === true);
        const result = checkLinearizable(withUnknownValues(renderHistory(ops, finals), unknown));
        expect(result?.valid).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('a read of a value nothing wrote is nonlinearizable, and linearizable once its value is unknown', () => {
    fc.assert(
      fc.property(threadsArb, fc.nat(), (threads, pick) => {
        const { ops, finals } = simulateHistory(threads);
        const reads = okReads(ops);
        fc.pre(reads.length > 0);
        const read = reads[pick % reads.length] as SimOp;
        read.result = NEVER_WRITTEN;
        const text = renderHistory(ops, finals);
        const broken = checkLinearizable(text);
        expect(broken?.valid).toBe(false);
        expect(broken?.anomalies[0]?.ops).toContain(read.completionIndex);
        expect(checkLinearizable(withUnknownValues(text, [read]))?.valid).toBe(true);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('other reads losing their value does not hide a read of a value nothing wrote', () => {
    fc.assert(
      fc.property(threadsArb, fc.nat(), (threads, pick) => {
        const { ops, finals } = simulateHistory(threads);
        const reads = okReads(ops);
        fc.pre(reads.length > 0);
        const read = reads[pick % reads.length] as SimOp;
        read.result = NEVER_WRITTEN;
        const others = reads.filter((other) => other !== read);
        const result = checkLinearizable(withUnknownValues(renderHistory(ops, finals), others));
        expect(result?.valid).toBe(false);
        expect(result?.anomalies.map((a) => a.type)).toEqual(['nonlinearizable']);
        expect(result?.anomalies[0]?.ops).toContain(read.completionIndex);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
