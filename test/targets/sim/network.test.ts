import { describe, expect, it } from 'vitest';
import { CLIENTS, SimNetwork } from '../../../targets/sim/network.ts';
import { Prng } from '../../../targets/sim/prng.ts';
import { Scheduler } from '../../../targets/sim/scheduler.ts';

const TOKYO = 'ap-northeast-1';
const OSAKA = 'ap-northeast-3';
const RUN = { untilNs: 1e12, eventsMax: 100_000 };

function world(seed = 1) {
  const scheduler = new Scheduler();
  const network = new SimNetwork(scheduler, new Prng(seed), {
    regions: [TOKYO, OSAKA],
    local: { baseNs: 200_000, jitterMeanNs: 50_000 },
    crossRegion: { baseNs: 4_000_000, jitterMeanNs: 500_000 },
    client: { baseNs: 10_000_000, jitterMeanNs: 2_000_000 },
  });
  return { scheduler, network };
}

describe('SimNetwork', () => {
  it('delivers a request and its response after sampled latencies', async () => {
    const { scheduler, network } = world();
    let handledAtNs = -1;
    const reply = network.request(CLIENTS, TOKYO, async () => {
      handledAtNs = scheduler.nowNs;
      return 'pong';
    });
    await scheduler.run(RUN);
    expect(await reply).toBe('pong');
    expect(handledAtNs).toBeGreaterThanOrEqual(10_000_000);
    expect(scheduler.nowNs).toBeGreaterThanOrEqual(20_000_000);
  });

  it('isolation cuts a region from the other region and from clients, not inside itself', () => {
    const { network } = world();
    network.isolate(TOKYO);
    expect(network.canReach(CLIENTS, TOKYO)).toBe(false);
    expect(network.canReach(OSAKA, TOKYO)).toBe(false);
    expect(network.canReach(TOKYO, TOKYO)).toBe(true);
    expect(network.canReach(CLIENTS, OSAKA)).toBe(true);
    network.rejoin(TOKYO);
    expect(network.canReach(CLIENTS, TOKYO)).toBe(true);
  });

  it('a partition between regions leaves clients reaching both; cuts nest', () => {
    const { network } = world();
    network.partition(TOKYO, OSAKA);
    network.partition(OSAKA, TOKYO);
    expect(network.canReach(TOKYO, OSAKA)).toBe(false);
    expect(network.canReach(CLIENTS, TOKYO)).toBe(true);
    network.heal(TOKYO, OSAKA);
    expect(network.canReach(TOKYO, OSAKA)).toBe(false);
    network.heal(TOKYO, OSAKA);
    expect(network.canReach(TOKYO, OSAKA)).toBe(true);
    expect(() => network.heal(TOKYO, OSAKA)).toThrow('not cut');
  });

  it('loses a response whose link is cut while the request is being handled', async () => {
    const { scheduler, network } = world();
    let settled = false;
    network
      .request(CLIENTS, TOKYO, async () => {
        network.isolate(TOKYO);
        return 'lost';
      })
      .then(() => {
        settled = true;
      });
    await scheduler.run(RUN);
    expect(settled).toBe(false);
    expect(network.messagesDropped).toBe(1);
  });

  it('samples the same latencies for the same seed', () => {
    const a = world(9).network;
    const b = world(9).network;
    const samples = (n: SimNetwork) => Array.from({ length: 5 }, () => n.latencyNs(TOKYO, OSAKA));
    expect(samples(a)).toEqual(samples(b));
  });

  it('refuses sites it does not know', () => {
    expect(() => world().network.isolate('us-east-1')).toThrow('unknown site "us-east-1"');
  });
});
