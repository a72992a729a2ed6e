import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseDurationMs } from '../../scenario-dsl/duration.ts';

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['20s', 20_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['0.1s', 100],
    [' 20s ', 20_000],
    ['0s', 0],
    [250, 250],
    [0, 0],
  ])('reads %j as %d ms', (input, ms) => {
    expect(parseDurationMs(input)).toEqual({ ok: true, ms });
  });

  it('reads negative durations only where they are allowed', () => {
    expect(parseDurationMs('-500ms', { signed: true })).toEqual({ ok: true, ms: -500 });
    expect(parseDurationMs('-2s')).toEqual({
      ok: false,
      problem: "'-2s' is negative; expected 0 or more",
    });
  });

  it.each([
    [
      '20',
      "'20' is not a duration; expected a duration such as '500ms', '20s', '2m' or a number of milliseconds",
    ],
    [
      '20x',
      "'20x' is not a duration; expected a duration such as '500ms', '20s', '2m' or a number of milliseconds",
    ],
    [
      '',
      "'' is not a duration; expected a duration such as '500ms', '20s', '2m' or a number of milliseconds",
    ],
    ['1.5ms', "'1.5ms' is not a whole number of milliseconds"],
    [2.5, '2.5 is not a whole number of milliseconds'],
    ['25h', "'25h' is longer than a day; expected at most 24h"],
    [
      '1h1m1s1ms1ms',
      "'1h1m1s1ms1ms' is not a duration; expected a duration such as '500ms', '20s', '2m' or a number of milliseconds",
    ],
  ])('refuses %j', (input, problem) => {
    expect(parseDurationMs(input)).toEqual({ ok: false, problem });
  });

  it('formats durations as problems show them', () => {
    expect([75_000, 60_000, 1500, 500, 0, -2000].map(formatDurationMs)).toEqual([
      '75s',
      '60s',
      '1.5s',
      '500ms',
      '0ms',
      '-2s',
    ]);
  });

  it('reads back what it formats', () => {
    fc.assert(
      fc.property(fc.integer({ min: -86_400_000, max: 86_400_000 }), (ms) => {
        expect(parseDurationMs(formatDurationMs(ms), { signed: true })).toEqual({ ok: true, ms });
      }),
      { numRuns: 200 },
    );
  });
});
