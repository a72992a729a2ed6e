import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZipfSampler } from '../../load/zipf.ts';
import { Prng } from '../../targets/sim/prng.ts';

function frequencies(n: number, draw: () => number, samples: number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < samples; i += 1) counts[draw()]! += 1;
  return counts.map((count) => count / samples);
}

describe('ZipfSampler', () => {
  it('gives rank k the weight 1/(k+1)^s, normalised', () => {
    const zipf = new ZipfSampler(4, 1);
    const harmonic = 1 + 1 / 2 + 1 / 3 + 1 / 4;
    for (let k = 0; k < 4; k += 1)
      expect(zipf.probability(k)).toBeCloseTo(1 / (k + 1) / harmonic, 12);
  });

  it('is uniform when s = 0', () => {
    const zipf = new ZipfSampler(5, 0);
    for (let k = 0; k < 5; k += 1) expect(zipf.probability(k)).toBeCloseTo(0.2, 12);
    const prng = new Prng(7);
    const observed = frequencies(5, () => zipf.sample(prng), 50_000);
    for (const p of observed) expect(Math.abs(p - 0.2)).toBeLessThan(0.01);
  });

  it('samples match the distribution (s = 0.99, n = 10): a chi-square test', () => {
    const n = 10;
    const samples = 100_000;
    const zipf = new ZipfSampler(n, 0.99);
    const prng = new Prng(42);
    const observed = frequencies(n, () => zipf.sample(prng), samples);
    let chiSquare = 0;
    for (let k = 0; k < n; k += 1) {
      const expected = zipf.probability(k) * samples;
      chiSquare += (observed[k]! * samples - expected) ** 2 / expected;
    }
    // 9 degrees of freedom: the 99.9th percentile of chi-square is 27.9.
    expect(chiSquare).toBeLessThan(27.9);
    // A few merchants take most of the traffic: the top 2 of 10 take over 40%.
    expect(observed[0]! + observed[1]!).toBeGreaterThan(0.4);
  });

  it('sampleExcluding never returns the excluded rank and follows the conditional distribution', () => {
    const zipf = new ZipfSampler(5, 1.2);
    const prng = new Prng(3);
    const excluded = 0;
    const samples = 50_000;
    const observed = frequencies(5, () => zipf.sampleExcluding(prng, excluded), samples);
    expect(observed[excluded]).toBe(0);
    const rest = 1 - zipf.probability(excluded);
    for (let k = 1; k < 5; k += 1) {
      expect(Math.abs(observed[k]! - zipf.probability(k) / rest)).toBeLessThan(0.01);
    }
  });

  it('rejects a table it cannot build', () => {
    expect(() => new ZipfSampler(0, 1)).toThrow('itemsCount');
    expect(() => new ZipfSampler(3, -1)).toThrow('exponent');
    expect(() => new ZipfSampler(1, 1).sampleExcluding(new Prng(1), 0)).toThrow('only rank');
  });

  it('property: samples are in range, exclusion holds, probabilities fall with rank', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 50 }),
        fc.double({ min: 0, max: 3, noNaN: true }),
        fc.nat(1000),
        (n, s, seed) => {
          const zipf = new ZipfSampler(n, s);
          const prng = new Prng(seed);
          for (let i = 0; i < 50; i += 1) {
            const rank = zipf.sample(prng);
            expect(rank).toBeGreaterThanOrEqual(0);
            expect(rank).toBeLessThan(n);
            expect(zipf.sampleExcluding(prng, rank)).not.toBe(rank);
          }
          let total = 0;
          for (let k = 0; k < n; k += 1) {
            total += zipf.probability(k);
            if (k > 0)
              expect(zipf.probability(k)).toBeLessThanOrEqual(zipf.probability(k - 1) + 1e-12);
          }
          expect(total).toBeCloseTo(1, 9);
        },
      ),
      { numRuns: 150 },
    );
  });
});
