/** The one way every checker says "unknown, because ...". */
import { describe, expect, it } from 'vitest';
import { AnomalyLog } from '../../checkers/anomaly-log.ts';
import { Unjudged } from '../../checkers/unjudged.ts';

const anomaly = { type: 'lost-write', message: 'x', ops: [1] };

describe('Unjudged', () => {
  it('passes a history with no anomaly and no reason', () => {
    expect(new Unjudged().result(new AnomalyLog(10), { n: 1 })).toEqual({
      valid: true,
      anomalies: [],
      stats: { n: 1 },
    });
  });

  it('lets an anomaly win over any reason: the verdict is false', () => {
    const log = new AnomalyLog(10);
    log.add(anomaly);
    const unjudged = new Unjudged();
    unjudged.add('a key was ambiguous');
    expect(unjudged.result(log, {})).toEqual({ valid: false, anomalies: [anomaly], stats: {} });
  });

  it('is unknown with the first reason, a count of the others, and the kept reasons in stats', () => {
    const unjudged = new Unjudged();
    for (let i = 1; i <= 12; i += 1) unjudged.add(`reason ${i}`);
    const result = unjudged.result(new AnomalyLog(10), { n: 1 });
    expect(result.valid).toBe('unknown');
    expect(result.error).toBe('reason 1 (and 11 more such problem(s))');
    expect(result.stats).toEqual({
      n: 1,
      problems: Array.from({ length: 10 }, (_, i) => `reason ${i + 1}`),
    });
  });
});
