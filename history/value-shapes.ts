/**
 * Shape checks for the values of the vocabulary in design.md. Each throws a FieldError naming
 * the field and what was expected; the sequencer adds the file and line.
 */
import { FieldError } from './history-error.ts';
import type { Op } from './op.ts';

/**
 * A shape check. `field` is the dotted path of the value for the error message, or null on the
 * fast path: most lines are valid, so shapes first run without building any path strings, and
 * only a line that fails is checked again with paths to say which field is wrong.
 */
type Shape = (value: unknown, field: Field) => void;
type Field = string | null;

/** The path of a child field, built only on the slow path. */
function sub(field: Field, key: string): Field {
  return field === null ? null : `${field}.${key}`;
}

function item(field: Field, index: number): Field {
  return field === null ? null : `${field}[${index}]`;
}

class ShapeMismatch extends Error {}
const SHAPE_MISMATCH = new ShapeMismatch('shape mismatch');

function mismatch(field: Field, expected: string, got: unknown): never {
  if (field === null) throw SHAPE_MISMATCH;
  throw new FieldError(field, expected, got);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An ok read whose value is unknown: `{"key": K, "valueUnknown": true}`, no `value`. Jepsen's
 * register models read a nil as "value unknown" (Knossos accepts a nil read in any state); the
 * importer writes such reads this way, and checkers let them constrain nothing.
 */
export function readValueUnknown(value: unknown): boolean {
  return isRecord(value) && value.valueUnknown === true;
}

function expectRecord(value: unknown, field: Field): Record<string, unknown> {
  if (!isRecord(value)) mismatch(field, 'an object', value);
  return value;
}

function expectString(value: unknown, field: Field): void {
  if (typeof value !== 'string' || value.length === 0) {
    mismatch(field, 'a non-empty string', value);
  }
}

/**
 * An integer a JSON number cannot hold exactly (a number past 2^53, or the digits an importer
 * kept as text for that reason): the reason is its size, not that it is no integer.
 */
function beyondSafeRange(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  return typeof value === 'string' && /^-?\d+$/.test(value) && !Number.isSafeInteger(Number(value));
}

const SAFE_RANGE =
  'within ±(2^53 - 1) = ±9007199254740991 (past 2^53 a JSON number no longer holds every integer exactly)';

function expectInteger(value: unknown, field: Field): void {
  if (Number.isSafeInteger(value)) return;
  if (beyondSafeRange(value)) mismatch(field, `an integer (minor units) ${SAFE_RANGE}`, value);
  mismatch(field, 'an integer (minor units)', value);
}

function expectAmount(value: unknown, field: Field): void {
  if (Number.isSafeInteger(value) && (value as number) >= 0) return;
  if (beyondSafeRange(value))
    mismatch(field, `an integer amount (minor units) ${SAFE_RANGE}`, value);
  mismatch(field, 'a non-negative integer amount (minor units)', value);
}

function expectIntegerMap(value: unknown, field: Field): void {
  const map = expectRecord(value, field);
  for (const key in map) {
    if (!Number.isSafeInteger(map[key])) expectInteger(map[key], sub(field, key));
  }
}

function expectStringArray(value: unknown, field: Field): void {
  if (!Array.isArray(value)) mismatch(field, 'an array of strings', value);
  for (let i = 0; i < value.length; i += 1) expectString(value[i], item(field, i));
}

function optional(shape: Shape): Shape {
  return (value, field) => {
    if (value !== undefined) shape(value, field);
  };
}

function fields(spec: Record<string, Shape>): Shape {
  return (value, field) => {
    const record = expectRecord(value, field);
    for (const key in spec) spec[key]!(record[key], sub(field, key));
  };
}

const transferShape = fields({
  id: expectString,
  from: expectString,
  to: expectString,
  amount: expectAmount,
});

const accountOpShape = fields({
  id: expectString,
  account: expectString,
  amount: expectAmount,
});

const initShape = fields({
  accounts: optional(expectIntegerMap),
  registers: optional(expectRecord),
  strong: optional(expectStringArray),
});

const balancesInvokeShape: Shape = (value, field) => {
  if (value === null || value === undefined) return;
  fields({ accounts: expectStringArray })(value, field);
};

/** A read's balances: null stands for a balance the bank did not return (nil-balance). */
function expectBalanceMap(value: unknown, field: Field): void {
  const map = expectRecord(value, field);
  for (const key in map) {
    const balance = map[key];
    if (balance !== null && !Number.isSafeInteger(balance)) {
      mismatch(sub(field, key), 'an integer (minor units) or null', balance);
    }
  }
}

const balancesOkShape = fields({
  balances: expectBalanceMap,
  consistent: (value, field) => {
    if (typeof value !== 'boolean') mismatch(field, 'true or false', value);
  },
});

const keyShape = fields({ key: expectString });

const writeInvokeShape: Shape = (value, field) => {
  keyShape(value, field);
  if (!('value' in (value as Record<string, unknown>))) {
    mismatch(sub(field, 'value'), 'the value written', undefined);
  }
};

/** Only `ts` matters to checkers; what else a store echoes back is its own business. */
const writeOkShape: Shape = (value, field) => {
  if (isRecord(value) && value.ts !== undefined) expectInteger(value.ts, sub(field, 'ts'));
};

/**
 * The key is the invoke's; an ok that repeats it is fine, one that omits it too. The value read
 * is there, or the read says it is unknown (`readValueUnknown`), never both.
 */
const readOkShape: Shape = (value, field) => {
  const record = expectRecord(value, field);
  if (record.key !== undefined) expectString(record.key, sub(field, 'key'));
  const unknown = record.valueUnknown;
  if (unknown !== undefined && unknown !== true) {
    mismatch(
      sub(field, 'valueUnknown'),
      'true (the value read is unknown) or no such field',
      unknown,
    );
  }
  if (unknown === true && 'value' in record) {
    mismatch(sub(field, 'value'), 'no value: the read says its value is unknown', record.value);
  }
  if (unknown !== true && !('value' in record)) {
    mismatch(sub(field, 'value'), 'the value read (null when absent)', undefined);
  }
};

const casInvokeShape: Shape = (value, field) => {
  keyShape(value, field);
  const record = value as Record<string, unknown>;
  if (!('from' in record)) mismatch(sub(field, 'from'), 'the expected value', undefined);
  if (!('to' in record)) mismatch(sub(field, 'to'), 'the new value', undefined);
};

const finalReadShape = fields({
  accounts: optional(expectIntegerMap),
  registers: optional(expectRecord),
  ts: optional(expectIntegerMap),
});

const ledgerEntryShape = fields({
  tx: expectString,
  account: expectString,
  amount: expectInteger,
});

const ledgerShape: Shape = (value, field) => {
  const record = expectRecord(value, field);
  if (!Array.isArray(record.entries)) {
    mismatch(sub(field, 'entries'), 'an array of ledger entries', record.entries);
  }
  const entries: unknown[] = record.entries;
  for (let i = 0; i < entries.length; i += 1) {
    ledgerEntryShape(entries[i], item(sub(field, 'entries'), i));
  }
};

const SAGA_STATUSES = new Set(['completed', 'compensated', 'failed', 'pending']);
const STEP_STATUSES = new Set(['done', 'failed', 'compensated', 'pending']);

function expectOneOf(allowed: Set<string>): Shape {
  return (value, field) => {
    if (typeof value !== 'string' || !allowed.has(value)) {
      mismatch(field, `one of ${[...allowed].join(', ')}`, value);
    }
  };
}

const stepShape = fields({
  name: expectString,
  status: expectOneOf(STEP_STATUSES),
  at: optional(expectInteger),
  compensatedAt: optional(expectInteger),
});

const sagaShape: Shape = (value, field) => {
  fields({ id: expectString, status: expectOneOf(SAGA_STATUSES) })(value, field);
  const steps = (value as Record<string, unknown>).steps;
  if (!Array.isArray(steps)) mismatch(sub(field, 'steps'), 'an array of steps', steps);
  for (let i = 0; i < steps.length; i += 1) stepShape(steps[i], item(sub(field, 'steps'), i));
};

const sagasShape: Shape = (value, field) => {
  if (!Array.isArray(value)) mismatch(field, 'an array of sagas', value);
  for (let i = 0; i < value.length; i += 1) sagaShape(value[i], item(field, i));
};

const plannedReadShape = fields({ f: expectString, region: optional(expectString) });

const planShape: Shape = (value, field) => {
  const record = expectRecord(value, field);
  const final = record.final;
  if (!Array.isArray(final)) {
    mismatch(sub(field, 'final'), 'an array of the final reads promised', final);
  }
  for (let i = 0; i < final.length; i += 1)
    plannedReadShape(final[i], item(sub(field, 'final'), i));
};

const endShape: Shape = (value, field) => {
  if (value === undefined || value === null) return;
  fields({
    interrupted: optional(fields({ signal: expectString, atNs: expectAmount })),
  })(value, field);
};

/** Shapes of invoke values for client ops, by f. */
const INVOKE_SHAPES: Record<string, Shape> = {
  transfer: transferShape,
  deposit: accountOpShape,
  withdraw: accountOpShape,
  balances: balancesInvokeShape,
  write: writeInvokeShape,
  read: keyShape,
  cas: casInvokeShape,
  checkout: transferShape,
};

/** Shapes of ok values for client ops, by f: only where checkers read the result. */
const OK_SHAPES: Record<string, Shape> = {
  balances: balancesOkShape,
  write: writeOkShape,
  cas: writeOkShape,
  read: readOkShape,
};

/** Shapes of the single-line ops of the harness, by f. */
const SINGLE_LINE_SHAPES: Record<string, Shape> = {
  init: initShape,
  'final-read': finalReadShape,
  ledger: ledgerShape,
  sagas: sagasShape,
  plan: planShape,
  end: endShape,
};

/** Throws a FieldError when a known op's value does not have the shape design.md gives it. */
export function checkValueShape(op: Op): void {
  let shape: Shape | undefined;
  if (op.type === 'invoke') shape = INVOKE_SHAPES[op.f];
  else if (op.type === 'ok')
    shape = typeof op.process === 'number' ? OK_SHAPES[op.f] : SINGLE_LINE_SHAPES[op.f];
  if (shape !== undefined) {
    try {
      shape(op.value, null);
    } catch (error) {
      if (error !== SHAPE_MISMATCH) throw error;
      shape(op.value, 'value');
      throw new Error(`shape check of ${op.f} failed fast but passed with paths`);
    }
  }
  if (op.f === 'final-read' && typeof op.region !== 'string') {
    throw new FieldError('region', 'the region the final read was taken in', op.region);
  }
}
