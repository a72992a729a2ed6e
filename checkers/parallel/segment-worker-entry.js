// The worker thread of a parallel read. Like bin/paychaos.js, it loads the TypeScript sources
// through tsx: a worker thread does not inherit the main thread's loader. A failure to load is
// posted like any other crash, so that main stops waiting at once and reads on one core.
import { workerData } from 'node:worker_threads';

try {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./segment-worker.ts');
} catch (error) {
  workerData.port.postMessage({ crash: `cannot load the worker: ${error?.stack ?? error}` });
  const posted = new Int32Array(workerData.signal);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
}
