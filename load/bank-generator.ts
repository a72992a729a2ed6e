/**
 * The bank workload: transfers between two distinct accounts picked by Zipf (a few merchants
 * take most of the traffic), deposits and withdrawals on a Zipf-picked account, and consistent
 * and eventual balance reads of every account, in the scenario's mix.
 */
import type { BankRequest } from '../bank/api.ts';
import type { BankWorkload } from '../scenario-dsl/resolved-scenario.ts';
import { MixPicker } from './mix-picker.ts';
import {
  amountIn,
  checkAccounts,
  type GeneratorContext,
  type RequestGenerator,
} from './request-generator.ts';
import { ZipfSampler } from './zipf.ts';

type BankKind = keyof BankWorkload['mix'];

/** Id prefixes: a transfer's id reads as one at a glance in the history. */
const ID_PREFIX = { transfer: 't', deposit: 'd', withdraw: 'w' } as const;

export class BankGenerator implements RequestGenerator {
  private readonly mix: MixPicker<BankKind>;
  private readonly zipf: ZipfSampler;

  constructor(
    private readonly workload: BankWorkload,
    private readonly context: GeneratorContext,
  ) {
    this.mix = new MixPicker(workload.mix);
    const moves = this.mix.has('deposit') || this.mix.has('withdraw');
    checkAccounts(context.accounts, this.mix.has('transfer') ? 2 : moves ? 1 : 0, 'bank workloads');
    this.zipf = new ZipfSampler(Math.max(context.accounts.length, 1), workload.skew);
  }

  next(): BankRequest {
    const { prng, ids, region } = this.context;
    const kind = this.mix.pick(prng);
    switch (kind) {
      case 'transfer': {
        const fromRank = this.zipf.sample(prng);
        const toRank = this.zipf.sampleExcluding(prng, fromRank);
        return {
          kind,
          id: ids.take(ID_PREFIX.transfer, region),
          from: this.account(fromRank),
          to: this.account(toRank),
          amount: amountIn(this.workload.amount, prng),
        };
      }
      case 'deposit':
      case 'withdraw':
        return {
          kind,
          id: ids.take(ID_PREFIX[kind], region),
          account: this.account(this.zipf.sample(prng)),
          amount: amountIn(this.workload.amount, prng),
        };
      case 'consistentRead':
        return { kind: 'balances', accounts: null, consistent: true };
      case 'eventualRead':
        return { kind: 'balances', accounts: null, consistent: false };
    }
  }

  retry(request: BankRequest, idempotencyKeys: boolean): BankRequest {
    if (idempotencyKeys) return request;
    switch (request.kind) {
      case 'transfer':
      case 'deposit':
      case 'withdraw':
        return {
          ...request,
          id: this.context.ids.take(ID_PREFIX[request.kind], this.context.region),
        };
      case 'balances':
        return request;
      default:
        throw new Error(`bank generator asked to retry a ${request.kind} it never makes`);
    }
  }

  observe(): void {}

  private account(rank: number): string {
    const name = this.context.accounts[rank];
    if (name === undefined) throw new Error(`no account at rank ${rank}`);
    return name;
  }
}
