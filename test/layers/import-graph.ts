/**
 * Test support: the import graph of paychaos's source, read from the files as text. An edge is a
 * relative specifier in a static import or export, a dynamic `import()`, or a `new URL()` of a
 * worker entry; package and `node:` imports are not edges.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
/** Folders that are not source: tests (which may import anything), docs, dependencies. */
const NOT_SOURCE = new Set(['test', 'node_modules', 'docs', 'examples', 'scripts', 'runs']);
const FILES_MAX = 5_000;
const SPECIFIER =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bnew URL\(\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;

export interface ImportEdge {
  from: string;
  to: string;
}

export function sourceFiles(): string[] {
  const files: string[] = [];
  for (const top of readdirSync(ROOT)) {
    if (top.startsWith('.') || NOT_SOURCE.has(top)) continue;
    const absolute = join(ROOT, top);
    if (!statSync(absolute).isDirectory()) continue;
    for (const entry of readdirSync(absolute, { recursive: true, encoding: 'utf8' })) {
      if (/\.(ts|js)$/.test(entry) && !entry.endsWith('.d.ts')) files.push(join(top, entry));
    }
  }
  if (files.length > FILES_MAX) throw new Error(`more than ${FILES_MAX} source files`);
  return files.sort();
}

/** Drops comments so that an import shown in a comment (a repro file's text) is no edge. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

export function importEdges(files: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = withoutComments(readFileSync(join(ROOT, from), 'utf8'));
    for (const match of text.matchAll(SPECIFIER)) {
      const to = relative(ROOT, resolve(ROOT, dirname(from), match[2]!));
      if (!existsSync(join(ROOT, to)))
        throw new Error(`${from}: imports ${match[2]}, which does not exist`);
      edges.push({ from, to });
    }
  }
  return edges;
}

/** The top-level folder of a source file: its layer. */
export function folderOf(file: string): string {
  return file.split('/')[0]!;
}

/** Strongly connected components with more than one node, or a node importing itself. */
export function cycles(edges: readonly { from: string; to: string }[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    for (;;) {
      const member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
      if (member === node) break;
    }
    const selfLoop = next.get(node)!.includes(node);
    if (component.length > 1 || selfLoop) found.push(component.sort());
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/**
 * What a folder may import, from the "May import:" line of its README.md: folder names in
 * backticks, or "nothing".
 */
export function allowedImports(folder: string): Set<string> | null {
  const readme = join(ROOT, folder, 'README.md');
  if (!existsSync(readme)) return null;
  const line = readFileSync(readme, 'utf8')
    .split('\n')
    .find((text) => text.startsWith('May import:'));
  if (line === undefined) return null;
  return new Set([...line.matchAll(/`([^`]+)`/g)].map((match) => match[1]!.replace(/\/$/, '')));
}
