/**
 * Every target `--target` can name. A new target is one line here (docs/adding-a-target.md).
 */
import type { Target } from '../target.ts';
import { awsTargetWithoutConfig } from './aws/aws-target.ts';
import { localTarget } from './local/local-target.ts';
import { simTarget } from './sim/sim-target.ts';

export const TARGETS: readonly Target[] = [simTarget, localTarget, awsTargetWithoutConfig];

export function targetNamed(name: string): Target | undefined {
  return TARGETS.find((target) => target.name === name);
}
