/**
 * The external payment processor as a simulated dependency on the internet (the network's
 * CLIENTS site: an isolated region cannot reach it). Each capture draws its fate from the PRNG:
 * declined, no answer (and then captured or not, half and half: the caller cannot tell), or
 * captured. A void is sticky and idempotent (PaymentProcessor in bank/ports.ts).
 *
 * State: one entry per saga id the processor has heard of.
 */
import { CLIENTS } from '../../../targets/sim/network.ts';
import type { Prng } from '../../../targets/sim/prng.ts';
import type { Scheduler } from '../../../targets/sim/scheduler.ts';
import type { CaptureResult, PaymentProcessor } from '../../ports.ts';
import { callAcross, type PortCallDeps } from './port-call.ts';

const NS_PER_MS = 1_000_000;

export interface ProcessorBehaviour {
  /** Time the processor takes to answer. */
  latencyMs: number;
  declineProbability: number;
  /** A capture that never answers; the caller times out after `timeoutMs`. */
  timeoutProbability: number;
  timeoutMs: number;
}

export const PROCESSOR_BEHAVIOUR_DEFAULT: ProcessorBehaviour = {
  latencyMs: 20,
  declineProbability: 0.05,
  timeoutProbability: 0.05,
  timeoutMs: 300,
};

type Fate = 'captured' | 'voided';

export class SimPaymentService {
  private readonly fates = new Map<string, Fate>();
  capturesAnswered = 0;
  capturesUnanswered = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly prng: Prng,
    readonly behaviour: ProcessorBehaviour,
  ) {
    const { declineProbability: decline, timeoutProbability: timeout } = behaviour;
    if (!(decline >= 0 && timeout >= 0 && decline + timeout <= 1)) {
      throw new Error('processor probabilities must be >= 0 and sum to at most 1');
    }
  }

  /** What the processor holds for a saga: captured, voided, or nothing. */
  fate(sagaId: string): Fate | undefined {
    return this.fates.get(sagaId);
  }

  async capture(sagaId: string): Promise<CaptureResult> {
    await this.scheduler.sleep(this.behaviour.latencyMs * NS_PER_MS);
    if (this.fates.get(sagaId) === 'voided') return 'declined';
    const draw = this.prng.float();
    if (draw < this.behaviour.declineProbability) return 'declined';
    if (draw < this.behaviour.declineProbability + this.behaviour.timeoutProbability) {
      this.capturesUnanswered += 1;
      if (this.prng.chance(0.5)) this.fates.set(sagaId, 'captured');
      return new Promise<CaptureResult>(() => {});
    }
    this.capturesAnswered += 1;
    this.fates.set(sagaId, 'captured');
    return 'captured';
  }

  async void(sagaId: string): Promise<void> {
    await this.scheduler.sleep(this.behaviour.latencyMs * NS_PER_MS);
    this.fates.set(sagaId, 'voided');
  }
}

/** The processor as one region's bank instance reaches it. */
export class SimPaymentProcessor implements PaymentProcessor {
  constructor(
    private readonly deps: PortCallDeps,
    private readonly service: SimPaymentService,
    private readonly region: string,
  ) {}

  capture(sagaId: string, _amount: number): Promise<CaptureResult> {
    return callAcross(this.deps, this.region, CLIENTS, `capture ${sagaId}`, () =>
      this.service.capture(sagaId),
    );
  }

  void(sagaId: string): Promise<void> {
    return callAcross(this.deps, this.region, CLIENTS, `void ${sagaId}`, () =>
      this.service.void(sagaId),
    );
  }
}
