/**
 * What the commands that reach AWS share: `--config F` (required, loaded and validated, its
 * problems as the one line the command line prints: 66 for a missing file, 65 for an invalid
 * one), and the exit codes of the game day's refusals: a fault FIS cannot carry out 64, a
 * scenario the config does not cover 65, a caller or region not on the allowlist 77.
 */
import type { AwsConfig } from '../../run/targets/aws/aws-config.ts';
import { ConfigMismatch, FaultRefused } from '../../run/targets/aws/fis-plan.ts';
import { AwsConfigError, loadAwsConfig } from '../../run/targets/aws/load-aws-config.ts';
import { AllowlistRefusal } from '../../targets/aws/caller-allowlist.ts';
import { CliError, usageError } from '../cli-error.ts';
import { EXIT_DATA, EXIT_NO_INPUT, EXIT_NO_PERMISSION, EXIT_USAGE } from '../exit-codes.ts';

export async function awsConfigFor(where: string, file: string | undefined): Promise<AwsConfig> {
  if (file === undefined) throw usageError(`${where}: expected --config FILE (paychaos.aws.ts)`);
  try {
    return await loadAwsConfig(file);
  } catch (error) {
    throw awsCliError(where, error);
  }
}

/** The game day's own errors as the command line's; anything else unchanged. */
export function awsCliError(where: string, error: unknown): unknown {
  if (error instanceof AwsConfigError) {
    return new CliError(
      error.problems.join('\n'),
      error.problem === 'missing' ? EXIT_NO_INPUT : EXIT_DATA,
    );
  }
  if (error instanceof FaultRefused) return new CliError(error.message, EXIT_USAGE);
  if (error instanceof ConfigMismatch) return new CliError(`${where}: ${error.message}`, EXIT_DATA);
  if (error instanceof AllowlistRefusal)
    return new CliError(`${where}: ${error.message}`, EXIT_NO_PERMISSION);
  return error;
}
