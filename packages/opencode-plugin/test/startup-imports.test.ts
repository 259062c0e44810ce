import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const STATIC = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?\s*['"]([^'"]+)['"]/gm
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g

/** Every module specifier the built entry loads before its hooks exist: static imports, followed through relative files and our own packages. */
function eagerSpecifiers(entry: string): { specifiers: Set<string>; dynamic: Set<string> } {
  const specifiers = new Set<string>()
  const dynamic = new Set<string>()
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    for (const [, specifier] of text.matchAll(DYNAMIC)) if (specifier !== undefined) dynamic.add(specifier)
    for (const [, specifier] of text.matchAll(STATIC)) {
      if (specifier === undefined) continue
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier))
      else {
        specifiers.add(specifier)
        if (specifier.startsWith('@agent-tracker/')) visit(builtEntry(file, specifier))
      }
    }
  }
  visit(entry)
  return { specifiers, dynamic }
}

/** The built file a package specifier loads in Node and Bun (`default` of its exports map; tests resolve to sources instead). */
function builtEntry(from: string, specifier: string): string {
  const [scope, name, ...rest] = specifier.split('/')
  const manifest = createRequire(from).resolve(`${scope ?? ''}/${name ?? ''}/package.json`)
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { default: string }> }
  const target = exports[rest.length === 0 ? '.' : `./${rest.join('/')}`]?.default
  if (target === undefined) throw new Error(`${specifier} is not exported`)
  return resolve(dirname(manifest), target)
}

describe('the plugin at start-up', () => {
  it('loads neither LMDB nor the stores, the buffer or the migrations before its hooks exist', () => {
    const { specifiers, dynamic } = eagerSpecifiers(ENTRY)
    // The walk reaches what start-up does need (so an empty walk cannot pass)...
    for (const needed of ['@agent-tracker/core', '@agent-tracker/node-host/hooks', '@agent-tracker/lmdb-store/config', '@agent-tracker/write-buffer/options']) expect(specifiers).toContain(needed)
    // ...and none of what opening the database needs, which is imported later, in the background.
    for (const heavy of ['lmdb', '@agent-tracker/lmdb-store', '@agent-tracker/write-buffer', '@agent-tracker/migrate', '@agent-tracker/node-host']) expect(specifiers).not.toContain(heavy)
    expect(dynamic).toContain('@agent-tracker/node-host')
  })
})
