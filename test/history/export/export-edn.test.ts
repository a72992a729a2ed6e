import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ETCD_DIR } from '../../../bench/linearizable-etcd.ts';
import { exportEdn } from '../../../history/export/export-edn.ts';
import { importJepsen } from '../../../history/import/import-jepsen.ts';
import type { Op } from '../../../history/op.ts';
import { loadHistoryOps, readHistoryText } from '../../../history/reader.ts';
import { HistoryBuilder } from '../../support/history-builder.ts';

const dir = mkdtempSync(join(tmpdir(), 'paychaos-export-'));
let fileCount = 0;

function historyFile(ops: Op[]): string {
  fileCount += 1;
  const file = join(dir, `${fileCount}.jsonl`);
  writeFileSync(file, ops.map((op) => `${JSON.stringify(op)}\n`).join(''));
  return file;
}

function exportText(ops: Op[]): string {
  const parts: string[] = [];
  const { opsWritten } = exportEdn(historyFile(ops), (text) => parts.push(text));
  expect(opsWritten).toBe(ops.length);
  return parts.join('');
}

function roundTrip(ops: Op[]): Op[] {
  const edn = join(dir, `${++fileCount}.edn`);
  writeFileSync(edn, exportText(ops));
  const back = join(dir, `${++fileCount}.jsonl`);
  importJepsen(edn, back, {});
  return loadHistoryOps(back);
}

describe('EDN export', () => {
  it('prints a history of one register with plain values, Jepsen style', () => {
    const h = new HistoryBuilder();
    h.init({ registers: { register: null }, strong: ['register'] });
    h.invoke(0, 'cas', { key: 'register', from: null, to: 2 });
    h.invoke(1, 'read', { key: 'register' });
    h.ok(0, 'cas');
    h.ok(1, 'read', { key: 'register', value: 2 }, { region: 'ap-northeast-1' });
    h.nemesis('start-isolate', { region: 'ap-northeast-3' });
    h.invoke(2, 'write', { key: 'register', value: 'x"y' });
    h.add(2, 'info', 'write', { key: 'register' }, { error: 'timed-out' });
    expect(exportText(h.ops).split('\n')).toEqual([
      '{:type :ok, :f :init, :value {:registers {:register nil}, :strong ["register"]}, :process :setup, :time 0, :index 0}',
      '{:type :invoke, :f :cas, :value [nil 2], :process 0, :time 1000000, :index 1}',
      '{:type :invoke, :f :read, :value nil, :process 1, :time 2000000, :index 2}',
      '{:type :ok, :f :cas, :process 0, :time 3000000, :index 3}',
      '{:type :ok, :f :read, :value 2, :process 1, :time 4000000, :index 4, :region "ap-northeast-1"}',
      '{:type :info, :f :start-isolate, :value {:region "ap-northeast-3"}, :process :nemesis, :time 5000000, :index 5}',
      '{:type :invoke, :f :write, :value "x\\"y", :process 2, :time 6000000, :index 6}',
      '{:type :info, :f :write, :process 2, :time 7000000, :index 7, :error :timed-out}',
      '',
    ]);
  });

  it('prints jepsen.independent tuples when there are several keys, and bank ops as maps', () => {
    const h = new HistoryBuilder();
    h.init({ accounts: { alice: 10, '0': 5 } });
    h.invoke(0, 'write', { key: '7', value: 1 });
    h.ok(0, 'write', { ts: 99 });
    h.invoke(0, 'read', { key: 'k' });
    h.fail(0, 'read', { key: 'k' }, { error: 'connection refused' });
    h.invoke(1, 'transfer', { id: 't1', from: 'alice', to: '0', amount: 3 });
    expect(exportText(h.ops).split('\n')).toEqual([
      '{:type :ok, :f :init, :value {:accounts {0 5, :alice 10}}, :process :setup, :time 0, :index 0}',
      '{:type :invoke, :f :write, :value [7 1], :process 0, :time 1000000, :index 1}',
      '{:type :ok, :f :write, :process 0, :time 2000000, :index 2, :ts 99}',
      '{:type :invoke, :f :read, :value ["k" nil], :process 0, :time 3000000, :index 3}',
      '{:type :fail, :f :read, :process 0, :time 4000000, :index 4, :error "connection refused"}',
      '{:type :invoke, :f :transfer, :value {:id "t1", :from "alice", :to "0", :amount 3}, :process 1, :time 5000000, :index 5}',
      '',
    ]);
  });

  it('prints one key that is not "register" and not named alone by init as tuples, so it survives', () => {
    const h = new HistoryBuilder();
    h.invoke(0, 'write', { key: 'x', value: 1 });
    expect(exportText(h.ops)).toContain(':value ["x" 1]');
    expect(roundTrip(h.ops)[1]?.value).toEqual({ key: 'x', value: 1 });
  });
});

