/**
 * RUN-FARGATE.md of a bundle built with `--fargate`: the IAM policy the workers' task role needs
 * to put their op logs in S3, the `artillery run-fargate` command of each region, and the copy and
 * import that merge the logs. Text only: paychaos runs none of it (and it was never run where
 * paychaos is built: there is no AWS access there).
 *
 * `--count N` makes Artillery start N containers that each run the whole script (Artillery's
 * "multiply" mode), so the bundle's phases are built for one worker of N: the region's rate over
 * all N is the scenario's.
 */
import type { S3Location } from './oplog-shipper.ts';

export const RUN_FARGATE_FILE = 'RUN-FARGATE.md';
export const OPLOG_POLICY_FILE = 'oplog-s3-policy.json';
/** The task role `artillery run-fargate` creates and gives its workers (Artillery's default). */
export const ARTILLERY_WORKER_ROLE = 'artilleryio-ecs-worker-role';

export interface FargateRun {
  scriptFile: string;
  /** The scenario's regions, each one Artillery environment (`-e`). */
  regions: readonly string[];
  /** Where each region's workers run; absent: the region of the same name. */
  awsRegion?: string;
  countPerRegion: number;
  oplog: S3Location;
}

function s3Url(location: S3Location): string {
  return location.prefix === ''
    ? `s3://${location.bucket}/`
    : `s3://${location.bucket}/${location.prefix}/`;
}

export function oplogPolicy(location: S3Location): Record<string, unknown> {
  const keys = location.prefix === '' ? '*' : `${location.prefix}/*`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PaychaosOpLogs',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${location.bucket}/${keys}`,
      },
    ],
  };
}

export function runFargateCommands(run: FargateRun): string[] {
  return run.regions.map(
    (region) =>
      `artillery run-fargate --region ${run.awsRegion ?? region} --count ${run.countPerRegion} -e ${region} --output report-${region}.json ${run.scriptFile}`,
  );
}

export function runFargateSteps(run: FargateRun): string {
  const url = s3Url(run.oplog);
  return [
    '# Running this bundle on AWS Fargate',
    '',
    'Written by `paychaos artillery bundle --fargate`. paychaos runs none of these commands; they',
    'were never run where paychaos is built (no AWS access there): check them on a small scale first.',
    '',
    `Each worker puts its op log at \`${url}worker-<host>-<pid>-<thread>-<tag>.jsonl\` every 10 s`,
    'and at the end of its load (a failed upload is one stderr line in the task log, naming the',
    'object; the next upload tries again). Use a fresh prefix per run: the import merges every log',
    'it finds.',
    '',
    '1. Once per account: let the workers put their logs (Artillery creates the role',
    `   \`${ARTILLERY_WORKER_ROLE}\` on its first run-fargate; attach the policy after that):`,
    '',
    '```sh',
    `aws iam put-role-policy --role-name ${ARTILLERY_WORKER_ROLE} --policy-name paychaos-oplog-put --policy-document file://${OPLOG_POLICY_FILE}`,
    '```',
    '',
    `2. From this directory, start every region's workers at the same time (${run.countPerRegion} per region;`,
    `   the phases are built for one worker of ${run.countPerRegion}, so together they offer the scenario's rate):`,
    '',
    '```sh',
    ...runFargateCommands(run).map((command) => `${command} &`),
    'wait',
    '```',
    '',
    '3. Merge the logs into one history:',
    '',
    '```sh',
    `aws s3 cp --recursive ${url} worker-ops/`,
    'npx paychaos import artillery worker-ops/ -o history.jsonl',
    '```',
    '',
  ].join('\n');
}
