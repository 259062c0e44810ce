import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The plugin as users get it: the file the package's `exports` hand to OpenCode, Bun and Node (the
 * bundle). Tests that import the package resolve to its sources instead.
 */
export function publishedEntry(): string {
  const manifest = new URL('../package.json', import.meta.url)
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { default?: string } | undefined> }
  const entry = exports['.']?.default
  if (entry === undefined) throw new Error('@agent-tracker/opencode-plugin exports no default entry')
  return fileURLToPath(new URL(entry, manifest))
}
