import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The version in package.json, recorded in every run.json. */
export const PAYCHAOS_VERSION: string = (
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
