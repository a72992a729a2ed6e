/**
 * The driver over the simulator's own network and the real HistoryWriter: the Transport the sim
 * target will build (SimNetwork.request from CLIENTS to a region's endpoint), an isolated region
 * that clients fail over from and back to, and a history file the reader accepts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BankRequest } from '../../bank/api.ts';
import { loadHistoryOps } from '../../history/reader.ts';
import { HistoryWriter } from '../../history/writer.ts';
import { schedulerClock } from '../../load/clock.ts';
import { LoadDriver } from '../../load/load-driver.ts';
import type { Transport } from '../../load/transport.ts';
import { CLIENTS, SimNetwork } from '../../targets/sim/network.ts';
import { Prng } from '../../targets/sim/prng.ts';
import { Scheduler } from '../../targets/sim/scheduler.ts';
import { ACCOUNTS, okResponse } from './support/fake-transport.ts';
import { invokes, valueField } from './support/history-queries.ts';
import { bankWorkload, clients, NS_PER_MS, OSAKA, REGIONS, TOKYO } from './support/run-load.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function simTransport(network: SimNetwork): Transport {
  let n = 0;
  return {
    send: (region: string, request: BankRequest) =>
      network.request(CLIENTS, region, async () => okResponse(request, n++)),
    probe: (region: string) => network.request(CLIENTS, region, async () => true),
  };
}

describe('load driver on the simulator', () => {
  it('fails over from an isolated region and back, writing a history the reader accepts', async () => {
    const scheduler = new Scheduler();
    const root = new Prng(5);
    const network = new SimNetwork(scheduler, root.fork(), {
      regions: REGIONS,
      local: { baseNs: 200_000, jitterMeanNs: 50_000 },
      crossRegion: { baseNs: 4_000_000, jitterMeanNs: 500_000 },
      client: { baseNs: 10_000_000, jitterMeanNs: 2_000_000 },
    });
    const dir = mkdtempSync(join(tmpdir(), 'paychaos-load-'));
    dirs.push(dir);
    const file = join(dir, 'history.jsonl');
    const writer = new HistoryWriter(file);
    const driver = new LoadDriver(
      {
        clock: schedulerClock(scheduler),
        prng: root.fork(),
        transport: simTransport(network),
        sink: writer,
      },
      {
        regions: REGIONS,
        durationMs: 6000,
        workloads: [bankWorkload({ [TOKYO]: 30, [OSAKA]: 10 })],
        clients: clients({
          timeoutMs: 200,
          retriesMax: 1,
          failover: { enabled: true, healthCheckIntervalMs: 250, failureThreshold: 2 },
        }),
        accounts: ACCOUNTS,
        opsInFlightMax: 200,
      },
    );
    scheduler.at(1000 * NS_PER_MS, () => network.isolate(TOKYO));
    scheduler.at(3000 * NS_PER_MS, () => network.rejoin(TOKYO));
    driver.start();
    await scheduler.run({ untilNs: 7000 * NS_PER_MS, eventsMax: 100_000 });
    driver.stop();
    writer.close();

    const ops = loadHistoryOps(file);
    // Payments carry their home region in their id (t-ap-northeast-1-7); reads carry none.
    const tokyoHome = invokes(ops).filter((op) => {
      const id = valueField(op, 'id');
      return typeof id === 'string' && id.includes(`-${TOKYO}-`);
    });
    const isolated = tokyoHome.filter(
      (op) => op.time > 2000 * NS_PER_MS && op.time < 3000 * NS_PER_MS,
    );
    expect(isolated.length).toBeGreaterThan(10);
    expect(isolated.every((op) => op.region === OSAKA)).toBe(true);
    const rejoined = tokyoHome.filter((op) => op.time > 4500 * NS_PER_MS);
    expect(rejoined.length).toBeGreaterThan(5);
    expect(rejoined.every((op) => op.region === TOKYO)).toBe(true);
    expect(ops.some((op) => op.type === 'info' && op.error === 'timeout')).toBe(true);
  });
});
