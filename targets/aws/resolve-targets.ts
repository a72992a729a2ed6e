/**
 * The dry run of a template (`fis plan --resolve`): the experiment is started with
 * `experimentOptions.actionsMode: skip-all`, so FIS resolves every target and runs no action, and
 * the resolved targets are listed. @aws-sdk/client-fis 3.523.0 (the newest the registry serves
 * here) predates `actionsMode`, and its serializer drops fields it does not model; the option is
 * added to this one request's JSON body after serialization, before the body is measured and
 * signed.
 */
import {
  type FisClient,
  ListExperimentResolvedTargetsCommand,
  StartExperimentCommand,
  type StartExperimentCommandInput,
  type StartExperimentCommandOutput,
} from '@aws-sdk/client-fis';
import type { SerializeMiddleware } from '@smithy/types';

const RESOLVED_PAGES_MAX = 100;

export interface ResolvedTargetLine {
  targetName: string;
  resourceType: string;
  /** What FIS says identifies the resource (its ARN, for most types). */
  information: Record<string, string>;
}

/** StartExperiment with every action skipped; returns the experiment id. */
export async function startSkippingActions(
  fis: FisClient,
  templateId: string,
  tags: Record<string, string>,
): Promise<string> {
  const command = new StartExperimentCommand({ experimentTemplateId: templateId, tags });
  const skipAll: SerializeMiddleware<StartExperimentCommandInput, StartExperimentCommandOutput> =
    (next) => async (args) => {
      const request = args.request as { body?: unknown };
      if (typeof request.body !== 'string')
        throw new Error('StartExperiment: expected a JSON body');
      const body = JSON.parse(request.body) as Record<string, unknown>;
      request.body = JSON.stringify({ ...body, experimentOptions: { actionsMode: 'skip-all' } });
      return next(args);
    };
  command.middlewareStack.addRelativeTo(skipAll, {
    relation: 'after',
    toMiddleware: 'serializerMiddleware',
    name: 'paychaosSkipAllActions',
  });
  const started = await fis.send(command);
  const id = started.experiment?.id;
  if (id === undefined)
    throw new Error(`FIS started template ${templateId} without an experiment id`);
  return id;
}

export async function resolvedTargets(
  fis: FisClient,
  experimentId: string,
): Promise<ResolvedTargetLine[]> {
  const lines: ResolvedTargetLine[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < RESOLVED_PAGES_MAX; page += 1) {
    const answer = await fis.send(
      new ListExperimentResolvedTargetsCommand({ experimentId, maxResults: 100, nextToken }),
    );
    for (const target of answer.resolvedTargets ?? []) {
      lines.push({
        targetName: target.targetName ?? '?',
        resourceType: target.resourceType ?? '?',
        information: target.targetInformation ?? {},
      });
    }
    nextToken = answer.nextToken;
    if (nextToken === undefined) return lines;
  }
  throw new Error(
    `experiment ${experimentId}: over ${RESOLVED_PAGES_MAX} pages of resolved targets`,
  );
}
