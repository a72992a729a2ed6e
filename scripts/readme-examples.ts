/**
 * Every command output shown in README.md comes from here, so none can go stale:
 * `npm run readme` runs each example and rewrites its block; test/readme.test.ts runs them again
 * and fails when a block differs from what the command prints now (run-directory timestamps and
 * measured milliseconds aside).
 *
 * An example is a marker line followed by a fenced block:
 *
 *   <!-- readme-example {"command": "npx paychaos check examples/x.jsonl", "head": 3, "tail": 2} -->
 *
 * The block shows `$ <command>`, its stdout (the first `head` and last `tail` lines with "  ..."
 * between, or all of it), then `$ echo $?` and the exit code. `<!-- readme-commands -->` marks
 * the block of usage lines, made from the command table.
 *
 * Commands run as a user would from the repository root, in a scratch directory that links
 * `scenarios/` and `examples/` (so `runs/` lands there, not in the checkout).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandSpec } from '../cli/command-spec.ts';
import { COMMAND_TABLE } from '../cli/command-table.ts';

const ROOT = join(import.meta.dirname, '..');
export const README = join(ROOT, 'README.md');
const BIN = join(ROOT, 'bin', 'paychaos.js');
const MARKER = /^<!-- readme-example (\{.*\}) -->$/;
const COMMANDS_MARKER = '<!-- readme-commands -->';
const COMMAND_TIMEOUT_MS = 300_000;

export interface Example {
  command: string;
  head?: number;
  tail?: number;
}

/** A marked block: the lines it spans in the README (fences included) and what it shows. */
export interface Block {
  example: Example | 'commands';
  start: number;
  end: number;
  shown: string;
}

function parseExample(json: string, lineNumber: number): Example {
  const value = JSON.parse(json) as Partial<Example>;
  if (typeof value.command !== 'string' || !value.command.startsWith('npx paychaos ')) {
    throw new Error(`README.md:${lineNumber}: "command" must start with "npx paychaos "`);
  }
  return value as Example;
}

export function findBlocks(text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  lines.forEach((line, i) => {
    const match = MARKER.exec(line);
    if (match === null && line !== COMMANDS_MARKER) return;
    const example = match === null ? 'commands' : parseExample(match[1]!, i + 1);
    if (lines[i + 1] !== '```')
      throw new Error(`README.md:${i + 2}: expected a fence after the marker`);
    const close = lines.indexOf('```', i + 2);
    if (close === -1) throw new Error(`README.md:${i + 2}: the block is never closed`);
    blocks.push({ example, start: i + 1, end: close, shown: lines.slice(i + 2, close).join('\n') });
  });
  return blocks;
}

function usageLine(spec: CommandSpec): string {
  const words = [`paychaos ${spec.name}`];
  for (const argument of spec.arguments) {
    const choices = argument.choices?.join('|');
    const word = choices ?? `<${argument.name}>${argument.many === true ? '...' : ''}`;
    words.push(argument.optional === true ? `[${word}]` : word);
  }
  for (const flag of spec.flags) {
    const name = flag.short === undefined ? `--${flag.name}` : `-${flag.short}`;
    const value = flag.value === undefined ? '' : ` ${flag.value}`;
    words.push(`[${name}${value}]${flag.repeatable === true ? '...' : ''}`);
  }
  return words.join(' ');
}

export function commandList(): string {
  return COMMAND_TABLE.map((entry) => usageLine(entry.spec)).join('\n');
}

/** Runs an example as a user would and renders its block. */
export function runExample(example: Example): string {
  const dir = mkdtempSync(join(tmpdir(), 'paychaos-readme-'));
  try {
    for (const name of ['scenarios', 'examples']) symlinkSync(join(ROOT, name), join(dir, name));
    const args = example.command.slice('npx paychaos '.length).split(' ');
    const child = spawnSync(process.execPath, [BIN, ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: COMMAND_TIMEOUT_MS,
    });
    if (child.error !== undefined) throw child.error;
    if (child.status === null) throw new Error(`${example.command}: killed by ${child.signal}`);
    let lines = child.stdout.trimEnd().split('\n');
    const head = example.head ?? lines.length;
    const tail = example.tail ?? 0;
    if (head + tail < lines.length) {
      lines = [...lines.slice(0, head), '  ...', ...lines.slice(lines.length - tail)];
    }
    return [`$ ${example.command}`, ...lines, '$ echo $?', String(child.status)].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What may differ between two runs of the same command: when it ran, and how long it took. */
export function normalised(block: string): string {
  return block
    .replace(/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ/g, '<UTC time>')
    .replace(/(\w*Ms\w*)=[\d.]+/g, '$1=<ms>');
}

export function expectedBlock(block: Block): string {
  return block.example === 'commands' ? commandList() : runExample(block.example);
}

function rewriteReadme(): void {
  const lines = readFileSync(README, 'utf8').split('\n');
  // From the last block up, so that earlier line numbers stay right.
  for (const block of findBlocks(lines.join('\n')).reverse()) {
    lines.splice(block.start + 1, block.end - block.start - 1, ...expectedBlock(block).split('\n'));
  }
  writeFileSync(README, lines.join('\n'));
}

if (process.argv[1] === import.meta.filename) rewriteReadme();
