/**
 * The lww stats that reports read (reports/measures.ts), typed so that renaming one breaks the
 * build rather than the report: replication visibility lag per link, `from->to`.
 */
import type { PairStats } from './visibility.ts';

export type LwwStats = {
  visibilityLagMs: Record<string, PairStats>;
};
