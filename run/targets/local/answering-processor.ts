/**
 * The payment processor of the local target: in the harness's process, shared by every region,
 * always answering at once — it captures unless the saga was voided first, and a void is sticky.
 * The lab tests the bank's stores and links; a processor that times out or declines is the
 * simulator's to vary (bank/adapters/sim/sim-payment-processor.ts), not built for the lab yet.
 */
import type { CaptureResult, PaymentProcessor } from '../../../bank/ports.ts';

/** More sagas than a run of minutes at the lab's rates makes: beyond it, something loops. */
const VOIDED_MAX = 1_000_000;

export class AnsweringProcessor implements PaymentProcessor {
  private readonly voided = new Set<string>();

  async capture(sagaId: string): Promise<CaptureResult> {
    return this.voided.has(sagaId) ? 'declined' : 'captured';
  }

  async void(sagaId: string): Promise<void> {
    if (this.voided.size >= VOIDED_MAX) throw new Error(`over ${VOIDED_MAX} voided sagas`);
    this.voided.add(sagaId);
  }
}
