/**
 * The one command that reruns a run exactly (seed, planted bugs and target included), as
 * `paychaos run` prints it; without run.json, the command that re-checks the history.
 */
import type { RunInputs } from './run-inputs.ts';

/** Quotes a shell word only when it needs it. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export function reproduceCommand(inputs: Pick<RunInputs, 'run' | 'dir'>): string {
  const run = inputs.run;
  if (run?.file === undefined || run.seed === undefined) {
    return `paychaos check ${shellWord(inputs.dir)}`;
  }
  const words = ['paychaos', 'run', run.file, '--seed', String(run.seed)];
  if (run.target !== undefined && run.target !== 'sim') words.push('--target', run.target);
  for (const bug of run.bugs ?? []) words.push('--bank-bug', bug);
  return words.map(shellWord).join(' ');
}
