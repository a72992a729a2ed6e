/**
 * Generates a bank history from a correct model, for the benchmark: `processesCount` clients
 * with one op in flight each, transfers/deposits/withdrawals and consistent balance reads, a
 * fraction of outcomes unknown (info; the model decides in secret whether they applied), then a
 * final read per region and the ledger. Every checker must call it valid.
 *
 * Each op takes effect (if it does) at its completion event, which lies inside its interval, so
 * the history is linearizable by construction.
 */
import { HistoryWriter } from '../history/writer.ts';

export interface BankHistoryOptions {
  file: string;
  opsCount: number;
  accountsCount: number;
  processesCount: number;
  /** Fraction of client ops that are consistent balance reads. */
  readFraction: number;
  /** Fraction of mutations whose outcome is unknown (info). */
  unknownFraction: number;
  seed: number;
  regions: readonly string[];
}

/** mulberry32: small, fast, seeded; good enough to shape a benchmark. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation =
  | { f: 'transfer'; id: string; from: number; to: number; amount: number }
  | { f: 'deposit' | 'withdraw'; id: string; account: number; amount: number };

interface InFlight {
  process: number;
  region: string;
  op: Mutation | { f: 'balances' };
}

const LEDGER_ENTRIES_PER_LINE = 10_000;
const INITIAL_BALANCE = 1_000;

export function generateBankHistory(options: BankHistoryOptions): { opsWritten: number } {
  const random = seededRandom(options.seed);
  const pick = (n: number) => Math.floor(random() * n);
  const accounts = Array.from({ length: options.accountsCount }, (_, i) => `acct-${i}`);
  const balances = new Array<number>(accounts.length).fill(INITIAL_BALANCE);
  const ledger: { tx: string; account: string; amount: number }[] = [];
  const writer = new HistoryWriter(options.file, { bufferBytesMax: 8 * 1024 * 1024 });
  let timeNs = 0;
  let nextId = 0;
  let nextProcess = options.processesCount;
  const slots: (InFlight | null)[] = Array.from({ length: options.processesCount }, () => null);
  const processes = Array.from({ length: options.processesCount }, (_, i) => i);
  writer.append({
    time: 0,
    process: 'setup',
    type: 'ok',
    f: 'init',
    value: { accounts: Object.fromEntries(accounts.map((a) => [a, INITIAL_BALANCE])) },
  });

  const applies = (op: Mutation): boolean => {
    if (op.f === 'transfer') return balances[op.from]! >= op.amount;
    return op.f === 'deposit' || balances[op.account]! >= op.amount;
  };
  const apply = (op: Mutation): void => {
    if (op.f === 'transfer') {
      balances[op.from]! -= op.amount;
      balances[op.to]! += op.amount;
      ledger.push({ tx: op.id, account: accounts[op.from]!, amount: -op.amount });
      ledger.push({ tx: op.id, account: accounts[op.to]!, amount: op.amount });
    } else {
      const sign = op.f === 'deposit' ? 1 : -1;
      balances[op.account]! += sign * op.amount;
      ledger.push({ tx: op.id, account: accounts[op.account]!, amount: sign * op.amount });
    }
  };
  const newOp = (): Mutation | { f: 'balances' } => {
    const roll = random();
    if (roll < options.readFraction) return { f: 'balances' };
    const id = `t${nextId++}`;
    const amount = 1 + pick(100);
    if (roll < options.readFraction + (1 - options.readFraction) * 0.7) {
      const from = pick(accounts.length);
      const to = (from + 1 + pick(accounts.length - 1)) % accounts.length;
      return { f: 'transfer', id, from, to, amount };
    }
    return {
      f: random() < 0.5 ? 'deposit' : 'withdraw',
      id,
      account: pick(accounts.length),
      amount,
    };
  };
  const invokeValue = (op: Mutation | { f: 'balances' }): unknown => {
    if (op.f === 'balances') return null;
    if (op.f === 'transfer')
      return { id: op.id, from: accounts[op.from], to: accounts[op.to], amount: op.amount };
    return { id: op.id, account: accounts[op.account], amount: op.amount };
  };

  while (writer.opsWritten < options.opsCount) {
    const slot = pick(slots.length);
    timeNs += 1 + pick(20_000);
    const inFlight = slots[slot];
    if (inFlight === null || inFlight === undefined) {
      const op = newOp();
      const region = options.regions[pick(options.regions.length)]!;
      slots[slot] = { process: processes[slot]!, region, op };
      writer.append({
        time: timeNs,
        process: processes[slot]!,
        type: 'invoke',
        f: op.f,
        value: invokeValue(op),
        region,
      });
      continue;
    }
    slots[slot] = null;
    const { process, op } = inFlight;
    if (op.f === 'balances') {
      const value = {
        balances: Object.fromEntries(accounts.map((a, i) => [a, balances[i]])),
        consistent: true,
      };
      writer.append({ time: timeNs, process, type: 'ok', f: 'balances', value });
      continue;
    }
    const unknown = random() < options.unknownFraction;
    const applied = applies(op) && (!unknown || random() < 0.5);
    if (applied) apply(op);
    if (unknown) {
      writer.append({ time: timeNs, process, type: 'info', f: op.f, error: 'timeout' });
      processes[slot] = nextProcess++;
    } else {
      writer.append({
        time: timeNs,
        process,
        type: applied ? 'ok' : 'fail',
        f: op.f,
        ...(applied ? {} : { error: 'insufficient-funds' }),
      });
    }
  }
  for (const slot of slots.keys()) {
    const inFlight = slots[slot];
    if (inFlight === null || inFlight === undefined) continue;
    timeNs += 1000;
    writer.append({
      time: timeNs,
      process: inFlight.process,
      type: 'info',
      f: inFlight.op.f,
      error: 'run ended',
    });
  }
  for (const region of options.regions) {
    timeNs += 1_000_000;
    const value = { accounts: Object.fromEntries(accounts.map((a, i) => [a, balances[i]])) };
    writer.append({ time: timeNs, process: 'final', type: 'ok', f: 'final-read', value, region });
  }
  for (let start = 0; start < ledger.length; start += LEDGER_ENTRIES_PER_LINE) {
    timeNs += 1000;
    writer.append({
      time: timeNs,
      process: 'final',
      type: 'ok',
      f: 'ledger',
      value: { entries: ledger.slice(start, start + LEDGER_ENTRIES_PER_LINE) },
    });
  }
  writer.close();
  return { opsWritten: writer.opsWritten };
}
