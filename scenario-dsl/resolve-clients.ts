/** Defaults and rules for `clients`. */
import { formatDurationMs } from './duration.ts';
import type { FieldProblem } from './field-problem.ts';
import type { ResolvedClients } from './resolved-scenario.ts';
import type { ClientsParsed } from './scenario-schema.ts';

export const DEFAULT_CLIENTS: ResolvedClients = {
  timeoutMs: 1000,
  retriesMax: 2,
  retryBackoffMs: 100,
  idempotencyKeys: true,
  // Route 53 checks every 10 s or 30 s; a 60 s run needs failover to show within seconds.
  failover: { enabled: true, healthCheckIntervalMs: 1000, failureThreshold: 3 },
};

export function resolveClients(
  clients: ClientsParsed | undefined,
  problems: FieldProblem[],
): ResolvedClients {
  const d = DEFAULT_CLIENTS;
  const resolved: ResolvedClients = {
    timeoutMs: clients?.timeout ?? d.timeoutMs,
    retriesMax: clients?.retries ?? d.retriesMax,
    retryBackoffMs: clients?.retryBackoff ?? d.retryBackoffMs,
    idempotencyKeys: clients?.idempotencyKeys ?? d.idempotencyKeys,
    failover: {
      enabled: clients?.failover ?? d.failover.enabled,
      healthCheckIntervalMs: clients?.healthCheck?.interval ?? d.failover.healthCheckIntervalMs,
      failureThreshold: clients?.healthCheck?.failures ?? d.failover.failureThreshold,
    },
  };
  if (resolved.timeoutMs === 0) {
    problems.push({
      path: 'clients.timeout',
      message: `${formatDurationMs(0)}; expected more than 0ms`,
    });
  }
  if (resolved.failover.healthCheckIntervalMs === 0) {
    problems.push({
      path: 'clients.healthCheck.interval',
      message: `${formatDurationMs(0)}; expected more than 0ms`,
    });
  }
  return resolved;
}
