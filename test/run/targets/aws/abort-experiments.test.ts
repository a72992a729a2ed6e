/**
 * `fis abort` (mocked FIS and STS): after the allowlist, every experiment tagged
 * managedBy=paychaos that has not ended is stopped in every region, over several pages; others'
 * experiments and ended ones are left alone; a region that fails does not stop the rest; with
 * engageLever, the safety lever is engaged after the stops in every region (a local server in
 * place of FIS's lever API, which client-fis cannot call).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  let leverServer: Server | undefined;
  afterEach(async () => {
    fis.restore();
    sts.restore();
    const server = leverServer;
    leverServer = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
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

  it('with engageLever, engages the safety lever in every region after the stops, going on past a region that fails', async () => {
    sts = stsMock();
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn:me' });
    fis = fisStub();
    const events: string[] = [];
    fis.on(ListExperimentsCommand, async () => ({
      experiments: [{ id: 'A', state: { status: 'running' }, tags: PAYCHAOS }],
    }));
    fis.on(StopExperimentCommand, ({ id }) => {
      events.push(`stop ${id}`);
      return {};
    });
    // FIS's lever API in both regions: Osaka's answers as documented, Tokyo's refuses the caller.
    leverServer = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        const region = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/fis\//.exec(
          request.headers.authorization ?? '',
        )?.[1];
        events.push(`${request.method} ${request.url} ${region} ${body}`);
        if (region === 'ap-northeast-1') {
          response.writeHead(403, { 'x-amzn-errortype': 'AccessDeniedException' });
          response.end(JSON.stringify({ message: 'not authorized' }));
          return;
        }
        const { state } = JSON.parse(body);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            safetyLever: {
              id: 'default',
              arn: `arn:aws:fis:${region}:111122223333:safety-lever/default`,
              state,
            },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => leverServer!.listen(0, '127.0.0.1', resolve));
    const { port } = leverServer.address() as AddressInfo;
    const clients = new AwsClients('ap-northeast-1', {
      fisEndpoint: () => `http://127.0.0.1:${port}`,
      credentials: () => Promise.resolve({ accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' }),
    });
    const config = validateAwsConfig(testConfig(), 'c.ts');
    const outcome = await abortTaggedExperiments(config, clients, { engageLever: true });
    const body = '{"state":{"status":"engaged","reason":"paychaos fis abort by arn:me"}}';
    expect(events).toEqual([
      'stop A',
      'stop A',
      `PATCH /safetyLevers/default/state ap-northeast-1 ${body}`,
      `PATCH /safetyLevers/default/state ap-northeast-3 ${body}`,
    ]);
    expect(outcome.levers).toEqual([
      {
        region: 'ap-northeast-3',
        lever: {
          id: 'default',
          arn: 'arn:aws:fis:ap-northeast-3:111122223333:safety-lever/default',
          status: 'engaged',
          reason: 'paychaos fis abort by arn:me',
        },
        already: false,
      },
    ]);
    expect(outcome.leverFailed).toEqual([
      {
        region: 'ap-northeast-1',
        message: 'ap-northeast-1: HTTP 403 AccessDeniedException: not authorized',
      },
    ]);
    expect(outcome.failed).toEqual([]);
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
