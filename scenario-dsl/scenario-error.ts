/**
 * A scenario that cannot be run: its problems are the lines to print; `missing` says whether the
 * file was not there at all (the command line exits 66) or did not hold a valid scenario (65).
 * In a module of its own so that the command line can recognise one without loading the
 * scenario machinery.
 */
export type ScenarioProblem = 'invalid' | 'missing';

export class ScenarioError extends Error {
  constructor(
    readonly problems: string[],
    readonly problem: ScenarioProblem,
  ) {
    super(problems.join('\n'));
    this.name = 'ScenarioError';
  }
}
