/**
 * The reference bank's planted bugs, exactly design.md's seven flags. Each breaks one property the
 * way real systems break it; the scenario library has a scenario that catches each.
 */
export const BUG_FLAGS = [
  'lww-balance-update',
  'retry-without-idempotency',
  'skip-compensation-on-timeout',
  'funds-check-on-replica',
  'failover-without-fencing',
  'async-commit-ack',
  'skewed-clock-lww',
] as const;
export type BugFlag = (typeof BUG_FLAGS)[number];
