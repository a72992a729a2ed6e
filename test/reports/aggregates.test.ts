import { describe, expect, it } from 'vitest';
import type { ClientOp, Op } from '../../history/op.ts';
import { readHistoryText } from '../../history/reader.ts';
import { FaultWindows, subjectOf } from '../../reports/fault-windows.ts';
import { BUCKETS_MAX, TimeSeries } from '../../reports/time-series.ts';
import { LINES_AROUND, OPS_MAX, TimelinePicker } from '../../reports/timeline-picker.ts';
import { HistoryBuilder } from '../support/history-builder.ts';

const MS = 1_000_000;

function clientOp(
  index: number,
  startMs: number,
  endMs: number | null,
  type: ClientOp['type'],
  region = 'r1',
): ClientOp {
  const invoke: Op = {
    index,
    time: startMs * MS,
    process: index,
    type: 'invoke',
    f: 'read',
    region,
  };
  const completion: Op | null =
    endMs === null
      ? null
      : { index: index + 1, time: endMs * MS, process: index, type, f: 'read', region };
  return {
    invoke,
    completion,
    type,
    startNs: invoke.time,
    endNs: endMs === null ? Number.POSITIVE_INFINITY : endMs * MS,
  };
}

describe('TimeSeries', () => {
  it('counts an op in the bucket of its completion, latency only for ok and fail', () => {
    const series = new TimeSeries();
    series.onClientOp(clientOp(0, 0, 50, 'ok'));
    series.onClientOp(clientOp(2, 20, 150, 'fail'));
    series.onClientOp(clientOp(4, 30, 160, 'info'));
    series.onClientOp(clientOp(6, 40, null, 'info', 'r2'));
    const data = series.data();
    expect(data.bucketMs).toBe(100);
    const r1 = data.regions.find((region) => region.region === 'r1');
    expect(r1?.okPerSec).toEqual([10, 0]);
    expect(r1?.failPerSec).toEqual([0, 10]);
    expect(r1?.infoPerSec).toEqual([0, 10]);
    expect(r1?.p50Ms[0]).toBeCloseTo(50, -1);
    expect(r1?.p50Ms[1]).toBeCloseTo(130, -1);
    const r2 = data.regions.find((region) => region.region === 'r2');
    expect(r2?.totals).toEqual({ ok: 0, fail: 0, info: 0, pending: 1 });
  });

  it('halves its resolution as the run grows, keeping every count and at most BUCKETS_MAX points', () => {
    const series = new TimeSeries();
    const opsCount = 5_000;
    for (let n = 0; n < opsCount; n += 1)
      series.onClientOp(clientOp(2 * n, n * 20, n * 20 + 5, 'ok'));
    const data = series.data();
    expect(data.bucketsCount).toBeLessThanOrEqual(BUCKETS_MAX);
    expect(data.bucketsCount).toBeGreaterThan(BUCKETS_MAX / 2);
    expect(data.regions[0]?.totals.ok).toBe(opsCount);
    const rateSum = (data.regions[0]?.okPerSec ?? []).reduce(
      (sum, rate) => sum + rate * (data.bucketMs / 1000),
      0,
    );
    expect(Math.round(rateSum)).toBe(opsCount);
  });
});

describe('FaultWindows', () => {
  function windowsOf(build: (history: HistoryBuilder) => void) {
    const history = new HistoryBuilder(1_000 * MS);
    build(history);
    const faults = new FaultWindows();
    for (const op of history.ops) faults.onOp(op);
    return faults.finish();
  }

  it('pairs start and stop on the same subject, kill and restart, and keeps failover an instant', () => {
    const windows = windowsOf((history) => {
      history.nemesis('start-isolate', { region: 'r1' });
      history.nemesis('start-isolate', { region: 'r2' });
      history.nemesis('kill-cluster', { cluster: 'ledger', region: 'r1' });
      history.nemesis('failover', { cluster: 'ledger', from: 'r1', to: 'r2' });
      history.nemesis('stop-isolate', { region: 'r2' });
      history.nemesis('restart-cluster', { cluster: 'ledger', region: 'r1' });
      history.nemesis('stop-isolate', { region: 'r1' });
    });
    expect(windows.map((w) => [w.kind, w.subject, w.startMs, w.endMs, w.instant, w.open])).toEqual([
      ['isolate', 'r1', 0, 6000, false, false],
      ['isolate', 'r2', 1000, 4000, false, false],
      ['kill-cluster', 'ledger r1', 2000, 5000, false, false],
      ['failover', 'ledger r1 -> r2', 3000, 3000, true, false],
    ]);
  });

  it('runs a fault never healed to the last line and marks it open', () => {
    const windows = windowsOf((history) => {
      history.nemesis('start-replica-lag', { from: 'r1', to: 'r2', lagMs: 500 });
      history.final('final-read', { accounts: {} }, { region: 'r1' });
    });
    expect(windows).toMatchObject([
      {
        kind: 'replica-lag',
        subject: 'r1 -> r2',
        startMs: 0,
        endMs: 1000,
        open: true,
        endIndex: null,
      },
    ]);
  });

  it('names subjects of partitions and links', () => {
    expect(subjectOf({ regions: ['r1', 'r2'] })).toBe('r1 <-> r2');
    expect(subjectOf({ region: 'r1', skewMs: 300 })).toBe('r1');
    expect(subjectOf(null)).toBe('');
  });
});

describe('TimelinePicker', () => {
  it(`keeps the client ops within ${LINES_AROUND} lines of a named index, and summarises named final lines`, () => {
    const history = new HistoryBuilder();
    history.init({ accounts: { a: 1 } });
    for (let n = 0; n < 100; n += 1) {
      history.invoke(n, 'read', { key: 'k' }, { region: 'r1' });
      history.ok(n, 'read', { key: 'k', value: null }, { region: 'r1' });
    }
    const ledger = history.final('ledger', { entries: [{ tx: 't', account: 'a', amount: 1 }] });
    const picker = new TimelinePicker([101, ledger]);
    readHistoryText('t', history.text(), {
      onOp: (op) => picker.onOp(op),
      onClientOp: (op) => picker.onClientOp(op),
    });
    const kept = picker.ops.map((op) => op.i);
    expect(kept).toContain(101);
    // Invokes sit on odd lines: the op on lines 71-72 touches the window [71, 131], 69-70 does not.
    expect(kept).toContain(101 - LINES_AROUND);
    expect(kept).not.toContain(101 - LINES_AROUND - 2);
    expect(kept).toContain(199);
    expect(picker.namedLines).toEqual([
      {
        index: ledger,
        process: 'final',
        f: 'ledger',
        timeMs: ledger,
        region: null,
        summary: '1 ledger entries',
      },
    ]);
    expect(picker.opsDropped).toBe(0);
  });

  it(`keeps at most ${OPS_MAX} ops and counts the rest`, () => {
    const picker = new TimelinePicker(Array.from({ length: 3_000 }, (_, n) => n * 2));
    for (let n = 0; n < OPS_MAX + 10; n += 1) picker.onClientOp(clientOp(n, n, n + 1, 'ok'));
    expect(picker.ops).toHaveLength(OPS_MAX);
    expect(picker.opsDropped).toBe(10);
  });
});
