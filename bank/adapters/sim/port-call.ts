/**
 * One call from a bank instance to a store over the simulated network, bounded by a timeout on
 * the virtual clock. A cut link loses the request or its answer and the call never returns on
 * its own; the timeout turns that into StoreError(definite: false): the store may have applied
 * it. A request that cannot leave (the link is already cut) fails definite: it surely did nothing.
 */
import type { SimNetwork } from '../../../targets/sim/network.ts';
import type { Scheduler } from '../../../targets/sim/scheduler.ts';
import { StoreError } from '../../ports.ts';

const NS_PER_MS = 1_000_000;

export interface PortCallDeps {
  scheduler: Scheduler;
  network: SimNetwork;
  /** How long a call waits for its answer. */
  timeoutMs: number;
}

export function callAcross<T>(
  deps: PortCallDeps,
  from: string,
  to: string,
  what: string,
  handle: () => Promise<T>,
): Promise<T> {
  if (!deps.network.canReach(from, to)) {
    return Promise.reject(new StoreError(`${what}: ${to} is unreachable from ${from}`, true));
  }
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = deps.scheduler.after(deps.timeoutMs * NS_PER_MS, () => {
      if (settled) return;
      settled = true;
      reject(new StoreError(`${what}: no answer from ${to} within ${deps.timeoutMs} ms`, false));
    });
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      deps.scheduler.cancel(timer);
      settle();
    };
    deps.network.request(from, to, handle).then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
