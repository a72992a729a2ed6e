/**
 * The lines a register checker (lww, linearizable) reads after the prelude, for a parallel read:
 * read, write and cas ops, and final reads that hold registers. See `ParallelRead.interest`.
 */
import { type Op, REGISTER_FS } from '../history/op.ts';
import { isRecord } from '../history/value-shapes.ts';
import type { LineInterest } from './checker.ts';

export function registerInterest(op: Op): LineInterest {
  if (typeof op.process === 'number') return REGISTER_FS.has(op.f) ? 'reads' : 'ignores';
  if (op.f === 'init') return 'reads';
  if (op.process === 'final' && op.f === 'final-read') {
    return isRecord(op.value) && op.value.registers !== undefined ? 'reads' : 'ignores';
  }
  return 'ignores';
}
