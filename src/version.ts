import { readFileSync } from 'node:fs';

/** The product version, read once from package.json so /healthz and logs agree with the release. */
export const version: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
