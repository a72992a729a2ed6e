/**
 * Carries out a nemesis action on the lab. Region isolation takes down every link into and out
 * of the region, the clients' link to it included (targets/local/lab-links.ts); stopping it
 * heals those links. Replica lag and paused replication act on the global tables' replicators
 * from -> to; the ledger's PostgreSQL replica is not touched by them (docs/local-lab.md).
 */
import type { NemesisAction } from '../../../faults/nemesis-action.ts';
import type { LabGlobalTable } from '../../../targets/local/lab-global-table.ts';
import { isolationLinks, type LinkSpec } from '../../../targets/local/lab-links.ts';
import type { LinkFaults } from '../../../targets/local/link-faults.ts';

export interface LabFaultParts {
  links: LinkFaults;
  /** Every link Toxiproxy carries: the lab's and the clients' links. */
  linkSpecs: readonly LinkSpec[];
  tables: readonly LabGlobalTable[];
}

export async function applyLabNemesis(parts: LabFaultParts, action: NemesisAction): Promise<void> {
  switch (action.f) {
    case 'start-isolate':
      await parts.links.isolate(action.value.region);
      return;
    case 'stop-isolate':
      for (const link of isolationLinks(parts.linkSpecs, action.value.region))
        await parts.links.heal(link);
      return;
    case 'start-replica-lag':
    case 'stop-replica-lag': {
      const lagMs = action.f === 'start-replica-lag' ? action.value.lagMs : 0;
      for (const table of parts.tables)
        table.setReplicaLagMs(action.value.from, action.value.to, lagMs);
      return;
    }
    case 'start-pause-replication':
      for (const table of parts.tables) table.pauseReplication(action.value.from, action.value.to);
      return;
    case 'stop-pause-replication':
      for (const table of parts.tables) table.resumeReplication(action.value.from, action.value.to);
      return;
    default:
      // The run layer refuses a scenario with any other kind before the lab starts.
      throw new Error(`the local target cannot carry out ${action.f}`);
  }
}
