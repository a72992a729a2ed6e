import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScheduledFault } from '../../faults/fault.ts';
import { phasesOf } from '../../faults/phases.ts';
import { resolveSchedule } from '../../faults/resolve-schedule.ts';

const T = 'ap-northeast-1';
const O = 'ap-northeast-3';

function phases(faults: ScheduledFault[], runMs: number) {
  return phasesOf(resolveSchedule(faults, runMs), runMs).map((w) => [w.phase, w.startMs, w.endMs]);
}

describe('phasesOf', () => {
  it('is one before window when nothing happens', () => {
    expect(phases([], 60_000)).toEqual([['before', 0, 60_000]]);
  });

  it('merges overlapping faults into one during window; a failover ends before with no during of its own', () => {
    const faults: ScheduledFault[] = [
      { atMs: 10_000, durationMs: 10_000, fault: { kind: 'isolate', region: T } },
      { atMs: 15_000, durationMs: 10_000, fault: { kind: 'partition', regions: [T, O] } },
      {
        atMs: 40_000,
        durationMs: 0,
        fault: { kind: 'failover', cluster: 'ledger', from: T, to: O },
      },
    ];
    expect(phases(faults, 60_000)).toEqual([
      ['before', 0, 10_000],
      ['during', 10_000, 25_000],
      ['after', 25_000, 60_000],
    ]);
    expect(phases([faults[2]!], 60_000)).toEqual([
      ['before', 0, 40_000],
      ['after', 40_000, 60_000],
    ]);
  });

  it('calls the quiet time between two faults after, and touching faults one during', () => {
    const crash = (atMs: number, durationMs: number): ScheduledFault => ({
      atMs,
      durationMs,
      fault: { kind: 'crash-bank', region: O },
    });
    expect(phases([crash(0, 10_000), crash(20_000, 5000)], 30_000)).toEqual([
      ['during', 0, 10_000],
      ['after', 10_000, 20_000],
      ['during', 20_000, 25_000],
      ['after', 25_000, 30_000],
    ]);
    expect(phases([crash(5000, 5000), crash(10_000, 20_000)], 30_000)).toEqual([
      ['before', 0, 5000],
      ['during', 5000, 30_000],
    ]);
  });

  it('covers the run exactly, alternating phases, with during exactly where a fault is active', () => {
    const runMs = 1000;
    const fault = fc.record({
      atMs: fc.integer({ min: 0, max: runMs - 1 }),
      durationMs: fc.integer({ min: 0, max: 400 }),
    });
    fc.assert(
      fc.property(fc.array(fault, { maxLength: 6 }), (specs) => {
        const faults: ScheduledFault[] = specs.map(({ atMs, durationMs }) =>
          durationMs === 0
            ? { atMs, durationMs: 0, fault: { kind: 'failover', cluster: 'c', from: T, to: O } }
            : {
                atMs,
                durationMs: Math.min(durationMs, runMs - atMs),
                fault: { kind: 'isolate', region: T },
              },
        );
        const windows = phasesOf(resolveSchedule(faults, runMs), runMs);
        expect(windows[0]!.startMs).toBe(0);
        expect(windows.at(-1)!.endMs).toBe(runMs);
        for (let i = 1; i < windows.length; i++) {
          expect(windows[i]!.startMs).toBe(windows[i - 1]!.endMs);
          expect(windows[i]!.phase).not.toBe(windows[i - 1]!.phase);
          expect(windows[i]!.phase).not.toBe('before');
        }
        const active = (ms: number) =>
          faults.some((f) => f.atMs <= ms && ms < f.atMs + f.durationMs);
        const started = (ms: number) => faults.some((f) => f.atMs <= ms);
        for (const w of windows) {
          for (const ms of [w.startMs, w.endMs - 1]) {
            const expected = active(ms) ? 'during' : started(ms) ? 'after' : 'before';
            expect(w.phase).toBe(expected);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
