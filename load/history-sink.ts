/**
 * Where the driver appends history lines. HistoryWriter (history/writer.ts) is one: it assigns
 * the index, validates the line against the reader's rules and writes it. Tests collect in memory.
 */
import type { OpDraft } from '../history/op.ts';

export interface HistorySink {
  append(draft: OpDraft): unknown;
}
