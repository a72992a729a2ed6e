/**
 * A scripted Transport on the real Scheduler: each request's reply (its latency and response, or
 * no reply at all) and each health probe's answer come from the test's script.
 */
import type { BankRequest, BankResponse } from '../../../bank/api.ts';
import type { Transport } from '../../../load/transport.ts';
import type { Scheduler } from '../../../targets/sim/scheduler.ts';

export interface Call {
  region: string;
  request: BankRequest;
  timeNs: number;
  /** 0, 1, 2, ... over every request sent. */
  n: number;
}

/** `null`: the exchange is lost and never settles. */
export type Reply =
  | { afterMs: number; response: BankResponse }
  | { afterMs: number; throws: string }
  | null;
export type Script = (call: Call) => Reply;
/** A probe's answer: healthy or not after `afterMs`, or null for no answer. */
export type ProbeScript = (
  region: string,
  timeNs: number,
) => { afterMs: number; healthy: boolean } | null;

export const ACCOUNTS = ['acct-0', 'acct-1', 'acct-2', 'acct-3'];

/** What a correct bank answers for `request`. */
export function okResponse(request: BankRequest, n: number): BankResponse {
  switch (request.kind) {
    case 'balances':
      return {
        outcome: 'ok',
        value: {
          balances: Object.fromEntries(ACCOUNTS.map((a) => [a, 100])),
          consistent: request.consistent,
        },
      };
    case 'read':
      return { outcome: 'ok', value: null };
    case 'write':
    case 'cas':
      return { outcome: 'ok', value: { ts: n + 1 } };
    default:
      return { outcome: 'ok' };
  }
}

export const answerOk =
  (afterMs: number): Script =>
  (call) => ({ afterMs, response: okResponse(call.request, call.n) });

export const alwaysHealthy: ProbeScript = () => ({ afterMs: 1, healthy: true });

export class FakeTransport implements Transport {
  readonly calls: Call[] = [];
  readonly probes: { region: string; timeNs: number }[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly script: Script,
    private readonly probeScript: ProbeScript = alwaysHealthy,
  ) {}

  send(region: string, request: BankRequest): Promise<BankResponse> {
    const call = { region, request, timeNs: this.scheduler.nowNs, n: this.calls.length };
    this.calls.push(call);
    const reply = this.script(call);
    if (reply === null) return new Promise(() => {});
    return new Promise((resolve, reject) => {
      this.scheduler.after(reply.afterMs * 1_000_000, () => {
        if ('throws' in reply) reject(new Error(reply.throws));
        else resolve(reply.response);
      });
    });
  }

  probe(region: string): Promise<boolean> {
    this.probes.push({ region, timeNs: this.scheduler.nowNs });
    const answer = this.probeScript(region, this.scheduler.nowNs);
    if (answer === null) return new Promise(() => {});
    return new Promise((resolve) =>
      this.scheduler.after(answer.afterMs * 1_000_000, () => resolve(answer.healthy)),
    );
  }
}
