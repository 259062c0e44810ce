import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CacheLocation } from './compiled-bundle.js'
import { cacheFolder } from './compiled-bundle.js'
import { helpCache, isProgramHelp } from './help-cache.js'

let folder: string
let bundle: string
let location: CacheLocation

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'help-cache-'))
  bundle = join(folder, 'main.script.js')
  writeFileSync(bundle, '(function () {})')
  location = { env: { AGENT_TRACKER_COMPILE_CACHE: join(folder, 'cache') }, homeDir: join(folder, 'home') }
})

afterEach(() => {
  rmSync(folder, { recursive: true, force: true })
})

function kept(): string[] {
  const where = cacheFolder(location)
  return where === undefined || !existsSync(where) ? [] : readdirSync(where).filter((name) => name.startsWith('help-')).sort()
}

describe('the kept text of the program help', () => {
  it('is the help of the program alone: bare, --help or -h, nothing more', () => {
    expect([[], ['--help'], ['-h']].map(isProgramHelp)).toEqual([true, true, true])
    expect([['report', '--help'], ['--help', '--json'], ['-hv'], ['help'], ['--version']].map(isProgramHelp)).toEqual([false, false, false, false, false])
  })

  it('is read back as saved, for the build and width it was saved for only', () => {
    expect(helpCache(bundle, '1.0.0', undefined, location).read()).toBeUndefined()
    helpCache(bundle, '1.0.0', undefined, location).save('Usage: agent-tracker — über\n')
    expect(helpCache(bundle, '1.0.0', undefined, location).read()).toBe('Usage: agent-tracker — über\n')
    // Another width (a terminal's), or another version of the same bundle, has none yet.
    expect(helpCache(bundle, '1.0.0', 120, location).read()).toBeUndefined()
    expect(helpCache(bundle, '1.0.1', undefined, location).read()).toBeUndefined()
    helpCache(bundle, '1.0.0', 120, location).save('wide\n')
    expect(kept()).toHaveLength(2)
    expect(helpCache(bundle, '1.0.0', 120, location).read()).toBe('wide\n')
  })

  it('is not served for another build of the bundle, and another build saving its own drops it once it is a day old', () => {
    helpCache(bundle, '1.0.0', undefined, location).save('old\n')
    const [old = ''] = kept()
    writeFileSync(bundle, '(function () { /* rebuilt */ })')
    const rebuilt = helpCache(bundle, '1.0.0', undefined, location)
    expect(rebuilt.read()).toBeUndefined()
    rebuilt.save('new\n')
    expect(kept()).toHaveLength(2)
    expect(rebuilt.read()).toBe('new\n')
    const dayAgo = (Date.now() - 24 * 60 * 60 * 1000 - 60_000) / 1000
    utimesSync(join(cacheFolder(location) ?? '', old), dayAgo, dayAgo)
    helpCache(bundle, '1.0.0', 120, location).save('wide\n')
    expect(kept()).toHaveLength(2)
    expect(kept()).not.toContain(old)
  })

  it('is not served damaged: a changed byte makes it missing', () => {
    helpCache(bundle, '1.0.0', undefined, location).save('Usage: agent-tracker\n')
    const [name] = kept()
    const file = join(cacheFolder(location) ?? '', name ?? '')
    writeFileSync(file, readFileSync(file).map((byte, index, all) => (index === all.length - 2 ? byte ^ 0x20 : byte)))
    expect(helpCache(bundle, '1.0.0', undefined, location).read()).toBeUndefined()
  })

  it('is neither kept nor read when caching is off, nor from a folder others may write to', () => {
    const off = { ...location, env: { AGENT_TRACKER_COMPILE_CACHE: 'off' } }
    helpCache(bundle, '1.0.0', undefined, off).save('text\n')
    expect(helpCache(bundle, '1.0.0', undefined, off).read()).toBeUndefined()
    expect(readdirSync(folder)).toEqual(['main.script.js'])
    helpCache(bundle, '1.0.0', undefined, location).save('text\n')
    chmodSync(cacheFolder(location) ?? '', 0o777)
    expect(helpCache(bundle, '1.0.0', undefined, location).read()).toBeUndefined()
  })

  it('is none without the bundle, and saving then writes nothing', () => {
    const gone = helpCache(join(folder, 'missing.script.js'), '1.0.0', undefined, location)
    gone.save('text\n')
    expect(gone.read()).toBeUndefined()
    expect(kept()).toEqual([])
  })
})
