/**
 * The FIS safety lever of one account and region (id `default`: there is exactly one, always):
 * engaged, FIS stops every running experiment and starts none until it is disengaged. Engaging
 * is UpdateSafetyLeverState (`PATCH /safetyLevers/default/state`), read back with
 * GetSafetyLever (`GET /safetyLevers/default`), both as signed requests (signed-json-request.ts):
 * the SDK client paychaos can install has neither. Engaging a lever that is already engaged
 * answers 409 ConflictException; it is then read, and an engaged lever is what was asked for.
 */
import { AwsHttpError, type SignedJsonTarget, signedJsonRequest } from './signed-json-request.ts';

export const SAFETY_LEVER_ID = 'default';
const LEVER_STATUSES = ['disengaged', 'engaged', 'engaging'] as const;
const HTTP_CONFLICT = 409;

export interface SafetyLever {
  id: string;
  arn: string;
  status: (typeof LEVER_STATUSES)[number];
  reason: string | null;
}

export interface EngagedLever {
  lever: SafetyLever;
  /** It was engaged (or engaging) before this call. */
  already: boolean;
}

/** `target` is FIS in one region (service `fis`). */
export async function engageSafetyLever(
  target: SignedJsonTarget,
  reason: string,
): Promise<EngagedLever> {
  try {
    const answer = await signedJsonRequest(
      target,
      'PATCH',
      `/safetyLevers/${SAFETY_LEVER_ID}/state`,
      { state: { status: 'engaged', reason } },
    );
    return { lever: leverOf(answer, target.region, 'UpdateSafetyLeverState'), already: false };
  } catch (error) {
    if (!(error instanceof AwsHttpError && error.httpStatus === HTTP_CONFLICT)) throw error;
    const lever = await getSafetyLever(target);
    if (lever.status === 'disengaged') throw error;
    return { lever, already: true };
  }
}

export async function getSafetyLever(target: SignedJsonTarget): Promise<SafetyLever> {
  const answer = await signedJsonRequest(target, 'GET', `/safetyLevers/${SAFETY_LEVER_ID}`);
  return leverOf(answer, target.region, 'GetSafetyLever');
}

/** `{"safetyLever": {"id", "arn", "state": {"status", "reason"}}}`, or a loud failure. */
function leverOf(answer: unknown, region: string, call: string): SafetyLever {
  const lever = (answer as { safetyLever?: unknown } | null)?.safetyLever as
    | { id?: unknown; arn?: unknown; state?: { status?: unknown; reason?: unknown } }
    | undefined;
  const status = lever?.state?.status;
  const reason = lever?.state?.reason;
  if (
    typeof lever?.id !== 'string' ||
    typeof lever.arn !== 'string' ||
    !LEVER_STATUSES.includes(status as SafetyLever['status']) ||
    !(reason === undefined || typeof reason === 'string')
  ) {
    throw new Error(
      `${region}: ${call} answered ${JSON.stringify(answer)?.slice(0, 300)}; expected {"safetyLever": {"id", "arn", "state": {"status": ${LEVER_STATUSES.join('|')}, "reason"}}}`,
    );
  }
  return {
    id: lever.id,
    arn: lever.arn,
    status: status as SafetyLever['status'],
    reason: reason ?? null,
  };
}
