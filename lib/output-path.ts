/**
 * Outputs the command line writes: directories made one level at a time, files written under a
 * temporary name and renamed into place once complete. An output that cannot be written is an
 * OutputPathError (exit 73) naming the path, never a hang or an "internal error".
 *
 * Why not `mkdirSync(dir, { recursive: true })`: Node's recursive mkdir reads ENOENT as "the
 * parent is missing", makes the parent (it exists: EEXIST, fine) and tries the child again, with
 * no limit. Where mkdir of a child answers ENOENT although its parent exists — anything under
 * /proc, some FUSE mounts — it spins a core forever (`paychaos run --out /proc/x` did). Here each
 * component is tried once.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, parse, resolve, sep } from 'node:path';

export class OutputPathError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`paychaos: cannot write ${path}: ${reason}`);
    this.name = 'OutputPathError';
  }
}

function reasonOf(error: unknown): string {
  const errno = error as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOENT: 'the file system does not let a file or directory be created there',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    ENOTDIR: 'a part of the path is a file, not a directory',
    EISDIR: 'it is a directory',
  };
  const known = errno.code === undefined ? undefined : reasons[errno.code];
  if (known !== undefined) return `${known} (${errno.code})`;
  return error instanceof Error ? error.message : String(error);
}

/** mkdir -p, bounded: each component of the path is tried once, from the root down. */
export function makeDirectories(dir: string): void {
  const absolute = resolve(dir);
  const { root } = parse(absolute);
  const parts = absolute
    .slice(root.length)
    .split(sep)
    .filter((part) => part.length > 0);
  let path = root;
  for (const part of parts) {
    path = path === root ? `${root}${part}` : `${path}${sep}${part}`;
    try {
      mkdirSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new OutputPathError(dir, reasonOf(error));
      let isDirectory: boolean;
      try {
        isDirectory = statSync(path).isDirectory();
      } catch {
        throw new OutputPathError(dir, `${path} is a link to nothing`);
      }
      if (!isDirectory) throw new OutputPathError(dir, `${path} is a file, not a directory`);
    }
  }
}

/** Any errno error met while writing `path`, as the one line of exit 73. */
export function outputPathError(path: string, error: unknown): OutputPathError {
  return error instanceof OutputPathError ? error : new OutputPathError(path, reasonOf(error));
}

function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  if (!existsSync(a) || !existsSync(b)) return false;
  const statA = statSync(a);
  const statB = statSync(b);
  return statA.dev === statB.dev && statA.ino === statB.ino;
}

export interface FileOutputRequest {
  /** For messages: `paychaos import`. */
  command: string;
  /** For messages: `-o` as the user wrote it, or how the default was chosen. */
  flag: string;
  file: string;
  inputs: readonly string[];
  force: boolean;
}

/**
 * A file output checked before any work: not one of the inputs, not an existing file unless
 * forced, in a directory that exists. Returns the temporary file to write; `commit` renames it
 * into place, `discard` removes it.
 */
export function planFileOutput(
  request: FileOutputRequest,
  refuse: (message: string) => Error,
): { temporary: string; commit: () => void; discard: () => void } {
  const { command, flag, file, inputs, force } = request;
  const input = inputs.find((candidate) => sameFile(candidate, file));
  if (input !== undefined)
    throw refuse(`${command}: ${flag} ${file} is the input ${input}; write to another file`);
  if (existsSync(file)) {
    if (statSync(file).isDirectory())
      throw new OutputPathError(file, 'it is a directory (end -o with / for a directory)');
    if (!force) throw new OutputPathError(file, 'the file exists; add --force to overwrite it');
  }
  const parent = dirname(resolve(file));
  if (!existsSync(parent) || !statSync(parent).isDirectory())
    throw new OutputPathError(file, `no such directory ${dirname(file)}`);
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    closeSync(openSync(temporary, 'w'));
  } catch (error) {
    throw outputPathError(file, error);
  }
  return {
    temporary,
    commit: () => {
      try {
        renameSync(temporary, file);
      } catch (error) {
        rmSync(temporary, { force: true });
        throw outputPathError(file, error);
      }
    },
    discard: () => rmSync(temporary, { force: true }),
  };
}
