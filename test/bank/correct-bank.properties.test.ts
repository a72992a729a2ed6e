/**
 * The correct bank under random concurrent load from both regions, with and without one fault
 * (isolation, partition, replica lag, paused replication, failover, a crashed bank instance):
 * after healing and quiescence, money is conserved and every region's projection equals the
 * ledger, no balance is negative, no acknowledged payment is lost, a retried id applies once,
 * and every saga completed or was compensated, as its client was told.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../history/op.ts';
import {
  type Answers,
  applyFault,
  type FaultPlan,
  faultArb,
  type Planned,
  plannedArb,
  schedule,
} from './support/random-load.ts';
import {
  type ClientOutcome,
  finalView,
  ledgerBalances,
  started,
  world,
} from './support/sim-bank.ts';

type Verdict = 'acknowledged' | 'failed' | 'unknown';

function verdictOf(outcomes: readonly ClientOutcome[]): Verdict {
  if (outcomes.some((o) => o.outcome === 'ok')) return 'acknowledged';
  if (outcomes.every((o) => o.outcome === 'rejected')) return 'failed';
  return 'unknown';
}

function netsByAccount(entries: readonly LedgerEntry[]): Record<string, number> {
  const nets: Record<string, number> = {};
  for (const e of entries) nets[e.account] = (nets[e.account] ?? 0) + e.amount;
  for (const account of Object.keys(nets)) if (nets[account] === 0) delete nets[account];
  return nets;
}

function expectedPaymentNets(request: Planned['request']): Record<string, number> {
  if (request.kind === 'transfer')
    return { [request.from]: -request.amount, [request.to]: request.amount };
  if (request.kind === 'deposit') return { [request.account]: request.amount };
  if (request.kind === 'withdraw') return { [request.account]: -request.amount };
  throw new Error(`not a payment: ${request.kind}`);
}

async function runOnce(seed: number, planned: Planned[], fault: FaultPlan) {
  const w = await started(world({ seed }));
  applyFault(w, fault);
  const answers: Promise<Answers> = schedule(w, planned);
  await w.runForMs(8_000);
  await w.settle();
  return { w, answers: await answers, view: await finalView(w) };
}

describe('the correct bank under random load and faults', () => {
  it('conserves money, loses no acknowledged payment, applies retries once, ends every saga', async () => {
    // Guards against a vacuous pass: the runs must have met every kind of outcome.
    const seen = new Map<string, number>();
    const count = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(fc.nat(1_000_000), plannedArb, faultArb, async (seed, planned, fault) => {
        const { w, answers, view } = await runOnce(seed, planned, fault);
        expect(w.bank.backgroundErrors()).toEqual([]);
        const fromLedger = ledgerBalances(view.ledger);
        for (const balances of view.balancesByRegion.values()) expect(balances).toEqual(fromLedger);
        for (const balance of Object.values(fromLedger)) expect(balance).toBeGreaterThanOrEqual(0);
        for (const read of answers.consistentReads) {
          for (const balance of Object.values(read)) expect(balance).toBeGreaterThanOrEqual(0);
        }
        for (const p of planned) {
          if (p.request.kind === 'balances') continue;
          const id = p.request.id;
          const verdict = verdictOf(answers.byId.get(id) ?? []);
          count(`${p.request.kind} ${verdict}`);
          count(`any ${verdict}`);
          const nets = netsByAccount(view.ledger.filter((e) => e.tx === id));
          if (p.request.kind === 'checkout') {
            const saga = view.sagas.find((s) => s.id === id);
            expect(saga?.status).not.toBe('pending');
            count(`saga ${saga?.status}`);
            const completed = saga?.status === 'completed';
            if (verdict === 'acknowledged') expect(completed).toBe(true);
            if (verdict === 'failed') expect(completed).toBe(false);
            const { from, to, amount } = p.request;
            expect(nets).toEqual(completed ? { [from]: -amount, [to]: amount } : {});
            continue;
          }
          const applications =
            view.ledger.filter((e) => e.tx === id).length / (p.request.kind === 'transfer' ? 2 : 1);
          if (verdict === 'acknowledged') expect(applications).toBe(1);
          if (verdict === 'failed') expect(applications).toBe(0);
          expect(applications).toBeLessThanOrEqual(1);
          expect(nets).toEqual(applications === 1 ? expectedPaymentNets(p.request) : {});
        }
      }),
      { numRuns: 60 },
    );
    for (const what of ['any unknown', 'any failed', 'saga completed', 'saga compensated']) {
      expect(seen.get(what) ?? 0, `${what} in ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
    }
  }, 60_000);
});
