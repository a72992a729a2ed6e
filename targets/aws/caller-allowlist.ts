/**
 * The guard rail that runs before anything touches AWS: STS GetCallerIdentity must name an
 * account on the allowlist, and every region the game day uses must be on it. It fails closed:
 * no credentials, an STS error, a timeout or an answer without an account all refuse, as a
 * mismatch does. The refusal says why in words that carry no credential (the SDK's messages name
 * the provider that failed, never a key).
 */
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';

/** STS answers in well under a second; a caller that cannot be verified in this long is refused. */
const VERIFY_MS_MAX = 15_000;

export interface Allowlist {
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
}

export interface VerifiedCaller {
  account: string;
  /** The caller's ARN: which role or user ran the game day (recorded in run.json). */
  arn: string;
}

export class AllowlistRefusal extends Error {
  constructor(reason: string) {
    super(`refusing to touch AWS: ${reason}`);
    this.name = 'AllowlistRefusal';
  }
}

export async function verifyCaller(
  sts: STSClient,
  allow: Allowlist,
  regions: readonly string[],
): Promise<VerifiedCaller> {
  const outside = regions.filter((region) => !allow.regions.includes(region));
  if (outside.length > 0) {
    throw new AllowlistRefusal(
      `region ${outside.join(', ')} is not on allow.regions (${allow.regions.join(', ')})`,
    );
  }
  let answer: { Account?: string | undefined; Arn?: string | undefined };
  try {
    answer = await sts.send(new GetCallerIdentityCommand({}), {
      abortSignal: AbortSignal.timeout(VERIFY_MS_MAX),
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new AllowlistRefusal(
      `the caller could not be verified with STS GetCallerIdentity (${name}: ${message})`,
    );
  }
  const { Account: account, Arn: arn } = answer;
  if (account === undefined || arn === undefined) {
    throw new AllowlistRefusal('STS GetCallerIdentity answered without an account or ARN');
  }
  if (!allow.accounts.includes(account)) {
    throw new AllowlistRefusal(
      `the credentials belong to account ${account}, which is not on allow.accounts (${allow.accounts.join(', ')})`,
    );
  }
  return { account, arn };
}
