import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** How to start this CLI without PATH: the Node binary and the CLI's bin script, both absolute. */
export interface CliLauncher {
  readonly node: string
  readonly bin: string
}

const PACKAGE_NAME = '@agent-tracker/cli'

/**
 * The running Node binary and the bin script of the `@agent-tracker/cli` package this code belongs
 * to (found from this module's own file, so it holds in the sources, the build and the bundle).
 * @throws {Error} when no such package encloses this module.
 */
export function thisCliLauncher(): CliLauncher {
  for (let folder = dirname(fileURLToPath(import.meta.url)); ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json')
    if (existsSync(manifest)) {
      const { name, bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; bin?: Record<string, string> }
      const script = bin?.['agent-tracker']
      if (name === PACKAGE_NAME && script !== undefined) return { node: process.execPath, bin: resolve(folder, script) }
    }
    if (dirname(folder) === folder) throw new Error(`${PACKAGE_NAME}'s package.json was not found above ${fileURLToPath(import.meta.url)}.`)
  }
}

/** Package runners' caches: what runs from there may be deleted whenever the runner cleans up. */
const RUNNER_CACHES: readonly { readonly pattern: RegExp; readonly runner: string }[] = [
  { pattern: /[\\/]_npx[\\/]/, runner: 'npx' },
  { pattern: /[\\/]pnpm[\\/]dlx[\\/]/, runner: 'pnpm dlx' },
  { pattern: /[\\/]dlx-\d+[\\/]/, runner: 'yarn dlx' },
  { pattern: /[\\/]bunx-/, runner: 'bunx' },
]

/** The package runner whose cache `file` lives in (`npx`, `pnpm dlx`, …), or undefined for a lasting install. */
export function runnerCacheOf(file: string): string | undefined {
  return RUNNER_CACHES.find((cache) => cache.pattern.test(file))?.runner
}
