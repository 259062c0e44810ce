import { readFileSync } from 'node:fs'

/** This CLI's version, from its package.json (beside `dist/` and `bundle/` alike). */
export const CLI_VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version
