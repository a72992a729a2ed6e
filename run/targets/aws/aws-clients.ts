/**
 * The AWS SDK clients of a game day, one per service and region, made on first use. Credentials
 * come from the SDK's default provider chain (environment, profile, SSO, instance role): paychaos
 * never reads, copies or logs them.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { FisClient } from '@aws-sdk/client-fis';
import { RDSClient } from '@aws-sdk/client-rds';
import { STSClient } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { SignedJsonTarget } from '../../../targets/aws/signed-json-request.ts';

/** Every call is retried by the SDK at most this many times in all. */
const ATTEMPTS_MAX = 3;
/** One signed FIS call the SDK does not model (the safety lever): it is not retried. */
const SIGNED_CALL_TIMEOUT_MS = 15_000;

export interface AwsClientsOptions {
  /** FIS's endpoint for the signed calls in `region`; default `https://fis.<region>.amazonaws.com`. */
  fisEndpoint?: (region: string) => string;
  /** Default: the SDK's default provider chain, as the SDK clients use. */
  credentials?: AwsCredentialIdentityProvider;
}

export class AwsClients {
  private readonly cloudwatchByRegion = new Map<string, CloudWatchClient>();
  private readonly fisByRegion = new Map<string, FisClient>();
  private readonly rdsByRegion = new Map<string, RDSClient>();
  private stsClient: STSClient | undefined;
  private credentials: AwsCredentialIdentityProvider | undefined;

  constructor(
    readonly homeRegion: string,
    private readonly options: AwsClientsOptions = {},
  ) {}

  /** FIS in `region` for a signed call that client-fis cannot make (targets/aws/safety-lever.ts). */
  fisSigned(region: string): SignedJsonTarget {
    this.credentials ??= this.options.credentials ?? defaultProvider();
    return {
      service: 'fis',
      region,
      endpoint: this.options.fisEndpoint?.(region) ?? `https://fis.${region}.amazonaws.com`,
      credentials: this.credentials,
      timeoutMs: SIGNED_CALL_TIMEOUT_MS,
    };
  }

  cloudwatch(region: string): CloudWatchClient {
    return cached(
      this.cloudwatchByRegion,
      region,
      () => new CloudWatchClient({ region, maxAttempts: ATTEMPTS_MAX }),
    );
  }

  fis(region: string): FisClient {
    return cached(
      this.fisByRegion,
      region,
      () => new FisClient({ region, maxAttempts: ATTEMPTS_MAX }),
    );
  }

  rds(region: string): RDSClient {
    return cached(
      this.rdsByRegion,
      region,
      () => new RDSClient({ region, maxAttempts: ATTEMPTS_MAX }),
    );
  }

  sts(): STSClient {
    this.stsClient ??= new STSClient({ region: this.homeRegion, maxAttempts: ATTEMPTS_MAX });
    return this.stsClient;
  }

  destroy(): void {
    this.stsClient?.destroy();
    this.stsClient = undefined;
    for (const map of [this.cloudwatchByRegion, this.fisByRegion, this.rdsByRegion]) {
      for (const client of map.values()) client.destroy();
      map.clear();
    }
  }
}

function cached<T>(map: Map<string, T>, region: string, make: () => T): T {
  let client = map.get(region);
  if (client === undefined) {
    client = make();
    map.set(region, client);
  }
  return client;
}
