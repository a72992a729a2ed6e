/**
 * The AWS SDK clients of a game day, one per service and region, made on first use. Credentials
 * come from the SDK's default provider chain (environment, profile, SSO, instance role): paychaos
 * never reads, copies or logs them.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { FisClient } from '@aws-sdk/client-fis';
import { RDSClient } from '@aws-sdk/client-rds';
import { STSClient } from '@aws-sdk/client-sts';

/** Every call is retried by the SDK at most this many times in all. */
const ATTEMPTS_MAX = 3;

export class AwsClients {
  private readonly cloudwatchByRegion = new Map<string, CloudWatchClient>();
  private readonly fisByRegion = new Map<string, FisClient>();
  private readonly rdsByRegion = new Map<string, RDSClient>();
  private stsClient: STSClient | undefined;

  constructor(readonly homeRegion: string) {}

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
