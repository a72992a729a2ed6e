/**
 * `fis abort` (mocked FIS and STS): after the allowlist, every experiment tagged
 * managedBy=paychaos that has not ended is stopped in every region, over several pages; others'
 * experiments and ended ones are left alone; a region that fails does not stop the rest.
 */
import { ListExperimentsCommand, StopExperimentCommand } from '@aws-sdk/client-fis';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { abortTaggedExperiments } from '../../../../run/targets/aws/abort-experiments.ts';
import { AwsClients } from '../../../../run/targets/aws/aws-clients.ts';
import { validateAwsConfig } from '../../../../run/targets/aws/load-aws-config.ts';
import { testConfig } from './aws-test-config.ts';
import { type FisStub, fisStub } from './fis-stub.ts';

const stsMock = () => mockClient(STSClient);
const PAYCHAOS = { managedBy: 'paychaos' };

describe('abortTaggedExperiments', () => {
  let fis: FisStub;
  let sts: ReturnType<typeof stsMock>;
  afterEach(() => {
    fis.restore();
    sts.restore();
  });

  it('stops every running paychaos experiment in every region, and only those', async () => {
    sts = stsMock();
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:me' });
    fis = fisStub();
    const stopped: string[] = [];
    fis.on(ListExperimentsCommand, async ({ nextToken }) => {
      if (nextToken === undefined) {
        return {
          experiments: [
            { id: 'A', state: { status: 'running' }, tags: PAYCHAOS },
            { id: 'B', state: { status: 'completed' }, tags: PAYCHAOS },
            { id: 'C', state: { status: 'running' }, tags: { managedBy: 'someone-else' } },
          ],
          nextToken: 'p2',
        };
      }
      return { experiments: [{ id: 'D', state: { status: 'initiating' }, tags: PAYCHAOS }] };
    });
    fis.on(StopExperimentCommand, ({ id }) => {
      stopped.push(id ?? '?');
      return {};
    });
    const config = validateAwsConfig(testConfig(), 'c.ts');
    const outcome = await abortTaggedExperiments(config, new AwsClients('ap-northeast-1'));
    // The stub answers both regions alike: each region's running A and D are stopped.
    expect(stopped).toEqual(['A', 'D', 'A', 'D']);
    expect(outcome.failed).toEqual([]);
    expect(outcome.stopped.map((s) => s.region)).toEqual([
      'ap-northeast-1',
      'ap-northeast-1',
      'ap-northeast-3',
      'ap-northeast-3',
    ]);
  });

  it('goes on past a region that fails, and reports it', async () => {
    sts = stsMock();
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:me' });
    fis = fisStub();
    fis.on(ListExperimentsCommand, async () => ({
      experiments: [{ id: 'A', state: { status: 'running' }, tags: PAYCHAOS }],
    }));
    let calls = 0;
    fis.on(StopExperimentCommand, () => {
      calls += 1;
      if (calls === 1) throw new Error('ThrottlingException');
      return {};
    });
    const config = validateAwsConfig(testConfig(), 'c.ts');
    const outcome = await abortTaggedExperiments(config, new AwsClients('ap-northeast-1'));
    expect(outcome.failed).toEqual([
      { region: 'ap-northeast-1', experiment: 'A', message: 'ThrottlingException' },
    ]);
    expect(outcome.stopped).toEqual([{ region: 'ap-northeast-3', experiment: 'A' }]);
  });

  it('stops nothing for a caller off the allowlist', async () => {
    sts = stsMock();
    sts.on(GetCallerIdentityCommand).rejects(new Error('ExpiredToken'));
    fis = fisStub();
    const config = validateAwsConfig(testConfig(), 'c.ts');
    await expect(abortTaggedExperiments(config, new AwsClients('ap-northeast-1'))).rejects.toThrow(
      /refusing to touch AWS/,
    );
    expect(fis.sent()).toEqual([]);
  });
});
