/**
 * Why a scenario module could not be imported, as the rest of one line. tsx reports a syntax
 * error as "Transform failed with N errors:" followed by esbuild's `file:line:column: ERROR:
 * reason` lines: the location and the reason are on the lines after the first, so they are
 * taken from there rather than cut away with the rest of the message. Node's own SyntaxError
 * (a .js module) has none: `node --check` finds it.
 */
import { spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';

const ESBUILD_ERROR = /^(.+?):(\d+):(\d+): ERROR: (.+)$/;

const CHECK_TIMEOUT_MS = 10_000;

/**
 * Node's SyntaxError for a .js module carries no location; `node --check` prints it
 * (`file:4`, the line, a caret under the column). Run only on this error path.
 */
function locateJsSyntaxError(path: string, error: Error): string | null {
  if (error.name !== 'SyntaxError' || !/\.[cm]?js$/.test(path)) return null;
  const check = spawnSync(process.execPath, ['--check', resolve(path)], {
    encoding: 'utf8',
    timeout: CHECK_TIMEOUT_MS,
  });
  const [where, , caret] = (check.stderr ?? '').split('\n');
  const line = /:(\d+)$/.exec(where ?? '')?.[1];
  const column = (caret ?? '').indexOf('^') + 1;
  if (line === undefined || column === 0) return null;
  return `${path}:${line}:${column}: syntax error: ${error.message}`;
}

/** `scenario.ts:4:2: syntax error: Expected "}" but found "foo"`, or the error's first line. */
export function describeLoadFailure(path: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n');
  const located = lines.map((line) => ESBUILD_ERROR.exec(line)).filter((match) => match !== null);
  const first = located[0];
  const jsLocated =
    first === undefined && error instanceof Error ? locateJsSyntaxError(path, error) : null;
  if (jsLocated !== null) return jsLocated;
  if (first === undefined) return `${path}: could not be loaded: ${lines[0]}`;
  const [, file, line, column, reason] = first;
  // The error may lie in a module the scenario imports: name that file, as the user would.
  const fromHere = relative(process.cwd(), file!);
  const other = fromHere.startsWith('..') ? resolve(file!) : fromHere;
  const where = resolve(file!) === resolve(path) ? path : other;
  const more = located.length > 1 ? ` (and ${located.length - 1} more)` : '';
  return `${where}:${line}:${column}: syntax error: ${reason}${more}`;
}

/**
 * A TypeScript file that neither imports nor exports anything is run as CommonJS, and its
 * "default export" is then its empty `module.exports`, not a missing default.
 */
export function hasDefaultExport(module: Record<string, unknown>): boolean {
  if (module.default === undefined) return false;
  const exported = module['module.exports'];
  const empty =
    typeof exported === 'object' && exported !== null && Object.keys(exported).length === 0;
  return !(empty && module.default === exported);
}
