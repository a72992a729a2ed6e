/**
 * The allowlist fails closed: only an STS answer naming an allowed account, with every region
 * allowed, lets a game day touch AWS. A mismatch, an STS error, missing credentials, an answer
 * without an account, or a region outside the list all refuse — before any other call.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AllowlistRefusal, verifyCaller } from '../../../targets/aws/caller-allowlist.ts';

const ALLOW = { accounts: ['111122223333'], regions: ['ap-northeast-1', 'ap-northeast-3'] };
const REGIONS = ['ap-northeast-1', 'ap-northeast-3'];
const stsMock = () => mockClient(STSClient);
let sts: ReturnType<typeof stsMock>;

beforeEach(() => {
  sts = stsMock();
});
afterEach(() => sts.restore());

function client(): STSClient {
  return new STSClient({ region: 'ap-northeast-1' });
}

describe('verifyCaller', () => {
  it('lets an allowed account through', async () => {
    sts.on(GetCallerIdentityCommand).resolves({
      Account: '111122223333',
      Arn: 'arn:aws:sts::111122223333:assumed-role/game-day/alice',
    });
    await expect(verifyCaller(client(), ALLOW, REGIONS)).resolves.toEqual({
      account: '111122223333',
      arn: 'arn:aws:sts::111122223333:assumed-role/game-day/alice',
    });
  });

  it('refuses another account', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Account: '999988887777', Arn: 'arn:aws:iam::999988887777:user/bob' });
    await expect(verifyCaller(client(), ALLOW, REGIONS)).rejects.toThrow(
      new AllowlistRefusal(
        'the credentials belong to account 999988887777, which is not on allow.accounts (111122223333)',
      ),
    );
  });

  it('refuses when STS fails', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .rejects(new Error('ExpiredToken: the security token included in the request is expired'));
    await expect(verifyCaller(client(), ALLOW, REGIONS)).rejects.toThrow(
      /refusing to touch AWS: the caller could not be verified with STS GetCallerIdentity \(Error: ExpiredToken/,
    );
  });

  it('refuses when there are no credentials at all', async () => {
    sts.restore();
    const saved = { ...process.env };
    try {
      for (const name of Object.keys(process.env))
        if (name.startsWith('AWS_')) delete process.env[name];
      process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
      process.env.AWS_CONFIG_FILE = '/nonexistent/config';
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
      await expect(verifyCaller(client(), ALLOW, REGIONS)).rejects.toThrow(
        /refusing to touch AWS: the caller could not be verified with STS GetCallerIdentity \(CredentialsProviderError/,
      );
    } finally {
      process.env = saved;
    }
  });

  it('refuses an answer without an account', async () => {
    sts.on(GetCallerIdentityCommand).resolves({});
    await expect(verifyCaller(client(), ALLOW, REGIONS)).rejects.toThrow(
      /answered without an account/,
    );
  });

  it('refuses a region outside the allowlist before calling STS', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '111122223333', Arn: 'arn' });
    await expect(verifyCaller(client(), ALLOW, ['us-east-1'])).rejects.toThrow(
      /region us-east-1 is not on allow.regions/,
    );
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });
});
