/**
 * A harness that brings a lab up in the directory given as argv[2], prints "up", and then waits
 * (at most two minutes) to be killed: the SIGKILL test kills it and checks that `lab down` still
 * stops everything.
 */
import { enginePaths } from '../../../../targets/local/engine-paths.ts';
import { labDirs, labUp } from '../../../../targets/local/lab.ts';

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: lab-up-and-hang.ts DIR');
await labUp({
  dirs: labDirs(dir),
  engines: enginePaths(),
  regions: ['ap-northeast-1', 'ap-northeast-3'],
  writerRegion: 'ap-northeast-1',
});
process.stdout.write('up\n');
setTimeout(() => process.exit(3), 120_000);
