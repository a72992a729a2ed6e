/**
 * Translates zod's issues into the scenario's one-line problems: a field path and "got X;
 * expected Y", in words a person uses, with no zod vocabulary in them.
 */
import { z } from 'zod';
import type { FieldProblem } from './field-problem.ts';
import { describeReceived, formatPath } from './field-problem.ts';

type Issue = z.core.$ZodIssue;

const EXPECTED_TYPE: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'an object',
  record: 'an object',
};

export function zodProblems(
  issues: readonly Issue[],
  input: unknown,
  schema: z.ZodType,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    for (const problem of translate(issue, input, schema)) {
      const key = `${problem.path}\n${problem.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function translate(issue: Issue, input: unknown, schema: z.ZodType): FieldProblem[] {
  const path = formatPath(issue.path);
  const received = valueAt(input, issue.path);
  const got = received === undefined ? 'missing' : `got ${describeReceived(received)}`;
  switch (issue.code) {
    case 'invalid_type':
      return [
        { path, message: `${got}; expected ${EXPECTED_TYPE[issue.expected] ?? issue.expected}` },
      ];
    case 'too_small':
      return [{ path, message: tooSmall(issue, received, got) }];
    case 'too_big':
      return [{ path, message: tooBig(issue, received, got) }];
    case 'unrecognized_keys': {
      const known = expectedKeysAt(schema, issue.path, input);
      const expected =
        known === null
          ? 'check its spelling in docs/scenarios.md'
          : `expected one of ${known.join(', ')}`;
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: `unknown field; ${expected}`,
      }));
    }
    case 'invalid_union': {
      const branch = matchingBranch(issue);
      if (branch === null) return [{ path, message: `${got}; ${oneOf(issue)}` }];
      return branch.flatMap((sub) =>
        translate({ ...sub, path: [...issue.path, ...sub.path] }, input, schema),
      );
    }
    case 'invalid_value':
      return [{ path, message: `${got}; ${oneOf(issue)}` }];
    case 'not_multiple_of':
      return [{ path, message: `${got}; expected a multiple of ${issue.divisor}` }];
    case 'invalid_key': {
      const key = describeReceived(String(issue.path.at(-1)));
      const expected = ourExpected(issue.issues[0]?.message) ?? 'expected a valid name';
      return [{ path, message: `${key} is not a valid key; ${expected}` }];
    }
    default:
      return [
        {
          path,
          message: ourExpected(issue.message) !== null ? `${got}; ${issue.message}` : issue.message,
        },
      ];
  }
}

/**
 * When a value is of the type of exactly one of a union's branches (an object given for
 * `number | Record<region, number>`), that branch's own problems say more than "expected either".
 */
function matchingBranch(issue: z.core.$ZodIssueInvalidUnion): Issue[] | null {
  if (unionOptions(issue) !== undefined) return null;
  const typed = issue.errors.filter(
    (branch) => !branch.some((sub) => sub.code === 'invalid_type' && sub.path.length === 0),
  );
  const only = typed[0];
  return typed.length === 1 && only !== undefined && only.length > 0 ? only : null;
}

/** A discriminated union's allowed discriminator values; undefined for a plain union. */
function unionOptions(issue: z.core.$ZodIssueInvalidUnion): readonly unknown[] | undefined {
  return 'options' in issue ? issue.options : undefined;
}

/** Our own messages start with "expected"; zod's never do. */
function ourExpected(message: string | undefined): string | null {
  return message?.startsWith('expected ') ? message : null;
}

function oneOf(issue: Issue): string {
  const values =
    issue.code === 'invalid_value'
      ? issue.values
      : issue.code === 'invalid_union'
        ? unionOptions(issue)
        : undefined;
  if (values !== undefined && values.length > 0) {
    const shown = values.map((v: unknown) => (typeof v === 'string' ? `'${v}'` : String(v)));
    return shown.length === 1 ? `expected ${shown[0]}` : `expected one of ${shown.join(', ')}`;
  }
  return ourExpected(issue.message) ?? 'expected a different kind of value';
}

function tooSmall(issue: z.core.$ZodIssueTooSmall, received: unknown, got: string): string {
  const min = Number(issue.minimum);
  if (issue.origin === 'array' && Array.isArray(received)) {
    return `has ${received.length} item${received.length === 1 ? '' : 's'}; expected at least ${min}`;
  }
  if (issue.origin === 'string')
    return `is empty; expected at least ${min} character${min === 1 ? '' : 's'}`;
  return `${got}; expected ${issue.inclusive === false ? 'more than' : 'at least'} ${min}`;
}

function tooBig(issue: z.core.$ZodIssueTooBig, received: unknown, got: string): string {
  const max = Number(issue.maximum);
  if (issue.origin === 'array' && Array.isArray(received)) {
    return `has ${received.length} items; expected at most ${max}`;
  }
  if (issue.origin === 'string' && typeof received === 'string') {
    return `is ${received.length} characters long; expected at most ${max}`;
  }
  return `${got}; expected ${issue.inclusive === false ? 'less than' : 'at most'} ${max}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/** The field names the schema allows at `path`, for an unknown field's problem. */
function expectedKeysAt(
  schema: z.ZodType,
  path: readonly PropertyKey[],
  input: unknown,
): string[] | null {
  let node: z.ZodType | undefined = unwrap(schema, input);
  let value = input;
  for (const segment of path) {
    value = valueAt(value, [segment]);
    node = node === undefined ? undefined : childOf(node, segment);
    node = node === undefined ? undefined : unwrap(node, value);
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : null;
}

function childOf(node: z.ZodType, segment: PropertyKey): z.ZodType | undefined {
  if (node instanceof z.ZodObject)
    return (node.shape as Record<string, z.ZodType>)[String(segment)];
  if (node instanceof z.ZodArray) return node.element as z.ZodType;
  if (node instanceof z.ZodRecord) return node.valueType as z.ZodType;
  return undefined;
}

/** Sees through optional, defaults, transforms and (by the input's discriminator) unions. */
function unwrap(node: z.ZodType, value: unknown): z.ZodType | undefined {
  let current: z.ZodType = node;
  for (let depth = 0; depth < 8; depth++) {
    if (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodDefault || current instanceof z.ZodPrefault)
      current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else if (current instanceof z.ZodDiscriminatedUnion) {
      const kind = valueAt(value, [current.def.discriminator]);
      const match = (current.options as z.ZodType[]).find(
        (option) => option instanceof z.ZodObject && optionMatches(option, current, kind),
      );
      if (match === undefined) return undefined;
      current = match;
    } else return current;
  }
  return undefined;
}

function optionMatches(option: z.ZodObject, union: z.ZodType, kind: unknown): boolean {
  if (!(union instanceof z.ZodDiscriminatedUnion)) return false;
  const literal = (option.shape as Record<string, z.ZodType>)[union.def.discriminator];
  return literal instanceof z.ZodLiteral && literal.values.has(kind as z.core.util.Literal);
}
