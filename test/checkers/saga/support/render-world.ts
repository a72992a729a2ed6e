/** Writes a World as history.jsonl text, remembering where each saga's lines landed. */
import { HistoryBuilder } from '../../../support/history-builder.ts';
import type { World } from './saga-model.ts';

const MS = 1_000_000;
const ACCOUNTS = { a: 10_000, b: 10_000, c: 10_000, m1: 0, m2: 0, hold: 0, escrow: 0 };

export interface Rendered {
  text: string;
  /** Index of the sagas line holding each saga's record. */
  sagaLine: Map<string, number>;
  /** Invoke and completion indices per checkout id. */
  checkoutOps: Map<string, number[]>;
}

/** `items` cut into `count` contiguous chunks (the last ones may be empty). */
function chunks<T>(items: readonly T[], count: number): T[][] {
  const size = Math.max(1, Math.ceil(items.length / count));
  return Array.from({ length: count }, (_, k) => items.slice(k * size, (k + 1) * size));
}

function pushOp(map: Map<string, number[]>, id: string, index: number): void {
  const list = map.get(id) ?? [];
  list.push(index);
  map.set(id, list);
}

export function renderWorld(world: World): Rendered {
  const h = new HistoryBuilder(MS);
  const checkoutOps = new Map<string, number[]>();
  const sagaLine = new Map<string, number>();
  h.init({ accounts: ACCOUNTS });
  let lastNs = 0;
  for (const event of world.client) {
    const extras = { timeNs: event.timeNs, ...(event.region ? { region: event.region } : {}) };
    const index = h.add(event.process, event.type, 'checkout', event.args, extras);
    pushOp(checkoutOps, event.id, index);
    lastNs = event.timeNs;
  }
  let finalNs = lastNs + MS;
  const nextNs = () => {
    finalNs += MS;
    return finalNs;
  };
  const writeLedger = () => {
    for (const entries of chunks(world.ledger, world.ledgerChunks)) {
      h.final('ledger', { entries }, { timeNs: nextNs() });
    }
  };
  if (world.ledgerFirst) writeLedger();
  for (const sagas of chunks(world.sagas, world.sagasChunks)) {
    const index = h.final('sagas', sagas, { timeNs: nextNs() });
    for (const saga of sagas) sagaLine.set(saga.id, index);
  }
  if (!world.ledgerFirst) writeLedger();
  return { text: h.text(), sagaLine, checkoutOps };
}
