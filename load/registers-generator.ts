/**
 * The registers workload: write, read and cas on the keys of the eventually consistent (LWW)
 * table, `e0..e<n-1>`, and of the strongly consistent one, `s0..s<m-1>`. A key's table is
 * picked in proportion to the tables' key counts, then the key by Zipf within its table.
 * Written values are `v-<region>-<n>`: unique in the run, hence unique per key. A cas expects
 * the value this generator last saw on the key (read, written, or swapped in), null at first —
 * registers absent from `init` start as null.
 *
 * Memory: one last-seen value per key.
 */
import type { BankRequest, BankResponse, RegisterTable, RegisterValue } from '../bank/api.ts';
import type { RegistersWorkload } from '../scenario-dsl/resolved-scenario.ts';
import { MixPicker } from './mix-picker.ts';
import { readResultValue } from './op-lines.ts';
import type { GeneratorContext, RequestGenerator } from './request-generator.ts';
import { ZipfSampler } from './zipf.ts';

const VALUE_PREFIX = 'v';

export interface RegisterKeys {
  eventual: string[];
  strong: string[];
}

/** The key names of a registers workload: what the target's `init` lists in `strong`. */
export function registerKeys(keys: RegistersWorkload['keys']): RegisterKeys {
  return {
    eventual: Array.from({ length: keys.eventual }, (_, i) => `e${i}`),
    strong: Array.from({ length: keys.strong }, (_, i) => `s${i}`),
  };
}

export class RegistersGenerator implements RequestGenerator {
  private readonly ops: MixPicker<keyof RegistersWorkload['mix']>;
  private readonly tables: MixPicker<RegisterTable>;
  private readonly keys: RegisterKeys;
  private readonly zipfs: Partial<Record<RegisterTable, ZipfSampler>> = {};
  private readonly lastSeen = new Map<string, RegisterValue>();

  constructor(
    workload: RegistersWorkload,
    private readonly context: GeneratorContext,
  ) {
    this.ops = new MixPicker(workload.mix);
    this.tables = new MixPicker({ eventual: workload.keys.eventual, strong: workload.keys.strong });
    this.keys = registerKeys(workload.keys);
    for (const table of ['eventual', 'strong'] as const) {
      const count = this.keys[table].length;
      if (count > 0) this.zipfs[table] = new ZipfSampler(count, workload.skew);
    }
  }

  next(): BankRequest {
    const { prng } = this.context;
    const kind = this.ops.pick(prng);
    const table = this.tables.pick(prng);
    const zipf = this.zipfs[table];
    if (zipf === undefined) throw new Error(`registers: picked table ${table} with no keys`);
    const key = this.keys[table][zipf.sample(prng)]!;
    switch (kind) {
      case 'read':
        return { kind, table, key };
      case 'write': {
        const value = this.freshValue();
        // A value this client just wrote is the likeliest current value for its next cas.
        this.lastSeen.set(key, value);
        return { kind, table, key, value };
      }
      case 'cas':
        return { kind, table, key, from: this.lastSeen.get(key) ?? null, to: this.freshValue() };
    }
  }

  retry(request: BankRequest, _idempotencyKeys: boolean): BankRequest {
    switch (request.kind) {
      case 'read':
        return request;
      case 'write': {
        const value = this.freshValue();
        this.lastSeen.set(request.key, value);
        return { ...request, value };
      }
      case 'cas':
        return { ...request, to: this.freshValue() };
      default:
        throw new Error(`registers generator asked to retry a ${request.kind} it never makes`);
    }
  }

  observe(request: BankRequest, response: BankResponse): void {
    if (response.outcome !== 'ok') return;
    if (request.kind === 'cas') this.lastSeen.set(request.key, request.to);
    if (request.kind === 'read') {
      const value = readResultValue(response.value);
      if (value !== undefined) this.lastSeen.set(request.key, value);
    }
  }

  private freshValue(): string {
    return this.context.ids.take(VALUE_PREFIX, this.context.region);
  }
}
