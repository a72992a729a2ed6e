/**
 * One region's bank service process: it answers requests and runs the background work (the
 * projector, the saga recovery). A crash ends this incarnation; a restart makes a new one,
 * reconnected to the same durable stores.
 */
import type { BankRequest, BankResponse } from './api.ts';
import { handleBalances } from './balances-read.ts';
import type { BankConfig } from './bank-config.ts';
import { handleCheckout } from './checkout.ts';
import { guardPorts, Incarnation } from './crash-guard.ts';
import { handlePayment } from './payments.ts';
import { runProjector } from './projector.ts';
import type { InstanceContext, RegionPorts } from './region-ports.ts';
import { handleRegister } from './registers.ts';
import { runSagaRecovery } from './saga-recovery.ts';

export class BankInstance {
  private readonly life = new Incarnation();
  private readonly ctx: InstanceContext;

  constructor(
    readonly region: string,
    config: BankConfig,
    ports: RegionPorts,
    bankRunning: () => boolean,
    private readonly onBackgroundError: (error: unknown) => void,
  ) {
    const life = this.life;
    this.ctx = {
      region,
      config,
      ports: guardPorts(ports, life),
      running: () => life.isAlive && bankRunning(),
    };
  }

  get alive(): boolean {
    return this.life.isAlive;
  }

  get context(): InstanceContext {
    return this.ctx;
  }

  /** Starts the background loops; each ends when the instance crashes or the bank stops. */
  startBackground(): void {
    const loops = [runSagaRecovery];
    // Under 'lww-balance-update' the request handlers keep the balances: no projection.
    if (!this.ctx.config.bugs.has('lww-balance-update')) loops.push(runProjector);
    for (const loop of loops) loop(this.ctx).catch(this.onBackgroundError);
  }

  crash(): void {
    this.life.crash();
  }

  /** A crashed instance never answers: its clients time out. */
  handle(request: BankRequest): Promise<BankResponse> {
    return this.life.guard(this.dispatch(request));
  }

  private dispatch(request: BankRequest): Promise<BankResponse> {
    switch (request.kind) {
      case 'transfer':
      case 'deposit':
      case 'withdraw':
        return handlePayment(this.ctx, request);
      case 'balances':
        return handleBalances(this.ctx, request);
      case 'checkout':
        return handleCheckout(this.ctx, request);
      case 'write':
      case 'read':
      case 'cas':
        return handleRegister(this.ctx, request);
    }
  }
}
