/**
 * Resolves once every microtask queued so far, and every microtask those queue, has run.
 *
 * The simulator runs the bank's real async code: a sim event resolves a promise, and the code
 * awaiting it runs as a chain of microtasks that may schedule further sim events. Before the
 * scheduler takes the next event, that chain must have run to its next real wait, or the virtual
 * clock would move under code that is still reacting to the previous event. A macrotask boundary
 * is the one place where the microtask queue is known to be empty.
 *
 * This is the only use of a real timer reachable from simulator code, and it carries no time:
 * what it waits for is the queue to empty, not a duration (see determinism-guard.test.ts).
 */
export function microtaskBarrier(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
