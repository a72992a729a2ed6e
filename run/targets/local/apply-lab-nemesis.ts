/**
 * Carries out a nemesis action on the lab, meaning what the simulator means by it
 * (run/targets/sim/apply-nemesis.ts):
 *
 * - isolate R: every link into and out of R down, the clients' link to R included; partition
 *   A B: the links between A and B down, the clients still reach both (lab-network.ts). When
 *   either ends, an old SQL writer that it kept from re-joining the new one re-joins.
 * - replica lag and paused replication from -> to: on every store along the link — the global
 *   tables' replicators and, when `from` holds the SQL writer, the ledger's WAL link to `to`.
 * - kill-cluster / restart-cluster R, failover from -> to: on the ledger's PostgreSQL nodes
 *   (targets/local/lab-aurora.ts): SIGKILL and restart, detach and promote with the old writer
 *   fenced and re-joined (unless the bank plants 'failover-without-fencing').
 * - clock-skew R: R's store clock, which stamps the last-writer-wins timestamps of R's writes.
 * - crash-bank R: R's bank instance and its HTTP service stop; restart-bank brings both back.
 */
import type { NemesisAction } from '../../../faults/nemesis-action.ts';
import type { LabAurora } from '../../../targets/local/lab-aurora.ts';
import type { LabGlobalTable } from '../../../targets/local/lab-global-table.ts';
import type { LabNetwork } from '../../../targets/local/lab-network.ts';
import type { LabBank } from './lab-bank.ts';

export interface LabFaultParts {
  network: LabNetwork;
  aurora: LabAurora;
  /** The scenario's one SQL cluster: a fault naming another is a bug of the run. */
  clusterName: string;
  tables: readonly LabGlobalTable[];
  bank: Pick<LabBank, 'clocks' | 'crashBank' | 'restartBank'>;
}

function checkCluster(parts: LabFaultParts, cluster: string): void {
  if (cluster !== parts.clusterName) {
    throw new Error(
      `the lab runs one SQL cluster, "${parts.clusterName}"; the fault names "${cluster}"`,
    );
  }
}

export async function applyLabNemesis(parts: LabFaultParts, action: NemesisAction): Promise<void> {
  const { network, aurora, tables, bank } = parts;
  switch (action.f) {
    case 'start-isolate':
      await network.isolate(action.value.region);
      return;
    case 'stop-isolate':
      await network.rejoin(action.value.region);
      await aurora.rejoinReachable();
      return;
    case 'start-partition':
      await network.partition(...action.value.regions);
      return;
    case 'stop-partition':
      await network.healPartition(...action.value.regions);
      await aurora.rejoinReachable();
      return;
    case 'start-replica-lag':
    case 'stop-replica-lag': {
      const { from, to } = action.value;
      const lagMs = action.f === 'start-replica-lag' ? action.value.lagMs : 0;
      for (const table of tables) table.setReplicaLagMs(from, to, lagMs);
      await aurora.setReplicaLagMs(from, to, lagMs);
      return;
    }
    case 'start-pause-replication':
      for (const table of tables) table.pauseReplication(action.value.from, action.value.to);
      await aurora.pauseReplication(action.value.from, action.value.to);
      return;
    case 'stop-pause-replication':
      for (const table of tables) table.resumeReplication(action.value.from, action.value.to);
      await aurora.resumeReplication(action.value.from, action.value.to);
      return;
    case 'kill-cluster':
      checkCluster(parts, action.value.cluster);
      await aurora.kill(action.value.region);
      return;
    case 'restart-cluster':
      checkCluster(parts, action.value.cluster);
      await aurora.restart(action.value.region);
      return;
    case 'failover':
      checkCluster(parts, action.value.cluster);
      await aurora.failover(action.value.from, action.value.to);
      return;
    case 'start-clock-skew':
      bank.clocks.setSkewMs(action.value.region, action.value.skewMs);
      return;
    case 'stop-clock-skew':
      bank.clocks.setSkewMs(action.value.region, 0);
      return;
    case 'crash-bank':
      await bank.crashBank(action.value.region);
      return;
    case 'restart-bank':
      await bank.restartBank(action.value.region);
      return;
  }
}
