/**
 * The small zod pieces the scenario schema is built from. Every custom message starts with
 * "expected ...": the problem translator (zod-problems.ts) prefixes what it got.
 */
import { z } from 'zod';
import { parseDurationMs } from './duration.ts';

/** What a person writes for a duration: '500ms', '20s', '2m', '1m30s', or milliseconds. */
export type DurationInput = string | number;

const EXPECTED_DURATION =
  "expected a duration such as '500ms', '20s', '2m' or a number of milliseconds";

function isDurationInput(input: unknown): input is DurationInput {
  return typeof input === 'string' || typeof input === 'number';
}

function durationOf(signed: boolean) {
  return z
    .custom<DurationInput>(isDurationInput, { error: EXPECTED_DURATION })
    .transform((input, ctx) => {
      const parsed = parseDurationMs(input, { signed });
      if (parsed.ok) return parsed.ms;
      ctx.addIssue({ code: 'custom', message: parsed.problem, input });
      return z.NEVER;
    });
}

/** A non-negative duration, parsed into integer milliseconds. */
export const duration = durationOf(false);
/** A duration that may be negative (clock skew), parsed into integer milliseconds. */
export const signedDuration = durationOf(true);

export const regionName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, {
  error: 'expected a region name of lowercase letters, digits and dashes, such as ap-northeast-1',
});

export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {
  error: 'expected a name of lowercase letters, digits and dashes, such as region-isolation',
});

/** An amount in minor units (yen, cents). */
export const amount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A share of something, 0 to 1. */
export const fraction = z.number().min(0).max(1);

/** An inclusive range of plain numbers; min <= max is a cross-field rule. */
export function numberRange<T extends z.ZodNumber>(bound: T) {
  return z.strictObject({ min: bound, max: bound });
}

/** An inclusive range of durations, parsed into integer milliseconds. */
export function durationRange(signed = false) {
  const bound = signed ? signedDuration : duration;
  return z.strictObject({ min: bound, max: bound });
}
