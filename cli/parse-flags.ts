/** Flag values shared by several commands, each problem a usage error naming the flag. */
import { usageError } from './cli-error.ts';

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