/** One step of a generated register history; see registerHistory. */
interface Step {
  slot: number;
  f: 'read' | 'write' | 'cas';
  key: number;
  a: number | string | null;
  b: number | string | null;
  outcome: 'ok' | 'fail' | 'info';
  bare: boolean;
  error: string | null;
  region: boolean;
  nemesis: string | null;
}

const KEY_SETS = [['register'], ['x'], ['0', '1', 'k']];
const valueArb = fc.oneof(
  fc.integer({ min: 0, max: 5 }),
  fc.constantFrom('a', 'b c'),
  fc.constant(null),
);
const stepArb: fc.Arbitrary<Step> = fc.record({
  slot: fc.integer({ min: 0, max: 3 }),
  f: fc.constantFrom('read' as const, 'write' as const, 'cas' as const),
  key: fc.integer({ min: 0, max: 2 }),
  a: valueArb,
  b: valueArb,
  outcome: fc.constantFrom('ok' as const, 'fail' as const, 'info' as const),
  bare: fc.boolean(),
  error: fc.constantFrom(null, 'timed-out', 'connection refused'),
  region: fc.boolean(),
  nemesis: fc.constantFrom(null, null, null, 'start-partition', 'stop-partition', 'kill'),
});

function completionValue(invoke: Op, step: Step): unknown {
  const key = (invoke.value as { key: string }).key;
  if (step.outcome === 'ok') return invoke.f === 'read' ? { key, value: step.a } : invoke.value;
  return step.bare || invoke.f === 'read' ? { key } : invoke.value;
}

/**
 * Register histories in the form the importer produces: several processes with overlapping ops,
 * ok/fail/info outcomes (a process that ends with info is replaced by a fresh one), nemesis
 * lines, ops still pending at the end, an init naming the keys.
 */
function registerHistory(keySet: number, strong: boolean, steps: Step[]): Op[] {
  const keys = KEY_SETS[keySet]!;
  const h = new HistoryBuilder();
  h.init(
    strong
      ? { registers: Object.fromEntries(keys.map((k) => [k, null])), strong: keys }
      : { registers: Object.fromEntries(keys.map((k) => [k, null])) },
  );
  const processes = [0, 1, 2, 3];
  const inFlight = new Map<number, Op>();
  let processNext = 4;
  for (const step of steps) {
    if (step.nemesis !== null) {
      h.nemesis(step.nemesis, step.slot % 2 === 0 ? null : { region: 'ap-northeast-1' });
      continue;
    }
    const process = processes[step.slot]!;
    const invoke = inFlight.get(process);
    const extras = step.region ? { region: 'ap-northeast-3' } : {};
    if (invoke === undefined) {
      const key = keys[step.key % keys.length]!;
      const value =
        step.f === 'read'
          ? { key }
          : step.f === 'write'
            ? { key, value: step.a }
            : { key, from: step.a, to: step.b };
      h.add(process, 'invoke', step.f, value, extras);
      inFlight.set(process, h.ops.at(-1)!);
      continue;
    }
    const error = step.outcome === 'ok' ? {} : step.error === null ? {} : { error: step.error };
    h.add(process, step.outcome, invoke.f, completionValue(invoke, step), { ...extras, ...error });
    inFlight.delete(process);
    if (step.outcome === 'info') processes[step.slot] = processNext++;
  }
  return h.ops;
}

describe('import(export(h)) == h for register histories', () => {
  it('holds for generated histories of one or several keys', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        fc.array(stepArb, { maxLength: 30 }),
        (keySet, strong, steps) => {
          const ops = registerHistory(keySet, strong, steps);
          readHistoryText('generated.jsonl', ops.map((op) => `${JSON.stringify(op)}\n`).join(''), {
            onOp: () => {},
            onClientOp: () => {},
          });
          expect(roundTrip(ops)).toEqual(ops);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('holds for an imported etcd history', () => {
    const first = join(dir, 'etcd.jsonl');
    importJepsen(join(ETCD_DIR, 'etcd_002.log'), first, {});
    const ops = loadHistoryOps(first);
    expect(roundTrip(ops)).toEqual(ops);
  });
});
