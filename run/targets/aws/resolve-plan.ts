/**
 * `fis plan --resolve`: each planned experiment as a dry run on AWS. The caller is verified
 * against the allowlist first; each template is created, started with every action skipped
 * (targets/aws/resolve-targets.ts), polled to its end, its resolved targets listed, and the
 * template deleted, whatever happened.
 */
import { verifyCaller } from '../../../targets/aws/caller-allowlist.ts';
import { isTerminal } from '../../../targets/aws/experiment-state.ts';
import {
  createTemplate,
  deleteTemplate,
  FisExperiment,
} from '../../../targets/aws/fis-experiments.ts';
import {
  type ResolvedTargetLine,
  resolvedTargets,
  startSkippingActions,
} from '../../../targets/aws/resolve-targets.ts';
import type { AwsClients } from './aws-clients.ts';
import type { AwsConfig } from './aws-config.ts';
import type { PlannedExperiment } from './fis-plan.ts';

/** A dry run resolves targets and skips every action: a few polls, never minutes. */
const DRY_RUN_POLLS_MAX = 150;

export interface DryRun {
  faultIndex: number;
  region: string;
  experiment: string;
  status: string;
  reason: string | null;
  targets: ResolvedTargetLine[];
}

export async function resolvePlan(
  config: AwsConfig,
  clients: AwsClients,
  experiments: PlannedExperiment[],
  sleep: (ms: number) => Promise<void>,
): Promise<DryRun[]> {
  await verifyCaller(clients.sts(), config.allow, Object.keys(config.regions));
  const runs: DryRun[] = [];
  for (const step of experiments) {
    const fis = clients.fis(step.region);
    const templateId = await createTemplate(fis, step.template);
    try {
      const id = await startSkippingActions(fis, templateId, step.template.tags ?? {});
      const experiment = FisExperiment.of(fis, id, step.region);
      let snapshot = await experiment.poll();
      for (let poll = 1; !isTerminal(snapshot.status); poll += 1) {
        if (poll >= DRY_RUN_POLLS_MAX)
          throw new Error(`dry run ${id} in ${step.region} did not end`);
        await sleep(config.pollMs);
        snapshot = await experiment.poll();
      }
      runs.push({
        faultIndex: step.faultIndex,
        region: step.region,
        experiment: id,
        status: snapshot.status,
        reason: snapshot.reason,
        targets: await resolvedTargets(fis, id),
      });
    } finally {
      await deleteTemplate(fis, templateId);
    }
  }
  return runs;
}
