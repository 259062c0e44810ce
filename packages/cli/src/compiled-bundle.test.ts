import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CacheLocation } from './compiled-bundle.js'
import { cacheFolder, loadCompiled as loadBundle, profileOf } from './compiled-bundle.js'

interface Tiny {
  sum(n: number): number
  here(): string
  later(): Promise<string>
}

/** A CommonJS bundle with enough functions for V8 to cache, one of them loading a module on use. */
function bundleSource(version: number): string {
  const helpers = Array.from({ length: 50 }, (_, i) => `function f${String(i)}(x) { return x * ${String(i + 1)} + ${String(version)} }`).join('\n')
  return `(function (exports, require, module, __filename, __dirname) {${helpers}
exports.sum = (n) => { let total = 0; for (let i = 0; i < n; i++) total += f${String(version % 50)}(i); return total }
exports.here = () => __filename
exports.later = async () => (await Promise.resolve().then(() => require('node:path'))).basename(__dirname)
})`
}

/** The test bundle, loaded as the launcher loads a bundle. */
function loadCompiled(path: string, profile: string, where: CacheLocation): ReturnType<typeof loadBundle> & { readonly exports: Tiny } {
  return loadBundle(path, profile, where) as ReturnType<typeof loadBundle> & { readonly exports: Tiny }
}

let folder: string
let file: string
let location: CacheLocation

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'compiled-bundle-'))
  file = join(folder, 'tiny.cjs')
  writeFileSync(file, bundleSource(1))
  location = { env: { AGENT_TRACKER_COMPILE_CACHE: join(folder, 'cache') }, homeDir: join(folder, 'home') }
})

afterEach(() => {
  chmodSync(folder, 0o700)
  rmSync(folder, { recursive: true, force: true })
})

function cacheFiles(): string[] {
  const where = cacheFolder(location)
  if (where === undefined) return []
  try {
    return readdirSync(where).sort()
  } catch {
    return []
  }
}

