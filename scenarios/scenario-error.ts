/**
 * A scenario that cannot be run: its problems are the lines to print, its exit code the command
 * line's (65 bad data, 66 no such file). In a module of its own so that the command line can
 * recognise one without loading the scenario machinery.
 */
export class ScenarioError extends Error {
  constructor(
    readonly problems: string[],
    readonly exitCode: number,
  ) {
    super(problems.join('\n'));
    this.name = 'ScenarioError';
  }
}
