/** The KvTable port over the simulator's DynamoDB global table, seen from one region. */
import type { GlobalTable } from '../../../targets/sim/global-table.ts';
import type { JsonValue, KvItem, KvPutOptions, KvTable, KvWriteResult } from '../../ports.ts';
import { callAcross, type PortCallDeps } from './port-call.ts';

export class SimKvTable<V extends JsonValue> implements KvTable<V> {
  constructor(
    private readonly deps: PortCallDeps,
    private readonly table: GlobalTable<V>,
    private readonly region: string,
    private readonly name: string,
  ) {}

  get(key: string): Promise<KvItem<V> | undefined> {
    return callAcross(this.deps, this.region, this.region, `${this.name} get ${key}`, async () => {
      const item = this.table.get(this.region, key);
      return item === undefined ? undefined : { value: item.value, tsUs: item.tsUs };
    });
  }

  put(key: string, value: V, options: KvPutOptions<V> = {}): Promise<KvWriteResult> {
    return callAcross(this.deps, this.region, this.region, `${this.name} put ${key}`, async () =>
      this.table.put(this.region, key, value, options),
    );
  }
}
