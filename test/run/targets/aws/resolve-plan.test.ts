/**
 * `fis plan --resolve` (mocked FIS and STS): the allowlist first, then per experiment a template,
 * a dry run polled to its end, its resolved targets, and the template deleted — also when the dry
 * run fails.
 */
import {
  CreateExperimentTemplateCommand,
  DeleteExperimentTemplateCommand,
  GetExperimentCommand,
  ListExperimentResolvedTargetsCommand,
  StartExperimentCommand,
} from '@aws-sdk/client-fis';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsClients } from '../../../../run/targets/aws/aws-clients.ts';
import { type PlannedExperiment, planFis } from '../../../../run/targets/aws/fis-plan.ts';
import { validateAwsConfig } from '../../../../run/targets/aws/load-aws-config.ts';
import { resolvePlan } from '../../../../run/targets/aws/resolve-plan.ts';
import { loadScenario } from '../../../../scenario-dsl/load-scenario.ts';
import { testConfig } from './aws-test-config.ts';
import { type FisStub, fisStub } from './fis-stub.ts';

const stsMock = () => mockClient(STSClient);

describe('resolvePlan', () => {
  let fis: FisStub;
  let sts: ReturnType<typeof stsMock>;
  afterEach(() => {
    fis.restore();
    sts.restore();
  });

  async function planned(): Promise<PlannedExperiment[]> {
    const scenario = await loadScenario('scenarios/region-isolation.ts');
    const config = validateAwsConfig(testConfig(), 'c.ts');
    return planFis(scenario, config, 'r').filter((s) => s.step === 'fis-experiment');
  }

  function script(getExperiment: (polls: number) => { status: string; reason?: string }) {
    fis = fisStub();
    let polls = 0;
    fis.on(CreateExperimentTemplateCommand, () => ({ experimentTemplate: { id: 'EXT1' } }));
    fis.on(StartExperimentCommand, () => ({ experiment: { id: 'EXP1' } }));
    fis.on(GetExperimentCommand, () => {
      polls += 1;
      return { experiment: { id: 'EXP1', state: getExperiment(polls) } };
    });
    fis.on(ListExperimentResolvedTargetsCommand, () => ({
      resolvedTargets: [
        {
          targetName: 'tables',
          resourceType: 'aws:dynamodb:global-table',
          targetInformation: { arn: 'arn:t' },
        },
      ],
    }));
    fis.on(DeleteExperimentTemplateCommand, () => ({}));
  }

  it('dry-runs each experiment and lists what FIS resolved', async () => {
    sts = stsMock();
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:me' });
    script((polls) => ({ status: polls < 3 ? 'initiating' : 'completed' }));
    const config = validateAwsConfig(testConfig(), 'c.ts');
    const runs = await resolvePlan(
      config,
      new AwsClients('ap-northeast-1'),
      await planned(),
      async () => undefined,
    );
    expect(runs).toEqual([
      {
        faultIndex: 0,
        region: 'ap-northeast-1',
        experiment: 'EXP1',
        status: 'completed',
        reason: null,
        targets: [
          {
            targetName: 'tables',
            resourceType: 'aws:dynamodb:global-table',
            information: { arn: 'arn:t' },
          },
        ],
      },
    ]);
    expect(fis.sent()).toEqual([
      'CreateExperimentTemplateCommand',
      'StartExperimentCommand',
      'GetExperimentCommand',
      'GetExperimentCommand',
      'GetExperimentCommand',
      'ListExperimentResolvedTargetsCommand',
      'DeleteExperimentTemplateCommand',
    ]);
  });

  it('touches nothing when the caller is not allowed', async () => {
    sts = stsMock();
    sts.on(GetCallerIdentityCommand).resolves({ Account: '999988887777', Arn: 'arn:other' });
    script(() => ({ status: 'completed' }));
    const config = validateAwsConfig(testConfig(), 'c.ts');
    await expect(
      resolvePlan(config, new AwsClients('ap-northeast-1'), await planned(), async () => undefined),
    ).rejects.toThrow(/account 999988887777, which is not on allow.accounts/);
    expect(fis.sent()).toEqual([]);
  });

  it('deletes the template when the dry run goes wrong', async () => {
    sts = stsMock();
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:me' });
    script((polls) => ({ status: polls < 2 ? 'running' : 'pending' }));
    const config = validateAwsConfig(testConfig(), 'c.ts');
    await expect(
      resolvePlan(config, new AwsClients('ap-northeast-1'), await planned(), async () => undefined),
    ).rejects.toThrow('experiment EXP1 went from running to pending');
    expect(fis.sent().at(-1)).toBe('DeleteExperimentTemplateCommand');
  });
});
