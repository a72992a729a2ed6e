/**
 * The balance checker's part in a parallel read (Checker.parallelRead): it reads bank client ops,
 * the init line, final reads and the ledger, and the bank ops and ledger lines travel back from
 * the worker as a compact digest (balance-digest.ts) rather than as text: a balances read as its
 * total and only its unusual balances.
 */
import type { Op } from '../../history/op.ts';
import type { DigestWriter, LineDigest, LineInterest, ParallelRead } from '../checker.ts';
import {
  type BalanceDigestData,
  BalanceDigestReader,
  BalanceDigestWriter,
  initAccountNames,
  isDigestible,
} from './balance-digest.ts';
import { bankOpIndex } from './op-counts.ts';

function balanceInterest(op: Op): LineInterest {
  if (typeof op.process === 'number') return bankOpIndex(op.f) === -1 ? 'ignores' : 'reads';
  if (op.process === 'setup') return op.f === 'init' ? 'reads' : 'ignores';
  if (op.process !== 'final') return 'ignores';
  return op.f === 'final-read' || op.f === 'ledger' ? 'reads' : 'ignores';
}

/** Digest data comes only from this module's writer: anything else is a paychaos bug. */
function asDigestData(data: unknown): BalanceDigestData {
  const digest = data as Partial<BalanceDigestData> | null;
  if (!(digest?.kinds instanceof Uint8Array) || !(digest.nums instanceof Float64Array)) {
    throw new Error('balance was handed digest data its writer did not make');
  }
  return digest as BalanceDigestData;
}

function digestWriter(initNames: readonly string[] | null): DigestWriter {
  const writer = new BalanceDigestWriter(initNames);
  return {
    line: (op, line) => writer.ledger(op, line),
    // A balances read is digested when it resolves; only mutations are held while in flight.
    invoke: (op, line) => (op.f === 'balances' ? -1 : writer.mutationInvoke(op, line)),
    resolved: (clientOp, line) => writer.resolved(clientOp, line),
    cancel: (handle) => writer.cancel(handle),
    finish: () => writer.finish(),
  };
}

const balanceDigest: LineDigest = {
  digestible: isDigestible,
  writerFor: (prelude) => {
    const initNames = initAccountNames(prelude);
    return () => digestWriter(initNames);
  },
  readerFor: (prelude) => {
    const initNames = initAccountNames(prelude) ?? [];
    return (data) => new BalanceDigestReader(asDigestData(data), initNames);
  },
  transfer: (data) => {
    const digest = asDigestData(data);
    return [digest.kinds, digest.lines, digest.numsStart, digest.strsStart, digest.nums].map(
      (column) => column.buffer as ArrayBuffer,
    );
  },
};

export const balanceParallelRead: ParallelRead = {
  interest: () => balanceInterest,
  digest: balanceDigest,
};
