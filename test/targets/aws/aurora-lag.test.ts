/**
 * One sample of Aurora global database lag against the lab's PostgreSQL, where a function named
 * aurora_global_db_status() with Aurora PostgreSQL's columns stands in for Aurora's (PostgreSQL
 * has none): the default query reads it, the primary's row (-1) is left out, each secondary's
 * lags come back in ms, and a row of another shape is refused naming the row and the column.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AURORA_LAG_QUERY_DEFAULT, sampleAuroraLag } from '../../../targets/aws/aurora-lag.ts';
import { enginesMissing } from '../local/support/engines.ts';
import {
  createAuroraStatusFunction,
  type LonePostgres,
  setAuroraStatusRows,
  startLonePostgres,
  withPg,
} from './support/lone-postgres.ts';

describe.skipIf(enginesMissing !== undefined)(
  'sampleAuroraLag against PostgreSQL',
  { timeout: 120_000 },
  () => {
    let node: LonePostgres;

    beforeAll(async () => {
      node = await startLonePostgres();
      await createAuroraStatusFunction(node.port);
    });

    afterAll(async () => {
      await node?.stop();
    });

    it('reads each secondary cluster by the default query and leaves the primary out', async () => {
      await setAuroraStatusRows(node.port, [
        ['ap-northeast-1', -1, -1],
        ['ap-northeast-3', 42, 1_500],
        ['us-east-1', null, null],
      ]);
      const rows = await withPg(node.port, (client) =>
        sampleAuroraLag(client, AURORA_LAG_QUERY_DEFAULT),
      );
      expect(rows).toEqual([
        {
          region: 'ap-northeast-3',
          durabilityLagMs: 42,
          rpoLagMs: 1_500,
          highestLsnWritten: '81985529216486895',
          lastLagCalculationTime: '2026-12-03T10:00:00.000Z',
        },
        {
          region: 'us-east-1',
          durabilityLagMs: null,
          rpoLagMs: null,
          highestLsnWritten: '81985529216486895',
          lastLagCalculationTime: '2026-12-03T10:00:00.000Z',
        },
      ]);
    });

    it('refuses a row without a region or with a lag that is not one, naming it', async () => {
      await expect(
        withPg(node.port, (client) =>
          sampleAuroraLag(client, "SELECT 'x' AS aws_region, 'soon' AS durability_lag_in_msec"),
        ),
      ).rejects.toThrow(
        'lag row 0: durability_lag_in_msec: expected a lag in ms (or -1), got "soon"',
      );
      await expect(
        withPg(node.port, (client) =>
          sampleAuroraLag(client, 'SELECT NULL AS aws_region, 1 AS durability_lag_in_msec'),
        ),
      ).rejects.toThrow('lag row 0: aws_region: expected a region, got null');
    });
  },
);
