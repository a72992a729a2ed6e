/**
 * One explored run: the candidate's scenario on the simulator, its history written to a scratch
 * file (overwritten by the next run: only the minimal failing run is kept, and rerun into a run
 * directory), then judged by every checker of the registry, as `paychaos run` judges.
 */
import { join } from 'node:path';
import { checkHistoryFile, TIMEOUT_S_DEFAULT } from '../checkers/check-session.ts';
import { CHECKERS } from '../checkers/registry.ts';
import type { Results } from '../checkers/verdict.ts';
import { HistoryWriter } from '../history/writer.ts';
import type { ResolvedScenario } from '../scenarios/resolved-scenario.ts';
import { runSimulation } from '../targets/sim/run-simulation.ts';

export interface CandidateRun {
  results: Results;
  opsWritten: number;
  simulatedMs: number;
}

export async function runCandidate(
  scenario: ResolvedScenario,
  scratchDir: string,
): Promise<CandidateRun> {
  const file = join(scratchDir, 'history.jsonl');
  const history = new HistoryWriter(file);
  let simulatedMs: number;
  try {
    ({ simulatedMs } = await runSimulation({ scenario, seed: scenario.seed, history }));
  } finally {
    history.close();
  }
  const results = checkHistoryFile(file, { checkers: CHECKERS, timeoutS: TIMEOUT_S_DEFAULT });
  return { results, opsWritten: history.opsWritten, simulatedMs };
}
