/**
 * AWS SDK clients for one region's DynamoDB API in the lab. By default the SDK's request
 * timeout only logs a warning and the call hangs: here a request that gets no answer within
 * `requestTimeoutMs` throws (throwOnRequestTimeout), so a blackholed link is an error bounded in
 * time, never a hang. No SDK retries: a retried conditional write could report its own first
 * attempt as a failed condition; callers decide what to retry.
 */

import { Agent } from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { DynamoDbCallCounts, DynamoDbCaller } from './dynamodb-call-counts.ts';

/** Sockets per client: bounds the requests in flight to one store. */
const SOCKETS_MAX = 64;

export interface DynamoDbClientOptions {
  endpoint: string;
  region: string;
  requestTimeoutMs: number;
  /** Where this client's calls are counted, as whose (dynamodb-call-counts.ts). */
  calls?: { counts: DynamoDbCallCounts; caller: DynamoDbCaller };
}

function clientConfig(options: DynamoDbClientOptions) {
  return {
    endpoint: options.endpoint,
    region: options.region,
    // moto accepts any credentials; these keep the SDK from looking for real ones.
    credentials: { accessKeyId: 'paychaos-lab', secretAccessKey: 'paychaos-lab' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: options.requestTimeoutMs,
      requestTimeout: options.requestTimeoutMs,
      throwOnRequestTimeout: true,
      httpAgent: new Agent({ keepAlive: true, maxSockets: SOCKETS_MAX }),
    }),
  };
}

export function dynamoDbClient(options: DynamoDbClientOptions): DynamoDBClient {
  return counted(new DynamoDBClient(clientConfig(options)), options);
}

export function dynamoDbStreamsClient(options: DynamoDbClientOptions): DynamoDBStreamsClient {
  return counted(new DynamoDBStreamsClient(clientConfig(options)), options);
}

function counted<C extends DynamoDBClient | DynamoDBStreamsClient>(
  client: C,
  options: DynamoDbClientOptions,
): C {
  const { calls } = options;
  if (calls === undefined) return client;
  (client as DynamoDBClient).middlewareStack.add(
    (next, context) => (args) => {
      calls.counts.add(calls.caller, context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'paychaosCallCount' },
  );
  return client;
}
