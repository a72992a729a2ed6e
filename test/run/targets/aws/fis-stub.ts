/**
 * Test support: aws-sdk-client-mock on the FIS client. @aws-sdk/client-fis is served at an older
 * SDK release (3.523) than the mock's types expect, so its command classes do not type-check
 * against `on()` although `send` is the same; this keeps the one cast here.
 */
import { FisClient } from '@aws-sdk/client-fis';
import { mockClient } from 'aws-sdk-client-mock';

interface LooseStub {
  on(command: unknown): { callsFake(fake: (input: never) => unknown): unknown };
  restore(): void;
  calls(): { args: [{ constructor: { name: string } }] }[];
}

export interface FisStub {
  on<I>(command: new (input: I) => unknown, fake: (input: I) => unknown): void;
  /** The names of the commands sent, in order (`StopExperimentCommand`, ...). */
  sent(): string[];
  restore(): void;
}

export function fisStub(): FisStub {
  const stub = mockClient(FisClient as never) as unknown as LooseStub;
  return {
    on: (command, fake) => {
      stub.on(command).callsFake(fake as (input: never) => unknown);
    },
    sent: () => stub.calls().map((call) => call.args[0].constructor.name),
    restore: () => stub.restore(),
  };
}
