/**
 * Carries out a nemesis action in the simulated world. Replica lag and paused replication act on
 * every replicated store along the link — both DynamoDB global tables and the Aurora cluster —
 * because a fault on a link between regions hits whatever replicates over it.
 */
import type { SimBankWorld } from '../../../bank/adapters/sim/sim-bank-world.ts';
import type { NemesisAction } from '../../../faults/nemesis-action.ts';

type Replicated = Pick<
  SimBankWorld['cluster'],
  'setReplicaLagMs' | 'pauseReplication' | 'resumeReplication'
>;

function replicatedStores(world: SimBankWorld): Replicated[] {
  return [world.balances, world.registers, world.cluster];
}

function checkCluster(clusterName: string, expectedName: string): void {
  if (clusterName !== expectedName) {
    throw new Error(
      `the simulator runs one SQL cluster, "${expectedName}"; the fault names "${clusterName}"`,
    );
  }
}

export function applyNemesis(
  world: SimBankWorld,
  clusterName: string,
  action: NemesisAction,
): void {
  switch (action.f) {
    case 'start-isolate':
      world.network.isolate(action.value.region);
      return;
    case 'stop-isolate':
      world.network.rejoin(action.value.region);
      return;
    case 'start-partition':
      world.network.partition(action.value.regions[0], action.value.regions[1]);
      return;
    case 'stop-partition':
      world.network.heal(action.value.regions[0], action.value.regions[1]);
      return;
    case 'start-replica-lag':
    case 'stop-replica-lag': {
      const lagMs = action.f === 'start-replica-lag' ? action.value.lagMs : 0;
      for (const store of replicatedStores(world))
        store.setReplicaLagMs(action.value.from, action.value.to, lagMs);
      return;
    }
    case 'start-pause-replication':
      for (const store of replicatedStores(world))
        store.pauseReplication(action.value.from, action.value.to);
      return;
    case 'stop-pause-replication':
      for (const store of replicatedStores(world))
        store.resumeReplication(action.value.from, action.value.to);
      return;
    case 'kill-cluster':
      checkCluster(action.value.cluster, clusterName);
      world.cluster.kill(action.value.region);
      return;
    case 'restart-cluster':
      checkCluster(action.value.cluster, clusterName);
      world.cluster.restart(action.value.region);
      return;
    case 'failover':
      checkCluster(action.value.cluster, clusterName);
      world.cluster.failover(action.value.from, action.value.to);
      return;
    case 'start-clock-skew':
      world.clocks.setSkewMs(action.value.region, action.value.skewMs);
      return;
    case 'stop-clock-skew':
      world.clocks.setSkewMs(action.value.region, 0);
      return;
    case 'crash-bank':
      world.bank.crash(action.value.region);
      return;
    case 'restart-bank':
      world.bank.restart(action.value.region);
      return;
  }
}
