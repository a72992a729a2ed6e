/**
 * One sample of Aurora global database lag: the config's query (by default
 * `aurora_global_db_status()`, Aurora PostgreSQL's function) on the writer, one row per member
 * cluster with the columns AWS documents: `aws_region`, `highest_lsn_written`,
 * `durability_lag_in_msec`, `rpo_lag_in_msec`, `last_lag_calculation_time`. The primary's row has
 * -1 for both lags ("not relevant") and is left out: what is kept is each secondary's lag behind
 * the writer. A row of another shape fails loudly, naming the row and the column.
 */
import type pg from 'pg';

export const AURORA_LAG_QUERY_DEFAULT =
  'SELECT aws_region, highest_lsn_written, durability_lag_in_msec, rpo_lag_in_msec, last_lag_calculation_time FROM aurora_global_db_status()';

/** A global database has at most 10 secondary clusters; more rows are not this function's. */
const ROWS_MAX = 64;

export interface AuroraLagRow {
  region: string;
  durabilityLagMs: number | null;
  rpoLagMs: number | null;
  highestLsnWritten: string | null;
  lastLagCalculationTime: string | null;
}

/** A lag in ms; -1 is the primary's marker, null where Aurora has not computed it yet. */
function lagOf(value: unknown, what: string): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < -1) {
    throw new Error(`${what}: expected a lag in ms (or -1), got ${JSON.stringify(value)}`);
  }
  return n;
}

function textOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/** The secondary clusters' rows of one sample. */
export async function sampleAuroraLag(
  client: pg.ClientBase,
  query: string,
): Promise<AuroraLagRow[]> {
  const result = await client.query(query);
  if (result.rows.length > ROWS_MAX) {
    throw new Error(
      `the lag query returned ${result.rows.length} rows; expected at most ${ROWS_MAX}`,
    );
  }
  const rows: AuroraLagRow[] = [];
  (result.rows as Record<string, unknown>[]).forEach((row, i) => {
    const region = row.aws_region;
    if (typeof region !== 'string' || region === '') {
      throw new Error(`lag row ${i}: aws_region: expected a region, got ${JSON.stringify(region)}`);
    }
    const durabilityLagMs = lagOf(
      row.durability_lag_in_msec,
      `lag row ${i}: durability_lag_in_msec`,
    );
    const rpoLagMs = lagOf(row.rpo_lag_in_msec, `lag row ${i}: rpo_lag_in_msec`);
    if (durabilityLagMs === -1 || rpoLagMs === -1) return;
    rows.push({
      region,
      durabilityLagMs,
      rpoLagMs,
      highestLsnWritten: textOrNull(row.highest_lsn_written),
      lastLagCalculationTime: textOrNull(row.last_lag_calculation_time),
    });
  });
  return rows;
}
