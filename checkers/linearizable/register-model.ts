/**
 * The register model: one key of a read / write / cas table, values interned by a ValueTable.
 * The state is the id of the value the register holds.
 *
 * Outcomes: an ok op took effect. A write or cas whose outcome is unknown (info, or pending at
 * the end) is optional for the search: linearizing an unknown cas where its compare fails is the
 * same as not linearizing it there, so `step` refuses it and the search tries it elsewhere or
 * never. Failed ops and reads with unknown outcome never reach the model (the checker drops
 * them: they did not happen, or constrain nothing).
 */
import { formatValue } from '../format.ts';
import type { Model } from './model.ts';
import type { ValueTable } from './value-table.ts';

export type RegisterInput =
  | { readonly f: 'read' }
  | { readonly f: 'write'; readonly value: number }
  | { readonly f: 'cas'; readonly from: number; readonly to: number };

export interface RegisterOutput {
  /** False for an info or pending op: it may or may not have taken effect. */
  readonly known: boolean;
  /** For an ok read: the id of the value it returned; -1 otherwise. */
  readonly value: number;
}

export const UNKNOWN_OUTPUT: RegisterOutput = { known: false, value: -1 };
export const OK_OUTPUT: RegisterOutput = { known: true, value: -1 };

function mix32(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function describeRegisterOp(
  values: ValueTable,
  input: RegisterInput,
  output: RegisterOutput,
): string {
  const show = (id: number): string => formatValue(values.valueOf(id));
  switch (input.f) {
    case 'read':
      return output.known ? `read returned ${show(output.value)}` : 'read';
    case 'write':
      return `write ${show(input.value)}`;
    case 'cas':
      return `cas from ${show(input.from)} to ${show(input.to)}`;
  }
}

export function createRegisterModel(
  values: ValueTable,
  initId: number,
): Model<number, RegisterInput, RegisterOutput> {
  return {
    name: 'register',
    init: () => initId,
    step(state, input, output) {
      switch (input.f) {
        case 'read':
          if (!output.known) return state;
          return output.value === state ? state : null;
        case 'write':
          return input.value;
        case 'cas':
          return input.from === state ? input.to : null;
      }
    },
    hash: mix32,
    equal: (a, b) => a === b,
    describeOp: (input, output) => describeRegisterOp(values, input, output),
    describeState: (state) => formatValue(values.valueOf(state)),
  };
}
