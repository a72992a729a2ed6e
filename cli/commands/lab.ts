/**
 * `paychaos lab up|down|status [--dir DIR] [--regions R1,R2] [--writer R]`: the local lab on its
 * own (targets/local/lab.ts). `up` leaves the servers running and returns; `down` stops every
 * process the lab recorded, also after a harness that started it was killed.
 */
import {
  findContainerEngine,
  noContainerEngineMessage,
} from '../../targets/local/containers/container-engine.ts';
import { enginePaths } from '../../targets/local/engine-paths.ts';
import {
  LabUnavailable,
  labDirDefault,
  labDirs,
  labDown,
  labStatus,
  labUp,
  REGIONS_DEFAULT,
} from '../../targets/local/lab.ts';
import { CliError, usageError } from '../cli-error.ts';
import type { CommandInput } from '../command-spec.ts';
import type { LAB } from '../command-specs.ts';
import { EXIT_UNAVAILABLE, EXIT_VALID } from '../exit-codes.ts';

/**
 * `--lab containers`: refused in one line where no container engine is found (none runs on this
 * project's machines). Starting the containers is not built yet: their definitions are, unit
 * tested (targets/local/containers/), so where an engine exists it is refused too, saying so.
 */
function refuseContainers(): never {
  const engine = findContainerEngine();
  if (engine === undefined) {
    throw new CliError(`paychaos lab: ${noContainerEngineMessage()}`, EXIT_UNAVAILABLE);
  }
  throw new CliError(
    `paychaos lab: --lab containers: a container engine is there (${engine.via}), but bringing the lab up on it is not built yet (only its container definitions are: targets/local/containers/); run without --lab`,
    EXIT_UNAVAILABLE,
  );
}

export async function runLab({ values, positionals }: CommandInput<typeof LAB>): Promise<number> {
  const [action] = positionals;
  const kind = values.lab ?? 'processes';
  if (kind !== 'processes' && kind !== 'containers') {
    throw usageError(`paychaos lab: --lab ${kind}: expected processes or containers`);
  }
  if (kind === 'containers') refuseContainers();
  const dirs = labDirs(values.dir ?? labDirDefault());
  if (action === 'down') {
    const stopped = await labDown(dirs);
    process.stdout.write(`lab down: stopped ${stopped.length ? stopped.join(', ') : 'nothing'}\n`);
    return EXIT_VALID;
  }
  if (action === 'status') {
    const { state, processes, unrecorded } = labStatus(dirs);
    const up = state !== undefined && processes.every((p) => p.alive);
    process.stdout.write(`lab ${up ? 'up' : 'down'} (${dirs.labDir})\n`);
    for (const { record, alive } of processes) {
      process.stdout.write(`  ${record.name} pid ${record.pid} ${alive ? 'running' : 'gone'}\n`);
    }
    for (const pid of unrecorded) {
      process.stdout.write(`  pid ${pid} running with no pid file (paychaos lab down stops it)\n`);
    }
    return EXIT_VALID;
  }
  const regions = values.regions?.split(',') ?? [...REGIONS_DEFAULT];
  const writerRegion = values.writer ?? regions[0]!;
  if (!regions.includes(writerRegion)) {
    throw usageError(`paychaos lab: --writer ${writerRegion} is not one of --regions`);
  }
  try {
    const state = await labUp({ dirs, engines: enginePaths(), regions, writerRegion });
    process.stdout.write(`lab up in ${(state.upMs / 1000).toFixed(1)} s (${dirs.labDir})\n`);
    process.stdout.write(`  toxiproxy ${state.toxiproxyApi}\n`);
    for (const region of state.regions) {
      const pg = state.postgres[region]!;
      process.stdout.write(
        `  ${region}: moto ${state.moto[region]!.url}, postgres ${pg.role} on 127.0.0.1:${pg.port}\n`,
      );
    }
    for (const link of Object.values(state.links)) {
      process.stdout.write(`  link ${link.name}: ${link.listen} -> ${link.upstream}\n`);
    }
    return EXIT_VALID;
  } catch (error) {
    if (error instanceof LabUnavailable) {
      throw new CliError(`paychaos lab up: ${error.message}`, EXIT_UNAVAILABLE);
    }
    throw error;
  }
}
