/**
 * Waits that resolve once every microtask queued so far, and every microtask those queue, has run.
 *
 * The simulator runs the bank's real async code: a sim event resolves a promise, and the code
 * awaiting it runs as a chain of microtasks that may schedule further sim events. Before the
 * scheduler takes the next event, that chain must have run to its next real wait, or the virtual
 * clock would move under code that is still reacting to the previous event.
 *
 * These are the only real timers reachable from simulator code, and they carry no time: what they
 * wait for is the queue to empty, not a duration (see determinism-guard.test.ts).
 */

/**
 * Between two events. V8 drains its microtask queue to empty, microtasks queued meanwhile
 * included, before Node runs its nextTick queue; a tick queued from inside a microtask therefore
 * runs only once that queue is empty. It costs about a third of a macrotask turn (bench/RESULTS.md
 * §3): no event-loop iteration, no epoll call. It holds only while the simulated code queues no
 * nextTick of its own (a tick queued behind this one would run after the scheduler moved on), so
 * the determinism guard forbids `nextTick` in simulator code.
 */
export function microtaskBarrier(): Promise<void> {
  return new Promise((resolve) => queueMicrotask(() => process.nextTick(resolve)));
}

/**
 * The same wait through a whole event-loop turn: ticks drained as well, and signals, real timers
 * and I/O served (SIGINT, the history writer's flush timer). The scheduler takes it when a run
 * starts and every `EVENTS_PER_TURN_MAX` events.
 */
export function macrotaskBarrier(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
