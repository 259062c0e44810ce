import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const PACKAGE = fileURLToPath(new URL('../', import.meta.url))
const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as {
  exports: Record<string, string | Record<string, string>>
  files: string[]
}
const IMPORT = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*['"]([^'"]+)['"]/gm

/** Every bare specifier a built module loads, following its relative imports (and, in `seen`, every module it reaches). */
function bareImports(entry: string, seen = new Set<string>()): Set<string> {
  const found = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (specifier === undefined) continue
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
      else found.add(specifier)
    }
  }
  visit(entry)
  return found
}

function built(entry: string): string {
  const target = manifest.exports[entry]
  if (typeof target !== 'object') throw new Error(`${entry} is not a conditional export`)
  return join(PACKAGE, target.default ?? '')
}

describe('the published entries', () => {
  it('list the source condition first, then types and default, each pointing at a file that exists', () => {
    const entries = Object.entries(manifest.exports).filter(([name]) => name !== './package.json')
    expect(entries.map(([name]) => name)).toEqual(['.', './backtest', './store', './host', './testing', './testing/contract'])
    for (const [name, target] of entries) {
      expect(typeof target === 'object' ? Object.keys(target) : target, name).toEqual(['@agent-tracker/source', 'types', 'default'])
      for (const path of Object.values(target)) expect(existsSync(join(PACKAGE, path)), `${name}: ${path}`).toBe(true)
    }
  })

  it('load vitest only from the contract suite, so the testing helpers work under any runner', () => {
    expect(bareImports(built('./testing/contract'))).toContain('vitest')
    for (const entry of ['.', './backtest', './store', './host', './testing']) expect([...bareImports(built(entry))], entry).toEqual([])
  })

  it('keep the host entry light for hook processes: only host decisions, setup ids and the status card (with its plural), none of the planning, reports or read services', () => {
    const reached = new Set<string>()
    bareImports(built('./host'), reached)
    const folders = new Set([...reached].map((file) => file.slice(join(PACKAGE, 'dist').length + 1).split('/')[0]))
    expect([...folders].sort()).toEqual(['describe-value.js', 'errors.js', 'facts', 'host', 'scoring', 'text'])
  })

  it('leave the frozen reference planner out of the sources that are built and published', () => {
    const published = (folder: string): string[] => readdirSync(folder, { withFileTypes: true, recursive: true }).filter((file) => file.isFile()).map((file) => file.name)
    expect(manifest.files.filter((pattern) => pattern.replace(/^!/, '').startsWith('test'))).toEqual([])
    expect(existsSync(join(PACKAGE, 'test', 'plan-facts-reference.ts'))).toBe(true)
    expect([...published(join(PACKAGE, 'src')), ...published(join(PACKAGE, 'dist'))].filter((name) => name.startsWith('plan-facts-reference'))).toEqual([])
  })
})
