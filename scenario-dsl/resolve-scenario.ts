/**
 * Applies every default and every cross-field rule to a scenario whose shape is right. Each
 * section adds its problems; the scenario is usable only when there are none.
 */
import { formatDurationMs } from './duration.ts';
import type { FieldProblem } from './field-problem.ts';
import { resolveBank, resolveClusters, resolveRegions } from './resolve-bank.ts';
import { resolveClients } from './resolve-clients.ts';
import { resolveExplore } from './resolve-explore.ts';
import { resolveFaults } from './resolve-faults.ts';
import { resolveSlo } from './resolve-slo.ts';
import { resolveWorkloads } from './resolve-workloads.ts';
import type { ResolvedScenario } from './resolved-scenario.ts';
import type { ScenarioParsed } from './scenario-schema.ts';

export const DEFAULT_RUN_MS = 60_000;
/** Shorter than this, no fault has time to start, act and heal. */
export const RUN_MS_MIN = 1000;
export const DEFAULT_SEED = 1;

export function resolveScenario(parsed: ScenarioParsed): {
  scenario: ResolvedScenario;
  problems: FieldProblem[];
} {
  const problems: FieldProblem[] = [];
  const durationMs = parsed.duration ?? DEFAULT_RUN_MS;
  if (durationMs < RUN_MS_MIN) {
    const message = `${formatDurationMs(durationMs)} is too short; expected at least ${formatDurationMs(RUN_MS_MIN)}`;
    problems.push({ path: 'duration', message });
  }
  const regions = resolveRegions(parsed.regions, problems);
  const bank = resolveBank(parsed.bank, regions, problems);
  const clusters = resolveClusters(parsed.clusters, regions, problems);
  const runnable = durationMs >= RUN_MS_MIN;
  const workloadContext = {
    regions,
    accountCount: bank.accounts.length,
    ...(runnable ? { runMs: durationMs } : {}),
  };
  const scenario: ResolvedScenario = {
    name: parsed.name,
    description: parsed.description ?? '',
    hypothesis: parsed.hypothesis.trim(),
    regions,
    durationMs,
    seed: parsed.seed ?? DEFAULT_SEED,
    bank,
    clusters,
    workloads: resolveWorkloads(parsed.workloads, workloadContext, problems),
    clients: resolveClients(parsed.clients, problems),
    // Fault times are judged against the run: only once the run's own duration is sound.
    faults: runnable
      ? resolveFaults(parsed.faults, { regions, clusters }, durationMs, problems)
      : [],
    slo: resolveSlo(parsed.slo, regions, problems),
    explore: runnable
      ? resolveExplore(
          parsed.explore,
          { regions, clusterCount: clusters.length, runMs: durationMs },
          problems,
        )
      : null,
  };
  return { scenario, problems };
}
