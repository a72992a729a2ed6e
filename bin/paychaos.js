#!/usr/bin/env node
// The paychaos command. The sources are TypeScript, loaded through tsx so that `npx paychaos`
// works straight after `npm ci`, with no build step; scenario files load the same way.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `paychaos: needs Node.js >= 22.12 (this is ${process.versions.node}); run \`source scripts/use-node24.sh\` or install Node 24 LTS\n`,
  );
  process.exit(70);
}
let main;
try {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
} catch (error) {
  process.stderr.write(
    `paychaos: cannot load its own sources (is the install complete? try npm ci): ${error.message}\n`,
  );
  process.exit(70);
}
// A reader that stops early (`paychaos check --json h.jsonl | head`) is not an error: what is
// left to print is dropped, as other command-line tools do, and the exit code stays the verdict.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
});
process.exitCode = await main(process.argv.slice(2));
