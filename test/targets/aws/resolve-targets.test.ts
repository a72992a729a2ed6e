/**
 * The dry run's StartExperiment carries `experimentOptions.actionsMode: skip-all` although
 * client-fis 3.523.0 does not model it: the body the SDK sends (captured by a request handler
 * that answers nothing) has it, measured after it was added; the resolved targets are paged.
 */
import { FisClient, ListExperimentResolvedTargetsCommand } from '@aws-sdk/client-fis';
import { afterEach, describe, expect, it } from 'vitest';
import { resolvedTargets, startSkippingActions } from '../../../targets/aws/resolve-targets.ts';
import { type FisStub, fisStub } from '../../run/targets/aws/fis-stub.ts';

describe('startSkippingActions', () => {
  it('sends actionsMode skip-all in the body, with the length of that body', async () => {
    let sent: { body: string; headers: Record<string, string> } | undefined;
    const fis = new FisClient({
      region: 'ap-northeast-1',
      credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
      requestHandler: {
        handle: async (request: { body: string; headers: Record<string, string> }) => {
          sent = request;
          throw new Error('captured');
        },
      },
    });
    await expect(startSkippingActions(fis, 'EXT1', { managedBy: 'paychaos' })).rejects.toThrow(
      'captured',
    );
    const body = JSON.parse(sent!.body);
    expect(body).toMatchObject({
      experimentTemplateId: 'EXT1',
      tags: { managedBy: 'paychaos' },
      experimentOptions: { actionsMode: 'skip-all' },
    });
    expect(Number(sent!.headers['content-length'])).toBe(Buffer.byteLength(sent!.body));
    fis.destroy();
  });
});

describe('resolvedTargets', () => {
  let stub: FisStub;
  afterEach(() => stub.restore());

  it('lists every page of resolved targets', async () => {
    stub = fisStub();
    stub.on(ListExperimentResolvedTargetsCommand, ({ nextToken }) =>
      nextToken === undefined
        ? {
            resolvedTargets: [
              {
                targetName: 'tables',
                resourceType: 'aws:dynamodb:global-table',
                targetInformation: { arn: 'arn:t1' },
              },
            ],
            nextToken: 'p2',
          }
        : {
            resolvedTargets: [
              {
                targetName: 'subnets',
                resourceType: 'aws:ec2:subnet',
                targetInformation: { arn: 'arn:s1' },
              },
            ],
          },
    );
    const lines = await resolvedTargets(new FisClient({ region: 'ap-northeast-1' }), 'EXP1');
    expect(lines).toEqual([
      {
        targetName: 'tables',
        resourceType: 'aws:dynamodb:global-table',
        information: { arn: 'arn:t1' },
      },
      { targetName: 'subnets', resourceType: 'aws:ec2:subnet', information: { arn: 'arn:s1' } },
    ]);
  });
});
