/**
 * Milliseconds as the ISO 8601 duration FIS takes (`PT1M30S`), whole seconds only: FIS's
 * durations have no fractions, so a duration that is not whole seconds is a planning bug.
 */
export function isoDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms <= 0 || ms % 1_000 !== 0) {
    throw new Error(`an ISO 8601 duration for FIS needs whole positive seconds, got ${ms} ms`);
  }
  const totalS = ms / 1_000;
  const hours = Math.floor(totalS / 3_600);
  const minutes = Math.floor((totalS % 3_600) / 60);
  const seconds = totalS % 60;
  return `PT${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${seconds > 0 ? `${seconds}S` : ''}`;
}
