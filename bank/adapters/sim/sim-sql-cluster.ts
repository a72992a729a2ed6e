/**
 * The SqlCluster port over the simulator's Aurora global database, seen from one region. It
 * remembers the writer it last found, as a driver keeps its connection: a refusal or a timeout
 * makes it look the writer up again (the global writer endpoint), and a definite refusal is
 * retried once at the new writer. An old writer left unfenced never refuses, so a bank that knew
 * it keeps writing there: the planted bug 'failover-without-fencing' needs nothing else.
 */
import type { SqlCluster as SimCluster } from '../../../targets/sim/sql-cluster.ts';
import {
  type SqlCluster,
  type SqlReadTx,
  type SqlTransactionOptions,
  type SqlTx,
  StoreError,
} from '../../ports.ts';
import { type NodeReader, OptimisticTx } from './optimistic-tx.ts';
import { callAcross, type PortCallDeps } from './port-call.ts';

/** Times a transaction function runs before serialization conflicts make it give up. */
const CONFLICT_RETRIES_MAX = 8;
/** Writers one call tries: the one it knew, then the one it finds. */
const WRITER_HOPS_MAX = 2;

export class SimSqlCluster implements SqlCluster {
  private writerKnown: string;

  constructor(
    private readonly deps: PortCallDeps,
    private readonly cluster: SimCluster,
    private readonly region: string,
  ) {
    this.writerKnown = cluster.writerRegion;
  }

  async transaction<T>(fn: (tx: SqlTx) => Promise<T>, options: SqlTransactionOptions): Promise<T> {
    for (let hop = 0; hop < WRITER_HOPS_MAX; hop += 1) {
      const writer = this.writerKnown;
      try {
        return await callAcross(
          this.deps,
          this.region,
          writer,
          `sql transaction at ${writer}`,
          () => this.runOptimistic(writer, fn, options),
        );
      } catch (error) {
        if (!(error instanceof StoreError)) throw error;
        this.writerKnown = this.cluster.writerRegion;
        if (!error.definite || this.writerKnown === writer) throw error;
      }
    }
    throw new StoreError(`the SQL writer moved twice during one call`, true);
  }

  readLocal<T>(fn: (tx: SqlReadTx) => Promise<T>): Promise<T> {
    const region = this.region;
    return callAcross(this.deps, region, region, `sql read at ${region}`, async () => {
      for (let attempt = 0; attempt < CONFLICT_RETRIES_MAX; attempt += 1) {
        const tx = new OptimisticTx(this.reader(region), false);
        const value = await fn(tx);
        if (await this.reader(region)((node) => tx.stillValid(node))) return value;
      }
      throw new StoreError(`sql read at ${region}: ${CONFLICT_RETRIES_MAX} conflicts`, true);
    });
  }

  localIsWriter(): Promise<boolean> {
    const region = this.region;
    return callAcross(this.deps, region, region, `sql role at ${region}`, async () => {
      const probe = await this.cluster.transaction(region, () => undefined, {
        waitForReplication: false,
      });
      return probe.ok;
    });
  }

  private async runOptimistic<T>(
    writer: string,
    fn: (tx: SqlTx) => Promise<T>,
    options: SqlTransactionOptions,
  ): Promise<T> {
    for (let attempt = 0; attempt < CONFLICT_RETRIES_MAX; attempt += 1) {
      const tx = new OptimisticTx(this.reader(writer), true);
      const value = await fn(tx);
      let ran = false;
      let valid = false;
      const result = await this.cluster.transaction(
        writer,
        (node) => {
          ran = true;
          valid = tx.stillValid(node);
          if (valid) tx.applyTo(node);
        },
        options,
      );
      // Refused before it ran: nothing happened. Refused after: the commit may survive.
      if (!result.ok) throw new StoreError(`sql ${result.reason} at ${writer}`, !ran);
      if (valid) return value;
    }
    throw new StoreError(`sql transaction at ${writer}: ${CONFLICT_RETRIES_MAX} conflicts`, true);
  }

  private reader(region: string): NodeReader {
    return async (fn) => {
      const result = await this.cluster.read(region, fn);
      if (!result.ok) throw new StoreError(`sql ${result.reason} at ${region}`, true);
      return result.value;
    };
  }
}
