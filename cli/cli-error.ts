import type { ScenarioError } from '../scenario-dsl/scenario-error.ts';
import { EXIT_DATA, EXIT_NO_INPUT, EXIT_USAGE } from './exit-codes.ts';

/**
 * An error the command line reports as one line on stderr with its exit code (64 and above),
 * never as a stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT_USAGE);
}

export function noInputError(message: string): CliError {
  return new CliError(message, EXIT_NO_INPUT);
}

export function dataError(message: string): CliError {
  return new CliError(message, EXIT_DATA);
}

/** 66 for a scenario file that is not there, 65 for one that does not hold a valid scenario. */
export function scenarioExitCode(error: ScenarioError): number {
  return error.problem === 'missing' ? EXIT_NO_INPUT : EXIT_DATA;
}
