/**
 * The layers hold by plain imports (docs/architecture.md): every source folder says in its
 * README.md which folders it may import, those rules form layers (no folder may reach itself
 * through them), every import keeps to them, and no file imports itself through others.
 */
import { describe, expect, it } from 'vitest';
import { allowedImports, cycles, folderOf, importEdges, sourceFiles } from './import-graph.ts';

const files = sourceFiles();
const edges = importEdges(files);
const folders = [...new Set(files.map(folderOf))].sort();

function rules(): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const folder of folders) map.set(folder, allowedImports(folder) ?? new Set());
  return map;
}

describe('the import graph of the source', () => {
  it('has a "May import:" line in the README.md of every source folder', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(folders.filter((folder) => allowedImports(folder) === null)).toEqual([]);
  });

  it('has folder rules that form layers: no folder may reach itself through them', () => {
    const ruleEdges = [...rules()].flatMap(([from, allowed]) =>
      [...allowed].map((to) => ({ from, to })),
    );
    expect(ruleEdges.filter(({ to }) => !folders.includes(to))).toEqual([]);
    expect(cycles(ruleEdges)).toEqual([]);
  });

  it('has no import from a folder to one its README.md does not allow (an upward import)', () => {
    const allowed = rules();
    const upward = edges
      .filter(({ from, to }) => folderOf(from) !== folderOf(to))
      .filter(({ from, to }) => !allowed.get(folderOf(from))?.has(folderOf(to)))
      .map(({ from, to }) => `${from} imports ${to}`);
    expect(upward).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const folderEdges = edges
      .map(({ from, to }) => ({ from: folderOf(from), to: folderOf(to) }))
      .filter(({ from, to }) => from !== to);
    expect(cycles(folderEdges)).toEqual([]);
  });

  it('has no cycle between files', () => {
    expect(cycles(edges)).toEqual([]);
  });
});

describe('the cycle finder', () => {
  it('finds a loop of three and a file importing itself, and nothing in a chain', () => {
    const loop = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'a' },
      { from: 'c', to: 'd' },
      { from: 'e', to: 'e' },
    ];
    expect(cycles(loop)).toEqual([['a', 'b', 'c'], ['e']]);
    expect(
      cycles([
        { from: 'a', to: 'b' },
        { from: 'b', to: 'c' },
      ]),
    ).toEqual([]);
  });
});
