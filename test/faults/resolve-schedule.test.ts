import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fault, ScheduledFault } from '../../faults/fault.ts';
import { nemesisOpDraft } from '../../faults/nemesis-action.ts';
import { resolveSchedule } from '../../faults/resolve-schedule.ts';

const T = 'ap-northeast-1';
const O = 'ap-northeast-3';

function at(atMs: number, durationMs: number, fault: Fault): ScheduledFault {
  return { atMs, durationMs, fault };
}

describe('resolveSchedule', () => {
  it("gives every kind design.md's f names and values", () => {
    const faults = [
      at(1000, 1000, { kind: 'isolate', region: T }),
      at(2000, 1000, { kind: 'partition', regions: [T, O] }),
      at(3000, 1000, { kind: 'replica-lag', from: T, to: O, lagMs: 500 }),
      at(4000, 1000, { kind: 'pause-replication', from: O, to: T }),
      at(5000, 1000, { kind: 'kill-cluster', cluster: 'ledger', region: T }),
      at(6000, 0, { kind: 'failover', cluster: 'ledger', from: T, to: O }),
      at(7000, 1000, { kind: 'clock-skew', region: O, skewMs: -250 }),
      at(8500, 1000, { kind: 'crash-bank', region: O }),
    ];
    expect(resolveSchedule(faults, 10_000).map(({ atMs, f, value }) => [atMs, f, value])).toEqual([
      [1000, 'start-isolate', { region: T }],
      [2000, 'stop-isolate', { region: T }],
      [2000, 'start-partition', { regions: [T, O] }],
      [3000, 'stop-partition', { regions: [T, O] }],
      [3000, 'start-replica-lag', { from: T, to: O, lagMs: 500 }],
      [4000, 'stop-replica-lag', { from: T, to: O, lagMs: 500 }],
      [4000, 'start-pause-replication', { from: O, to: T }],
      [5000, 'stop-pause-replication', { from: O, to: T }],
      [5000, 'kill-cluster', { cluster: 'ledger', region: T }],
      [6000, 'restart-cluster', { cluster: 'ledger', region: T }],
      [6000, 'failover', { cluster: 'ledger', from: T, to: O }],
      [7000, 'start-clock-skew', { region: O, skewMs: -250 }],
      [8000, 'stop-clock-skew', { region: O, skewMs: -250 }],
      [8500, 'crash-bank', { region: O }],
      [9500, 'restart-bank', { region: O }],
    ]);
  });

  it('orders simultaneous actions: heals, then new faults, then failovers, then by fault index', () => {
    const faults = [
      at(1000, 0, { kind: 'failover', cluster: 'ledger', from: T, to: O }),
      at(1000, 500, { kind: 'kill-cluster', cluster: 'ledger', region: T }),
      at(500, 500, { kind: 'isolate', region: O }),
      at(1000, 500, { kind: 'crash-bank', region: T }),
    ];
    expect(resolveSchedule(faults, 2000).map((a) => [a.atMs, a.edge, a.f, a.faultIndex])).toEqual([
      [500, 'start', 'start-isolate', 2],
      [1000, 'stop', 'stop-isolate', 2],
      [1000, 'start', 'kill-cluster', 1],
      [1000, 'start', 'crash-bank', 3],
      [1000, 'instant', 'failover', 0],
      [1500, 'stop', 'restart-cluster', 1],
      [1500, 'stop', 'restart-bank', 3],
    ]);
  });

  it('refuses a schedule a validated scenario could not have', () => {
    const isolate: Fault = { kind: 'isolate', region: T };
    expect(() => resolveSchedule([at(1000, 1000, isolate)], 1500)).toThrow(
      'resolveSchedule: faults[0] (isolate): ends at 2000 ms, after the run (1500 ms)',
    );
    expect(() => resolveSchedule([at(0, 0, isolate)], 1500)).toThrow('is not positive');
    expect(() =>
      resolveSchedule([at(0, 5, { kind: 'failover', cluster: 'c', from: T, to: O })], 10),
    ).toThrow('is not 0');
  });

  it('writes an action as the nemesis history line', () => {
    const [action] = resolveSchedule([at(0, 10, { kind: 'isolate', region: T })], 10);
    if (action === undefined) throw new Error('no action');
    expect(nemesisOpDraft(action, 42)).toEqual({
      time: 42,
      process: 'nemesis',
      type: 'info',
      f: 'start-isolate',
      value: { region: T },
    });
  });

  it('is time-ordered, pairs each start before its stop, and ignores the input order of ties', () => {
    const runMs = 10_000;
    const fault = fc.record({
      atMs: fc.integer({ min: 0, max: runMs - 2 }),
      durationMs: fc.integer({ min: 1, max: 5000 }),
      region: fc.constantFrom(T, O),
    });
    fc.assert(
      fc.property(fc.array(fault, { maxLength: 8 }), (specs) => {
        const faults = specs.map((s) =>
          at(s.atMs, Math.min(s.durationMs, runMs - s.atMs), {
            kind: 'crash-bank',
            region: s.region,
          }),
        );
        const schedule = resolveSchedule(faults, runMs);
        expect(schedule).toHaveLength(2 * faults.length);
        for (let i = 1; i < schedule.length; i++) {
          expect(schedule[i]!.atMs).toBeGreaterThanOrEqual(schedule[i - 1]!.atMs);
        }
        faults.forEach((_, index) => {
          const mine = schedule.filter((a) => a.faultIndex === index).map((a) => a.f);
          expect(mine).toEqual(['crash-bank', 'restart-bank']);
        });
        expect(resolveSchedule(faults, runMs)).toEqual(schedule);
      }),
      { numRuns: 150 },
    );
  });
});
