/**
 * `paychaos fis abort`: after the allowlist, every experiment tagged managedBy=paychaos that has
 * not ended is stopped, in every region of the config. A region or an experiment that fails does
 * not keep the others from being stopped: each failure is reported, and the rest go on.
 */
import { verifyCaller } from '../../../targets/aws/caller-allowlist.ts';
import { runningTagged, stopExperiment } from '../../../targets/aws/fis-experiments.ts';
import type { AwsClients } from './aws-clients.ts';
import type { AwsConfig } from './aws-config.ts';
import { MANAGED_BY_TAG } from './fis-plan.ts';

export interface AbortOutcome {
  caller: string;
  stopped: { region: string; experiment: string }[];
  failed: { region: string; experiment: string | null; message: string }[];
}

export async function abortTaggedExperiments(
  config: AwsConfig,
  clients: AwsClients,
): Promise<AbortOutcome> {
  const regions = Object.keys(config.regions);
  const caller = await verifyCaller(clients.sts(), config.allow, regions);
  const outcome: AbortOutcome = { caller: caller.arn, stopped: [], failed: [] };
  const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
  for (const region of regions) {
    const fis = clients.fis(region);
    let ids: string[];
    try {
      ids = await runningTagged(fis, { [MANAGED_BY_TAG.key]: MANAGED_BY_TAG.value });
    } catch (error) {
      outcome.failed.push({ region, experiment: null, message: messageOf(error) });
      continue;
    }
    for (const experiment of ids) {
      try {
        await stopExperiment(fis, experiment);
        outcome.stopped.push({ region, experiment });
      } catch (error) {
        outcome.failed.push({ region, experiment, message: messageOf(error) });
      }
    }
  }
  return outcome;
}
