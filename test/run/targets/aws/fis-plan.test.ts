/**
 * `fis plan`: every library scenario becomes FIS experiment templates or is refused by fault name;
 * each template is shape-checked twice — against the FIS API model of @aws-sdk/client-fis (its
 * own restJson1 serializer keeps only fields the model knows: the body it would send must equal
 * the template) and against paychaos's catalogue of the actions reference (ids, target keys and
 * resource types, parameters, durations) — and carries the guard rails.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateExperimentTemplateCommand,
  type CreateExperimentTemplateRequest,
  FisClient,
} from '@aws-sdk/client-fis';
import { describe, expect, it } from 'vitest';
import { FaultRefused, planFis } from '../../../../run/targets/aws/fis-plan.ts';
import { validateAwsConfig } from '../../../../run/targets/aws/load-aws-config.ts';
import { loadScenario } from '../../../../scenario-dsl/load-scenario.ts';
import {
  FIS_ACTIONS,
  FIS_DURATION_MS_MAX,
  FIS_DURATION_MS_MIN,
} from '../../../../targets/aws/fis-actions.ts';
import { testConfig } from './aws-test-config.ts';

const SCENARIOS = join(import.meta.dirname, '..', '..', '..', '..', 'scenarios');
const LIBRARY = ['', 'bugs', 'explore'].flatMap((dir) =>
  readdirSync(join(SCENARIOS, dir))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(SCENARIOS, dir, file)),
);

/** The JSON body the SDK's own serializer would send for this template (no request leaves). */
async function serializedBody(template: CreateExperimentTemplateRequest): Promise<unknown> {
  let body: unknown;
  const client = new FisClient({
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    requestHandler: {
      handle: async (request: { body: string }) => {
        body = JSON.parse(request.body);
        throw new Error('captured');
      },
    },
  });
  await expect(client.send(new CreateExperimentTemplateCommand(template))).rejects.toThrow(
    'captured',
  );
  client.destroy();
  return body;
}

function isoMs(duration: string): number {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration);
  if (match === null) throw new Error(`not an ISO 8601 duration: ${duration}`);
  return ((Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0)) * 60 + Number(match[3] ?? 0)) * 1000;
}

function checkAgainstCatalogue(template: CreateExperimentTemplateRequest): void {
  const targets = template.targets ?? {};
  for (const [name, action] of Object.entries(template.actions ?? {})) {
    const spec = FIS_ACTIONS[action.actionId ?? ''];
    expect(spec, `${name}: ${action.actionId} is in the catalogue`).toBeDefined();
    if (spec === undefined) continue;
    expect(Object.keys(action.targets ?? {})).toEqual([spec.targetKey]);
    const target = targets[action.targets![spec.targetKey]!];
    expect(target?.resourceType).toBe(spec.resourceType);
    const parameters = Object.keys(action.parameters ?? {});
    for (const required of spec.parametersRequired) expect(parameters).toContain(required);
    for (const given of parameters) {
      expect([...spec.parametersRequired, ...spec.parametersOptional]).toContain(given);
    }
    if (spec.timed) {
      const ms = isoMs(action.parameters!.duration!);
      expect(ms).toBeGreaterThanOrEqual(FIS_DURATION_MS_MIN);
      expect(ms).toBeLessThanOrEqual(FIS_DURATION_MS_MAX);
    }
  }
  for (const target of Object.values(targets)) {
    expect(target.selectionMode).toBe('ALL');
    const byArn = (target.resourceArns?.length ?? 0) > 0;
    const byTag = Object.keys(target.resourceTags ?? {}).length > 0;
    expect(byArn !== byTag).toBe(true);
  }
}

describe('fis plan of the scenario library', () => {
  const config = validateAwsConfig(testConfig(), 'paychaos.aws.ts');

  it.each(LIBRARY)(
    '%s: templates that the FIS model and the actions reference accept, or a refusal by name',
    async (file) => {
      const scenario = await loadScenario(file);
      let steps: ReturnType<typeof planFis>;
      try {
        steps = planFis(scenario, config, 'run-1');
      } catch (error) {
        expect(error).toBeInstanceOf(FaultRefused);
        const refused = error as FaultRefused;
        expect(['clock-skew', 'crash-bank']).toContain(refused.kind);
        expect(refused.message).toContain(
          `cannot inject ${refused.kind} (faults[${refused.faultIndex}]`,
        );
        return;
      }
      expect(steps.length).toBeGreaterThanOrEqual(scenario.faults.length);
      for (const step of steps) {
        if (step.step === 'rds-failover-global-cluster') {
          expect(step.input.AllowDataLoss).toBe(true);
          continue;
        }
        const { template } = step;
        expect(await serializedBody(template)).toEqual(JSON.parse(JSON.stringify(template)));
        checkAgainstCatalogue(template);
        expect(template.stopConditions?.every((s) => s.source === 'aws:cloudwatch:alarm')).toBe(
          true,
        );
        expect(template.tags).toMatchObject({ managedBy: 'paychaos', 'paychaos:run-id': 'run-1' });
        expect(template.experimentOptions?.emptyTargetResolutionMode).toBe('fail');
        expect(template.logConfiguration?.cloudWatchLogsConfiguration?.logGroupArn).toMatch(
          /^arn:aws:logs:/,
        );
        expect(template.roleArn).toBe(config.fis.roleArn);
      }
    },
  );
});

describe('fis plan guard rails', () => {
  it('refuses an experiment without a stop condition unless the account is a sandbox', async () => {
    const scenario = await loadScenario(join(SCENARIOS, 'replica-lag.ts'));
    const spec = testConfig();
    spec.regions['ap-northeast-3']!.alarmArns = [];
    expect(() => planFis(scenario, validateAwsConfig(spec, 'c.ts'), 'r')).toThrow(
      /faults\[0\].*regions\.ap-northeast-3\.alarmArns is empty/,
    );
    const sandbox = validateAwsConfig({ ...spec, sandbox: true }, 'c.ts');
    const [step] = planFis(scenario, sandbox, 'r');
    expect(step?.step === 'fis-experiment' && step.template.stopConditions).toEqual([
      { source: 'none' },
    ]);
  });

  it('raises a window under a minute to FIS floor and refuses one over 12 hours', async () => {
    const scenario = await loadScenario(join(SCENARIOS, 'replica-lag.ts'));
    const config = validateAwsConfig(testConfig(), 'c.ts');
    const [step] = planFis(scenario, config, 'r');
    expect(
      step?.step === 'fis-experiment' && step.template.actions?.['pause-replication']?.parameters,
    ).toEqual({
      duration: 'PT1M',
    });
    const long = {
      ...scenario,
      faults: [{ ...scenario.faults[0]!, durationMs: FIS_DURATION_MS_MAX + 1000 }],
    };
    expect(() => planFis(long, config, 'r')).toThrow(/faults\[0\].*at most 12 hours/);
  });

  it('cuts by transit gateway when the config says so', async () => {
    const scenario = await loadScenario(join(SCENARIOS, 'region-isolation.ts'));
    const spec = testConfig();
    spec.fis.network = 'transit-gateway';
    const [step] = planFis(scenario, validateAwsConfig(spec, 'c.ts'), 'r');
    if (step?.step !== 'fis-experiment') throw new Error('expected an experiment');
    expect(step.template.actions?.['cut-ap-northeast-3']?.actionId).toBe(
      'aws:network:transit-gateway-disrupt-cross-region-connectivity',
    );
    checkAgainstCatalogue(step.template);
  });
});
