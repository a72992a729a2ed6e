/**
 * `paychaos fis abort [--engage-lever]`: after the allowlist, every experiment tagged
 * managedBy=paychaos that has not ended is stopped, in every region of the config; then, when
 * asked, the FIS safety lever is engaged in every region (targets/aws/safety-lever.ts), which
 * also stops what the tag does not find and keeps any experiment from starting. A region, an
 * experiment or a lever that fails does not keep the others from being stopped: each failure is
 * reported, and the rest go on. The lever comes after the stops, so that a lever that cannot be
 * engaged (no permission for it) delays no stop.
 */
import { verifyCaller } from '../../../targets/aws/caller-allowlist.ts';
import { runningTagged, stopExperiment } from '../../../targets/aws/fis-experiments.ts';
import { engageSafetyLever, type SafetyLever } from '../../../targets/aws/safety-lever.ts';
import type { AwsClients } from './aws-clients.ts';
import type { AwsConfig } from './aws-config.ts';
import { MANAGED_BY_TAG } from './fis-plan.ts';

export interface AbortOutcome {
  caller: string;
  stopped: { region: string; experiment: string }[];
  failed: { region: string; experiment: string | null; message: string }[];
  /** With `engageLever`: each region's lever as FIS answered, and the regions where it failed. */
  levers: { region: string; lever: SafetyLever; already: boolean }[];
  leverFailed: { region: string; message: string }[];
}

export async function abortTaggedExperiments(
  config: AwsConfig,
  clients: AwsClients,
  options: { engageLever: boolean } = { engageLever: false },
): Promise<AbortOutcome> {
  const regions = Object.keys(config.regions);
  const caller = await verifyCaller(clients.sts(), config.allow, regions);
  const outcome: AbortOutcome = {
    caller: caller.arn,
    stopped: [],
    failed: [],
    levers: [],
    leverFailed: [],
  };
  await stopTagged(regions, clients, outcome);
  if (!options.engageLever) return outcome;
  for (const region of regions) {
    try {
      const { lever, already } = await engageSafetyLever(
        clients.fisSigned(region),
        `paychaos fis abort by ${caller.arn}`,
      );
      outcome.levers.push({ region, lever, already });
    } catch (error) {
      outcome.leverFailed.push({ region, message: messageOf(error) });
    }
  }
  return outcome;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function stopTagged(
  regions: string[],
  clients: AwsClients,
  outcome: AbortOutcome,
): Promise<void> {
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
}
