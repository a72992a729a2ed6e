/**
 * The checkout workload: sagas paying a merchant picked by Zipf (a few merchants take most of
 * the payments) from a customer picked uniformly among the other accounts.
 */
import type { BankRequest } from '../bank/api.ts';
import type { CheckoutWorkload } from '../scenario-dsl/resolved-scenario.ts';
import {
  amountIn,
  checkAccounts,
  type GeneratorContext,
  type RequestGenerator,
} from './request-generator.ts';
import { ZipfSampler } from './zipf.ts';

const ID_PREFIX = 'c';

export class CheckoutGenerator implements RequestGenerator {
  private readonly zipf: ZipfSampler;

  constructor(
    private readonly workload: CheckoutWorkload,
    private readonly context: GeneratorContext,
  ) {
    checkAccounts(context.accounts, 2, 'checkout workloads');
    this.zipf = new ZipfSampler(context.accounts.length, workload.skew);
  }

  next(): BankRequest {
    const { prng, ids, region, accounts } = this.context;
    const merchantRank = this.zipf.sample(prng);
    // One draw over the other n - 1 accounts: skip the merchant's rank.
    const drawn = prng.int(0, accounts.length - 1);
    const customerRank = drawn >= merchantRank ? drawn + 1 : drawn;
    return {
      kind: 'checkout',
      id: ids.take(ID_PREFIX, region),
      from: accounts[customerRank]!,
      to: accounts[merchantRank]!,
      amount: amountIn(this.workload.amount, prng),
    };
  }

  retry(request: BankRequest, idempotencyKeys: boolean): BankRequest {
    if (request.kind !== 'checkout') {
      throw new Error(`checkout generator asked to retry a ${request.kind} it never makes`);
    }
    if (idempotencyKeys) return request;
    return { ...request, id: this.context.ids.take(ID_PREFIX, this.context.region) };
  }

  observe(): void {}
}
