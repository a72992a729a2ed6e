/**
 * Durations as people write them in a scenario: '500ms', '20s', '2m', '1h', compounds such as
 * '1m30s', or a plain number of milliseconds. They are parsed once, into integer milliseconds,
 * when a scenario is validated; nothing downstream sees a duration string.
 */

/** A duration longer than a day is a typo (a missing unit, an extra zero), never a plan. */
export const DURATION_MS_MAX = 24 * 60 * 60 * 1000;

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const TERM = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
/** Bounds the compound loop: '1h2m3s4ms' has four terms; more is nonsense, not a duration. */
const TERMS_MAX = 4;

export type DurationParse = { ok: true; ms: number } | { ok: false; problem: string };

export interface DurationOptions {
  /** Clock skew may be negative ('-500ms'); every other duration may not. */
  signed?: boolean;
}

const EXPECTED = "expected a duration such as '500ms', '20s', '2m' or a number of milliseconds";

/** Parses a duration string or a number of milliseconds into integer milliseconds. */
export function parseDurationMs(input: unknown, options: DurationOptions = {}): DurationParse {
  const signed = options.signed === true;
  let ms: number | null;
  if (typeof input === 'number') {
    if (!Number.isFinite(input))
      return { ok: false, problem: `${input} is not finite; ${EXPECTED}` };
    ms = input;
  } else if (typeof input === 'string') {
    ms = parseText(input.trim());
    if (ms === null) return { ok: false, problem: `'${input}' is not a duration; ${EXPECTED}` };
  } else {
    return { ok: false, problem: EXPECTED };
  }
  return checkRange(input, ms, signed);
}

function checkRange(input: unknown, ms: number, signed: boolean): DurationParse {
  const shown = typeof input === 'string' ? `'${input}'` : String(input);
  if (!Number.isInteger(ms)) {
    return { ok: false, problem: `${shown} is not a whole number of milliseconds` };
  }
  if (ms < 0 && !signed) return { ok: false, problem: `${shown} is negative; expected 0 or more` };
  if (Math.abs(ms) > DURATION_MS_MAX) {
    return { ok: false, problem: `${shown} is longer than a day; expected at most 24h` };
  }
  return { ok: true, ms: ms === 0 ? 0 : ms };
}

function parseText(text: string): number | null {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  if (body === '') return null;
  let totalMs = 0;
  let offset = 0;
  for (let terms = 0; offset < body.length; terms++) {
    if (terms === TERMS_MAX) return null;
    TERM.lastIndex = offset;
    const match = TERM.exec(body);
    if (match === null) return null;
    const unitMs = UNIT_MS[match[2] ?? ''];
    if (unitMs === undefined)
      throw new Error(`duration unit regex and table disagree: ${match[2]}`);
    // Round away float noise ('0.1s' * 1000 = 100.00000000000001) but keep real fractions of a ms.
    totalMs += Math.round(Number(match[1]) * unitMs * 1e6) / 1e6;
    offset = TERM.lastIndex;
  }
  return negative ? -totalMs : totalMs;
}

/** '75s', '1.5s', '500ms', '-2s': how durations read in problems and reports. */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) throw new Error(`formatDurationMs: ${ms} is not finite`);
  const sign = ms < 0 ? '-' : '';
  const absMs = Math.abs(ms);
  if (absMs < 1000) return `${sign}${absMs}ms`;
  return `${sign}${absMs / 1000}s`;
}
