/**
 * lag.jsonl: every line the writer accepts reads back equal (a property over arbitrary lines of
 * each kind), and a line of the wrong shape is refused on both sides, naming the file, the line
 * and the field.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AURORA_SOURCE,
  DYNAMODB_SOURCE,
  type LagLine,
  LagWriter,
  readLagFile,
} from '../../history/lag-samples.ts';

const dir = mkdtempSync(join(tmpdir(), 'paychaos-lag-samples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const region = fc.constantFrom('ap-northeast-1', 'ap-northeast-3', 'us-east-1');
const lagMs = fc.option(fc.integer({ min: 0, max: 3_600_000 }), { nil: null });
const iso = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((ms) => new Date(ms).toISOString());
const text = fc.string({ minLength: 1, maxLength: 40 });

const lagLine: fc.Arbitrary<LagLine> = fc.oneof(
  fc.record({
    source: fc.constant(AURORA_SOURCE),
    atMs: fc.integer({ min: 0, max: 86_400_000 }),
    at: iso,
    writer: region,
    region,
    durabilityLagMs: lagMs,
    rpoLagMs: lagMs,
    highestLsnWritten: fc.option(fc.bigInt({ min: 0n, max: 2n ** 62n }).map(String), { nil: null }),
    lastLagCalculationTime: fc.option(iso, { nil: null }),
  }),
  fc.record({
    source: fc.constant(AURORA_SOURCE),
    atMs: fc.integer({ min: 0, max: 86_400_000 }),
    at: iso,
    writer: region,
    gap: text,
  }),
  fc.record({
    source: fc.constant(DYNAMODB_SOURCE),
    table: fc.constantFrom('balances', 'registers'),
    region,
    receivingRegion: region,
    at: iso,
    periodS: fc.constantFrom(60, 300),
    averageMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
    maximumMs: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: null }),
  }),
  fc.record({
    source: fc.constant(DYNAMODB_SOURCE),
    table: fc.constantFrom('balances', 'registers'),
    region,
    receivingRegion: region,
    gap: text,
  }),
);

describe('lag.jsonl', () => {
  it('reads back every line the writer wrote, in order', () => {
    let n = 0;
    fc.assert(
      fc.property(fc.array(lagLine, { maxLength: 20 }), (lines) => {
        const file = join(dir, `roundtrip-${n++}.jsonl`);
        const writer = new LagWriter(file);
        for (const line of lines) writer.append(line);
        writer.close();
        expect(readLagFile(file)).toEqual(lines);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses to write a line of the wrong shape, naming the line and the field', () => {
    const writer = new LagWriter(join(dir, 'refused.jsonl'));
    const good = {
      source: AURORA_SOURCE,
      atMs: 10,
      at: '2026-12-03T10:00:00.000Z',
      writer: 'ap-northeast-1',
      gap: 'timeout',
    } as const;
    writer.append(good);
    expect(() => writer.append({ ...good, atMs: -1 })).toThrow(
      /refused\.jsonl: line 2: atMs: expected a finite number of ms >= 0/,
    );
    expect(() => writer.append({ ...good, extra: 1 } as unknown as LagLine)).toThrow(
      /line 2: extra: expected one of the fields source, atMs, at, writer, gap/,
    );
    writer.close();
    expect(readLagFile(join(dir, 'refused.jsonl'))).toEqual([good]);
  });

  it('keeps within its bounds: a line that does not fit is not written, the last line is', () => {
    const file = join(dir, 'full.jsonl');
    const writer = new LagWriter(file, { linesMax: 3, bytesMax: 1_000_000 });
    const gap = (atMs: number) =>
      ({
        source: AURORA_SOURCE,
        atMs,
        at: '2026-12-03T10:00:00.000Z',
        writer: 'a',
        gap: 'x',
      }) as const;
    expect([writer.append(gap(1)), writer.append(gap(2)), writer.append(gap(3))]).toEqual([
      true,
      true,
      false,
    ]);
    expect(writer.isFull).toBe(true);
    writer.appendLast(gap(4));
    expect(() => writer.appendLast(gap(5))).toThrow('the last line is written once');
    writer.close();
    expect(readLagFile(file).map((line) => 'atMs' in line && line.atMs)).toEqual([1, 2, 4]);
    const small = new LagWriter(join(dir, 'small.jsonl'), { linesMax: 100, bytesMax: 2_100 });
    expect(small.append(gap(1))).toBe(false);
    small.close();
  });

  it('refuses to read a bad line, naming the file and the line', () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ source: DYNAMODB_SOURCE, table: 'balances', region: 'a', receivingRegion: 'b', gap: 'none' })}\n{"source":"dynamodb-replication-latency","table":"t","region":"a","receivingRegion":"b","at":"yesterday","periodS":60,"averageMs":1,"maximumMs":null}\n`,
    );
    expect(() => readLagFile(file)).toThrow(`${file}: line 2: at: expected an ISO 8601 time`);
    writeFileSync(file, 'not json\n');
    expect(() => readLagFile(file)).toThrow(`${file}: line 1: expected a JSON object`);
    writeFileSync(file, '{"source":"kafka"}\n');
    expect(() => readLagFile(file)).toThrow(
      `${file}: line 1: source: expected aurora-global-db-status or dynamodb-replication-latency`,
    );
  });
});
