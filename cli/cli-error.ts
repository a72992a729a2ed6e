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