describe('a bundle run through the code cache', () => {
  it('compiles from source and saves a cache the next run of the same command uses', async () => {
    const first = loadCompiled(file, 'search', location)
    expect(first.cache).toBe('missing')
    expect(first.exports.sum(10)).toBe(Array.from({ length: 10 }, (_, i) => i * 2 + 1).reduce((a, b) => a + b))
    expect(first.exports.here()).toBe(file)
    expect(await first.exports.later()).toBe(folder.split('/').at(-1))
    first.save()
    expect(cacheFiles()).toEqual([expect.stringMatching(/^tiny-[0-9a-z]+-[0-9a-z]+-search\.bin$/)])

    const second = loadCompiled(file, 'search', location)
    expect(second.cache).toBe('used')
    expect(second.exports.sum(10)).toBe(first.exports.sum(10))
    expect(await second.exports.later()).toBe(await first.exports.later())
    // Another command keeps its own cache: it compiles other functions.
    expect(loadCompiled(file, 'report', location).cache).toBe('missing')
    // A profile is only ever a plain name in the cache folder.
    loadCompiled(file, '../../evil', location).save()
    expect(cacheFiles().filter((name) => name.endsWith('-other.bin'))).toHaveLength(1)
  })

  it('refuses a damaged cache file, runs from source and writes a good one', () => {
    loadCompiled(file, 'agents', location).save()
    const [name] = cacheFiles()
    const path = join(cacheFolder(location) ?? '', name ?? '')
    const bytes = readFileSync(path)
    for (const at of [bytes.length >> 1, bytes.length - 1]) {
      const damaged = Buffer.from(bytes)
      damaged[at] = (damaged[at] ?? 0) ^ 0x55
      writeFileSync(path, damaged)
      const run = loadCompiled(file, 'agents', location)
      expect(run.cache).toBe('refused')
      expect(run.exports.sum(3)).toBe(1 + 3 + 5)
      run.save()
      expect(loadCompiled(file, 'agents', location).cache).toBe('used')
    }
    writeFileSync(path, bytes.subarray(0, 5))
    expect(loadCompiled(file, 'agents', location).cache).toBe('refused')
  })

  it('never uses the cache of another build of the bundle, and drops it when saving its own once it is a day old', () => {
    loadCompiled(file, 'agents', location).save()
    const [old = ''] = cacheFiles()
    const firstBuild = readFileSync(file)
    writeFileSync(file, bundleSource(2))
    const rebuilt = loadCompiled(file, 'agents', location)
    expect(rebuilt.cache).toBe('missing')
    expect(rebuilt.exports.sum(2)).toBe((0 * 3 + 2) + (1 * 3 + 2))
    rebuilt.save()
    // Written just now, the other build's cache stays: two installs used by turns keep theirs.
    expect(cacheFiles()).toHaveLength(2)
    expect(cacheFiles()).toContain(old)
    writeFileSync(file, firstBuild)
    expect(loadCompiled(file, 'agents', location).cache).toBe('used')
    writeFileSync(file, bundleSource(2))
    // A day and a minute old, it goes at the next save.
    const dayAgo = (Date.now() - 24 * 60 * 60 * 1000 - 60_000) / 1000
    utimesSync(join(cacheFolder(location) ?? '', old), dayAgo, dayAgo)
    loadCompiled(file, 'search', location).save()
    expect(cacheFiles()).toHaveLength(2)
    expect(cacheFiles()).not.toContain(old)
  })

  it('takes a bundle written again, as long and with its old modification time, for another build', () => {
    loadCompiled(file, 'agents', location).save()
    const before = statSync(file)
    // The same length, other code: V8, which checks no more than the length, would take the cache.
    const changed = bundleSource(1).replace('x * 2 + 1 }', 'x * 2 + 9 }')
    expect(changed).toHaveLength(bundleSource(1).length)
    writeFileSync(file, changed)
    utimesSync(file, before.atime, before.mtime)
    const run = loadCompiled(file, 'agents', location)
    expect(run.cache).toBe('missing')
    expect(run.exports.sum(1)).toBe(9)
  })

  it('keeps no cache when told so, and runs without one where none can be written', () => {
    location = { env: { AGENT_TRACKER_COMPILE_CACHE: 'off' }, homeDir: join(folder, 'home') }
    const off = loadCompiled(file, 'agents', location)
    expect(off.cache).toBe('off')
    off.save()
    expect(readdirSync(folder)).toEqual(['tiny.cjs'])

    // A file where the cache folder should be: nothing can be saved, and nothing fails.
    writeFileSync(join(folder, 'cache'), 'not a folder')
    location = { env: { AGENT_TRACKER_COMPILE_CACHE: join(folder, 'cache') }, homeDir: join(folder, 'home') }
    const blocked = loadCompiled(file, 'agents', location)
    expect(() => { blocked.save() }).not.toThrow()
    expect(blocked.exports.sum(1)).toBe(1)
    expect(loadCompiled(file, 'agents', location).cache).toBe('missing')
  })

  it('keeps caches in the user cache folder of the platform by default', () => {
    const home = '/home/u'
    expect(cacheFolder({ env: {}, homeDir: home, platform: 'linux' })).toMatch(/^\/home\/u\/\.cache\/agent-tracker\/compile-cache\/v8-/)
    expect(cacheFolder({ env: { XDG_CACHE_HOME: '/xdg' }, homeDir: home, platform: 'linux' })).toMatch(/^\/xdg\/agent-tracker\/compile-cache\//)
    expect(cacheFolder({ env: { XDG_CACHE_HOME: 'relative' }, homeDir: home, platform: 'linux' })).toMatch(/^\/home\/u\/\.cache\//)
    expect(cacheFolder({ env: {}, homeDir: home, platform: 'darwin' })).toMatch(/^\/home\/u\/Library\/Caches\/agent-tracker\//)
    expect(cacheFolder({ env: { AGENT_TRACKER_COMPILE_CACHE: '0' }, homeDir: home })).toBeUndefined()
    // A relative folder would make every working folder, a cloned repository's too, a place code is loaded from.
    expect(cacheFolder({ env: { AGENT_TRACKER_COMPILE_CACHE: 'here' }, homeDir: home })).toBeUndefined()
    // No home folder (HOME empty): no cache, rather than one in whatever folder the command runs in.
    expect(cacheFolder({ env: {}, homeDir: '', platform: 'linux' })).toBeUndefined()
    expect(cacheFolder({ env: {}, homeDir: '', platform: 'darwin' })).toBeUndefined()
    expect(cacheFolder({ env: { XDG_CACHE_HOME: '/xdg' }, homeDir: '', platform: 'linux' })).toMatch(/^\/xdg\/agent-tracker\//)
    // Each set of Node flags keeps its own caches (V8 refuses another's).
    expect(cacheFolder({ env: { NODE_OPTIONS: '--max-old-space-size=4096' }, homeDir: home, platform: 'linux' })).not.toBe(cacheFolder({ env: {}, homeDir: home, platform: 'linux' }))
    expect(cacheFolder({ env: { AGENT_TRACKER_COMPILE_CACHE: '' }, homeDir: home, platform: 'linux' })).toMatch(/^\/home\/u\/\.cache\/agent-tracker\//)
  })
})

describe('the text of a bundle', () => {
  it('is read as written, in a bundle of ASCII and in one with UTF-8 text in a regular expression or a string', () => {
    writeFileSync(file, `(function (exports) { exports.text = '\\u2192 caf\\u00e9'; exports.dash = /^[\\-\\u2013]+$/.test('\\u2013-') })`)
    const ascii = loadCompiled(file, 'search', location).exports as unknown as { text: string; dash: boolean }
    expect([ascii.text, ascii.dash]).toEqual(['→ café', true])
    writeFileSync(file, '(function (exports) { exports.text = "→ café"; exports.dash = /^[\\-–]+$/.test("–-") })')
    const utf8 = loadCompiled(file, 'report', location).exports as unknown as { text: string; dash: boolean }
    expect([utf8.text, utf8.dash]).toEqual(['→ café', true])
  })

  it('is ASCII in the built command and hook bundles, which then load as Latin-1, copied rather than decoded', () => {
    for (const name of ['main.script.js', 'hook.script.js']) {
      const bytes = readFileSync(join(import.meta.dirname, '..', 'bundle', name))
      const first = bytes.findIndex((byte) => byte > 0x7f)
      // A character beyond ASCII is most likely in a regular expression literal, which esbuild leaves as written: write it as \\u2013.
      expect(first === -1 ? 'ASCII' : `${name} has a byte beyond ASCII at ${String(first)}: …${bytes.subarray(Math.max(0, first - 60), first + 20).toString('utf8')}…`).toBe('ASCII')
    }
  })
})

describe('a cache folder someone else could write to', () => {
  it('is never read from nor written to: others may write to it, it is not the user\'s, or it is a link', () => {
    const first = loadCompiled(file, 'agents', location)
    first.save()
    const folder = cacheFolder(location) ?? ''
    const base = dirname(folder)
    expect(loadCompiled(file, 'agents', location).cache).toBe('used')
    const unsafe: [string, () => void, () => void][] = [
      ['writable by others', () => { chmodSync(base, 0o777) }, () => { chmodSync(base, 0o700) }],
      ['another user\'s', () => { chownSync(folder, 4321, 4321) }, () => { chownSync(folder, process.getuid?.() ?? 0, process.getgid?.() ?? 0) }],
    ]
    for (const [what, make, undo] of unsafe) {
      make()
      const run = loadCompiled(file, 'agents', location)
      expect({ what, cache: run.cache }).toEqual({ what, cache: 'off' })
      const before = statSync(join(folder, readdirSync(folder)[0] ?? '')).mtimeMs
      run.save()
      expect(statSync(join(folder, readdirSync(folder)[0] ?? '')).mtimeMs).toBe(before)
      undo()
      expect(loadCompiled(file, 'agents', location).cache).toBe('used')
    }
    // A link to the cache folder is not the folder.
    renameSync(folder, join(base, 'elsewhere'))
    symlinkSync(join(base, 'elsewhere'), folder)
    expect(loadCompiled(file, 'agents', location).cache).toBe('off')
  }, 30_000)
})

describe('a cache served by its file', () => {
  it('is replaced by a fuller one when a later run compiled more', () => {
    const first = loadCompiled(file, 'status', location)
    first.save()
    const path = first.cacheFile ?? ''
    const thin = statSync(path).size
    const fuller = loadCompiled(file, 'status', { ...location, refreshChance: 1 })
    expect(fuller.cache).toBe('used')
    fuller.exports.sum(100)
    fuller.exports.here()
    fuller.save()
    expect(statSync(path).size).toBeGreaterThan(thin)
    expect(loadCompiled(file, 'status', location).cache).toBe('used')
  })
})

describe('the cache profile of a command line', () => {
  it('is the command, the hook host for a hook process, and help for none', () => {
    expect(profileOf(['status', '--help'])).toBe('help')
    expect(profileOf(['report', '-V'])).toBe('help')
    expect(profileOf(['search', 'stripe', '--json'])).toBe('search')
    expect(profileOf(['--json', 'report'])).toBe('report')
    expect(profileOf(['hook', 'claude-code', '--event', 'Stop'])).toBe('hook-claude-code')
    expect(profileOf(['--help'])).toBe('help')
    expect(profileOf([])).toBe('help')
  })
})
