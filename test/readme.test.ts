import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectedBlock, findBlocks, normalised, README } from '../scripts/readme-examples.ts';

const blocks = findBlocks(readFileSync(README, 'utf8'));

describe('README.md', () => {
  it('marks its command outputs, so that each is checked below', () => {
    const names = blocks.map((block) =>
      block.example === 'commands' ? 'commands' : block.example.command,
    );
    expect(names).toEqual([
      'npx paychaos check examples/failover-lost-transfer.jsonl',
      'npx paychaos run scenarios/region-isolation.ts --bank-bug funds-check-on-replica',
      'commands',
    ]);
  });

  it.each(blocks.map((block) => [block.start + 1, block] as const))(
    'block at line %i shows what the command prints today (npm run readme rewrites it)',
    (_, block) => {
      expect(normalised(block.shown)).toBe(normalised(expectedBlock(block)));
    },
    120_000,
  );

  it('promises no logs/ in a run directory, and says how long npm test takes', () => {
    const text = readFileSync(README, 'utf8');
    expect(text).not.toContain('logs/');
    expect(text).toMatch(/npm test` took \d+ min/);
    expect(text).toContain('source scripts/use-node24.sh     # only if');
  });
});
