/**
 * A crash of a bank instance (the crash-bank fault): every piece of work in flight in it stops
 * at its next wait and never answers. The ports of one incarnation are wrapped so that a call
 * that returns after the crash never resumes its caller; what the call did at the store stays
 * done (a commit sent before the crash is durable), which is what a killed process leaves behind.
 */
import type {
  Clock,
  JsonValue,
  KvTable,
  PaymentProcessor,
  SqlCluster,
  SqlReadTx,
  SqlTx,
} from './ports.ts';
import type { RegionPorts } from './region-ports.ts';

/** Never settles: the caller's continuation is dropped with the crashed instance. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

export class Incarnation {
  private alive = true;

  get isAlive(): boolean {
    return this.alive;
  }

  crash(): void {
    if (!this.alive) throw new Error('this incarnation has already crashed');
    this.alive = false;
  }

  /** `promise`, unless the instance crashed before it settled. */
  guard<T>(promise: Promise<T>): Promise<T> {
    if (!this.alive) return never();
    return promise.then(
      (value) => (this.alive ? value : never<T>()),
      (error: unknown) => (this.alive ? Promise.reject(error) : never<T>()),
    );
  }
}

function guardKv<V extends JsonValue>(kv: KvTable<V>, life: Incarnation): KvTable<V> {
  return {
    get: (key) => life.guard(kv.get(key)),
    put: (key, value, options) => life.guard(kv.put(key, value, options)),
  };
}

function guardSql(sql: SqlCluster, life: Incarnation): SqlCluster {
  return {
    transaction: <T>(fn: (tx: SqlTx) => Promise<T>, options: { waitForReplication: boolean }) =>
      life.guard(sql.transaction(fn, options)),
    readLocal: <T>(fn: (tx: SqlReadTx) => Promise<T>) => life.guard(sql.readLocal(fn)),
    localIsWriter: () => life.guard(sql.localIsWriter()),
  };
}

function guardClock(clock: Clock, life: Incarnation): Clock {
  return { nowUs: () => clock.nowUs(), sleep: (delayMs) => life.guard(clock.sleep(delayMs)) };
}

function guardProcessor(processor: PaymentProcessor, life: Incarnation): PaymentProcessor {
  return {
    capture: (sagaId, amount) => life.guard(processor.capture(sagaId, amount)),
    void: (sagaId) => life.guard(processor.void(sagaId)),
  };
}

export function guardPorts(ports: RegionPorts, life: Incarnation): RegionPorts {
  return {
    balances: guardKv(ports.balances, life),
    registers: guardKv(ports.registers, life),
    sql: guardSql(ports.sql, life),
    clock: guardClock(ports.clock, life),
    processor: guardProcessor(ports.processor, life),
  };
}
