// The worker thread of a parallel read. Like bin/paychaos.js, it loads the TypeScript sources
// through tsx: a worker thread does not inherit the main thread's loader.
const { register } = await import('tsx/esm/api');
register();
await import('./segment-worker.ts');
