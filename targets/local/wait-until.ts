/** A bounded poll: every wait in the lab has a deadline and names what it waited for. */

export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Calls `probe` every `intervalMs` until it returns true; throws naming `what` (and the probe's
 * last error, if it threw) once `timeoutMs` has passed.
 */
export async function waitUntil(
  what: string,
  timeoutMs: number,
  probe: () => Promise<boolean> | boolean,
  intervalMs = 50,
): Promise<void> {
  const deadlineMs = Date.now() + timeoutMs;
  let lastError = '';
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadlineMs) {
      throw new Error(
        `${what}: not ready within ${timeoutMs} ms${lastError ? ` (${lastError})` : ''}`,
      );
    }
    await sleepMs(intervalMs);
  }
}
