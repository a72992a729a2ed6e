/**
 * Test support: why the pinned Artillery cannot run here (not provisioned: run
 * scripts/provision-artillery.sh; CI provisions it), or undefined when it can.
 */
import { artilleryVersion } from '../../artillery/local-artillery.ts';

export function artilleryMissing(): string | undefined {
  try {
    artilleryVersion();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
