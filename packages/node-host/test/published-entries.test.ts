import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const PACKAGE = fileURLToPath(new URL('../', import.meta.url))
interface Manifest {
  exports: Record<string, string | Record<string, string>>
}
const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as Manifest
const IMPORT = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*['"]([^'"]+)['"]/gm

/**
 * Every built file a published entry loads: its own relative imports and those of the workspace
 * packages it imports (found as Node finds them from the built file, without the source condition).
 * Packages from outside the workspace are not followed.
 */
function reachedFiles(entry: string): Set<string> {
  const reached = new Set<string>()
  const visit = (file: string): void => {
    if (reached.has(file)) return
    reached.add(file)
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (specifier === undefined) continue
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
      else if (specifier.startsWith('@agent-tracker/')) visit(builtFileOf(file, specifier))
    }
  }
  visit(entry)
  return reached
}

/** The built file a workspace package's export names, as the package that imports it finds it. */
function builtFileOf(importer: string, specifier: string): string {
  const [scope = '', name = '', ...sub] = specifier.split('/')
  let folder = dirname(importer)
  while (!existsSync(join(folder, 'package.json'))) folder = dirname(folder)
  const root = realpathSync(join(folder, 'node_modules', scope, name))
  return built(['.', ...sub].join('/'), root, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest)
}

function built(entry: string, root = PACKAGE, of = manifest): string {
  const target = of.exports[entry]
  if (typeof target !== 'object') throw new Error(`${entry} is not a conditional export`)
  return join(root, target.default ?? '')
}

describe('the published entries', () => {
  it('./opencode-options loads the write buffer\'s options and errors only, not the buffer (hosts read their options before anything else)', () => {
    const reached = [...reachedFiles(built('./opencode-options'))].map((file) => relative(join(PACKAGE, '..'), file))
    // The walk follows workspace packages (so an empty walk cannot pass)...
    expect(reached).toContain('write-buffer/dist/options-entry.js')
    // ...and reaches none of the buffer itself.
    expect(reached.filter((file) => file.startsWith('write-buffer/')).sort()).toEqual(['write-buffer/dist/errors.js', 'write-buffer/dist/options-entry.js', 'write-buffer/dist/options.js'])
  })
})
