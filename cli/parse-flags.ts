import { type ParseArgsConfig, parseArgs } from 'node:util';
import { usageError } from './cli-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs in strict mode, with its errors turned into one-line usage errors that
 * name the command and the flag.
 */
export function parseFlags<T extends Options>(command: string, args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const known = Object.keys(options)
      .map((name) => `--${name}`)
      .join(', ');
    throw usageError(`paychaos ${command}: ${message.split('\n')[0]} (options: ${known})`);
  }
}

/** A positive number of seconds from a flag, or a usage error naming the flag. */
export function parsePositiveSeconds(command: string, flag: string, text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw usageError(
      `paychaos ${command}: --${flag}: expected a positive number of seconds, got "${text}"`,
    );
  }
  return seconds;
}
