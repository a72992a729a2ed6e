/**
 * The slo checker: a scenario's steady-state hypothesis, per phase and region — success rate and
 * p99 latency before, during and after faults, recovery time after each fault (RTO) and how far
 * back acknowledged payments were lost (RPO) — against the budgets the run wrote into the
 * history. Rules: docs/anomalies/slo.md.
 */
import type { Checker } from '../checker.ts';
import { sloParallelRead } from './slo-parallel-read.ts';
import { SloRun } from './slo-run.ts';

export const sloChecker: Checker = {
  name: 'slo',
  description:
    "a scenario's budgets per region and phase: success rate, p99 latency, recovery time (RTO) after each fault and recovery point (RPO)",
  start: (context) => new SloRun(context),
  parallelRead: sloParallelRead,
};
