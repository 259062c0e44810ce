import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { appBundling, lazyBuiltinsBanner, makeBuiltinsLazy, npmPackageOf, packageOf } from './app-bundle.js'

const workspace = mkdtempSync(join(tmpdir(), 'app-bundle-test-'))
afterAll(() => {
  rmSync(workspace, { recursive: true, force: true })
})

let apps = 0

/** An app folder with these files (paths relative to it), and its package.json. */
function app(manifest: Record<string, unknown>, files: Record<string, string>): string {
  const root = join(workspace, `app-${String(++apps)}`)
  for (const [path, text] of Object.entries({ 'package.json': JSON.stringify({ name: 'demo-app', ...manifest }), ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

/** An npm package installed in an app: its package.json, an ES module entry and, if given, a licence. */
function npmPackage(name: string, version: string, code: string, licence?: string): Record<string, string> {
  return {
    [`node_modules/${name}/package.json`]: JSON.stringify({ name, version, license: 'MIT', type: 'module', exports: './index.js' }),
    [`node_modules/${name}/index.js`]: code,
    ...(licence === undefined ? {} : { [`node_modules/${name}/LICENSE`]: licence }),
  }
}

/**
 * A CommonJS package installed as pnpm installs one: in a store folder of its own
 * (node_modules/.store/<name>/node_modules/<name>, the packages it depends on beside it there),
 * linked from the app's node_modules only when `linked`.
 */
function storedPackage(root: string, name: string, manifest: Record<string, unknown>, files: Record<string, string>, options: { linked?: boolean; beside?: string } = {}): string {
  const store = join(root, 'node_modules', '.store', options.beside ?? name, 'node_modules')
  const folder = join(store, name)
  for (const [path, text] of Object.entries({ 'package.json': JSON.stringify({ name, version: '1.0.0', license: 'MIT', ...manifest }), LICENSE: `MIT License\n\nCopyright (c) ${name}\n`, ...files })) {
    mkdirSync(dirname(join(folder, path)), { recursive: true })
    writeFileSync(join(folder, path), text)
  }
  if (options.linked === true) {
    mkdirSync(dirname(join(root, 'node_modules', name)), { recursive: true })
    symlinkSync(folder, join(root, 'node_modules', name), 'dir')
  }
  return realpathSync(folder)
}

/** The workspace's `@agent-tracker/node-host/native-libc`, linked into the app as pnpm links a workspace package: `withLibcNamed` names `LIBC` while it loads. */
function workspaceNativeLibc(root: string): void {
  const folder = join(root, 'workspace-node-host')
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, 'package.json'), JSON.stringify({ name: '@agent-tracker/node-host', type: 'module', exports: { './native-libc': './native-libc.js' } }))
  writeFileSync(join(folder, 'native-libc.js'), "export function withLibcNamed(load) {\n  process.env.LIBC = 'named'\n  try { return load() } finally { delete process.env.LIBC }\n}\n")
  mkdirSync(join(root, 'node_modules', '@agent-tracker'), { recursive: true })
  symlinkSync(folder, join(root, 'node_modules', '@agent-tracker', 'node-host'), 'dir')
}

/** Runs a bundle's entry.js with Node from its own folder, and what it printed, parsed. */
function run(outdir: string): unknown {
  return JSON.parse(execFileSync(process.execPath, [join(outdir, 'entry.js')], { cwd: outdir, encoding: 'utf8' }))
}

/** Bundles the app's src/entry.js into its out/ folder as the apps' build scripts do. */
async function bundle(root: string, inline: readonly string[]): Promise<{ outdir: string; finish: () => void }> {
  const bundling = appBundling({ root, inline })
  const outdir = join(root, 'out')
  await build({ absWorkingDir: root, entryPoints: ['src/entry.js'], outdir, bundle: true, format: 'esm', platform: 'node', plugins: bundling.plugins, logLevel: 'silent' })
  return { outdir, finish: () => { bundling.finish(outdir) } }
}

describe('bundling an app', () => {
  it('builds in the packages it is asked to, with their licences beside it, and leaves the declared rest outside', async () => {
    const root = app({ dependencies: { kept: '1.0.0' } }, {
      ...npmPackage('kept', '1.0.0', 'export const kept = "kept outside"\n'),
      ...npmPackage('@acme/inlined', '2.3.4', 'export const inlined = "built in"\n', 'MIT License\n\nCopyright (c) Acme\n'),
      'src/entry.js': "import { kept } from 'kept'\nimport { inlined } from '@acme/inlined'\nimport { join } from 'node:path'\nconsole.log(kept, inlined, join('a', 'b'))\n",
    })
    const { outdir, finish } = await bundle(root, ['@acme/inlined'])
    finish()
    const code = readFileSync(join(outdir, 'entry.js'), 'utf8')
    expect(code).toMatch(/from "kept"/)
    expect(code).toContain('"built in"')
    expect(code).not.toContain('"kept outside"')
    const licences = readFileSync(join(outdir, 'THIRD-PARTY-LICENSES.md'), 'utf8')
    expect(licences).toContain('## @acme/inlined 2.3.4 (MIT)\n\nMIT License\n\nCopyright (c) Acme\n')
    expect(licences).not.toContain('kept')
  })

  it('says when nothing is built in', async () => {
    const root = app({ dependencies: { kept: '1.0.0' } }, { ...npmPackage('kept', '1.0.0', 'export const kept = 1\n'), 'src/entry.js': "import { kept } from 'kept'\nconsole.log(kept)\n" })
    const { outdir, finish } = await bundle(root, [])
    finish()
    expect(readFileSync(join(outdir, 'THIRD-PARTY-LICENSES.md'), 'utf8')).toContain('None: every npm package the bundle uses is loaded as a package.')
  })

  it('fails naming every package it leaves outside that the app does not declare, and leaves no bundle', async () => {
    const root = app({ dependencies: { kept: '1.0.0' }, devDependencies: { forgotten: '1.0.0' } }, {
      ...npmPackage('kept', '1.0.0', 'export const kept = 1\n'),
      ...npmPackage('forgotten', '1.0.0', 'export const forgotten = 2\n'),
      ...npmPackage('@acme/missing', '1.0.0', 'export const missing = 3\n'),
      'src/entry.js': "import { kept } from 'kept'\nimport { forgotten } from 'forgotten'\nimport { missing } from '@acme/missing'\nconsole.log(kept, forgotten, missing)\n",
    })
    const { outdir, finish } = await bundle(root, [])
    expect(finish).toThrow('The bundle imports packages that are not dependencies of demo-app: @acme/missing, forgotten. Add them to its package.json.')
    expect(existsSync(outdir)).toBe(false)
  })

  it('refuses to build in a package that ships no licence', async () => {
    const root = app({}, { ...npmPackage('unlicensed', '0.1.0', 'export const x = 1\n'), 'src/entry.js': "import { x } from 'unlicensed'\nconsole.log(x)\n" })
    const { finish } = await bundle(root, ['unlicensed'])
    expect(finish).toThrow(/^unlicensed 0\.1\.0 ships no licence file \(looked for LICENSE, .*\); leave it outside the bundle\.$/)
  })
})

describe('bundling an app with npm code built in', () => {
  it('requires what that code imports but is not built in from where the importer is installed, which must declare it', async () => {
    const root = app({ type: 'module', dependencies: { '@acme/inlined': '1.0.0' } }, {
      'src/entry.js': "import { helperFile } from '@acme/inlined'\nconsole.log(JSON.stringify(helperFile))\n",
    })
    storedPackage(root, '@acme/inlined', { main: 'index.cjs', dependencies: { helper: '1.0.0' } }, { 'index.cjs': "exports.helperFile = require('helper').file\n" }, { linked: true })
    // Only beside its importer, not in the app's node_modules: the app does not depend on it.
    const helper = storedPackage(root, 'helper', { main: 'index.cjs' }, { 'index.cjs': 'exports.file = __filename\n' }, { beside: '@acme/inlined' })
    const { outdir, finish } = await bundle(root, ['@acme/inlined'])
    finish()
    expect(readFileSync(join(outdir, 'entry.js'), 'utf8')).not.toContain('exports.file = __filename')
    expect(run(outdir)).toBe(join(helper, 'index.cjs'))
    expect(readFileSync(join(outdir, 'THIRD-PARTY-LICENSES.md'), 'utf8')).toContain('## @acme/inlined 1.0.0 (MIT)')
  })

  it('fails naming a package built-in code imports that its package does not declare, and leaves no bundle', async () => {
    const root = app({ type: 'module', dependencies: { inlined: '1.0.0' } }, { 'src/entry.js': "import 'inlined'\n" })
    storedPackage(root, 'inlined', { main: 'index.cjs' }, { 'index.cjs': "require('undeclared')\n" }, { linked: true })
    const { outdir, finish } = await bundle(root, ['inlined'])
    expect(finish).toThrow('Built-in packages import packages they do not declare, which could not be found beside them: undeclared (by inlined). Leave the importer outside the bundle.')
    expect(existsSync(outdir)).toBe(false)
  })

  /** An app using a stand-in for lmdb: its CommonJS build tells where it runs from, what LIBC was as it loaded, and where its dependency came from. */
  function lmdbApp(wanted: string): { root: string; installed: string; cache: string } {
    const root = app({ type: 'module', dependencies: { lmdb: wanted } }, {
      'src/entry.js': "import { open } from 'lmdb'\nconsole.log(JSON.stringify({ ...open(), libcAfter: process.env.LIBC ?? null }))\n",
    })
    workspaceNativeLibc(root)
    const installed = storedPackage(root, 'lmdb', { version: '3.5.6', type: 'module', main: 'dist/index.cjs', exports: { '.': { node: { require: './dist/index.cjs', import: './node-index.js' } } }, dependencies: { 'weak-lru-cache': '1.0.0' } }, {
      'dist/index.cjs': "'use strict';\nconst libc = process.env.LIBC\nconst { where } = require('weak-lru-cache')\nexports.open = () => ({ file: __filename, folder: __dirname, libc, cache: where, marker: 'the lmdb stand-in' })\n",
      'node-index.js': "export const open = () => ({ file: 'the ES module entry' })\n",
    }, { linked: true })
    const cache = storedPackage(root, 'weak-lru-cache', { main: 'index.cjs' }, { 'index.cjs': 'exports.where = __filename\n' }, { beside: 'lmdb' })
    return { root, installed, cache }
  }

  it('builds lmdb in when asked to, with its own path and its dependencies those of the installed lmdb, loaded with the C library named', async () => {
    const { root, installed, cache } = lmdbApp('3.5.6')
    const { outdir, finish } = await bundle(root, ['lmdb'])
    finish()
    expect(readFileSync(join(outdir, 'entry.js'), 'utf8')).toContain('the lmdb stand-in')
    expect(run(outdir)).toEqual({ file: join(installed, 'dist', 'index.cjs'), folder: join(installed, 'dist'), libc: 'named', cache: join(cache, 'index.cjs'), marker: 'the lmdb stand-in', libcAfter: null })
    expect(readFileSync(join(outdir, 'THIRD-PARTY-LICENSES.md'), 'utf8')).toContain('## lmdb 3.5.6 (MIT)')
  })

  it('leaves lmdb outside unless asked, loading its CommonJS build from the app with the C library named', async () => {
    const { root, installed, cache } = lmdbApp('3.5.6')
    const { outdir, finish } = await bundle(root, [])
    finish()
    expect(readFileSync(join(outdir, 'entry.js'), 'utf8')).not.toContain('the lmdb stand-in')
    expect(run(outdir)).toEqual({ file: join(installed, 'dist', 'index.cjs'), folder: join(installed, 'dist'), libc: 'named', cache: join(cache, 'index.cjs'), marker: 'the lmdb stand-in', libcAfter: null })
  })

  it('refuses to build in an lmdb the app does not depend on at exactly that version: its addon comes from the install', async () => {
    const { root } = lmdbApp('^3.5.0')
    const { outdir, finish } = await bundle(root, ['lmdb'])
    expect(finish).toThrow('The bundle built in lmdb 3.5.6, whose addon is found where lmdb is installed: demo-app must depend on exactly that version, not ^3.5.0.')
    expect(existsSync(outdir)).toBe(false)
  })
})

/** What a CommonJS bundle (as the CLI's are) begins with: `import.meta.url` as the apps define it, then `extra`. */
const COMMON_JS = { format: 'cjs', define: { 'import.meta.url': '__importMetaUrl' }, minifyWhitespace: true } as const
function commonJsBanner(extra = ''): { js: string } {
  return { js: `var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;${extra}` }
}

describe('a package left outside, required beside built-in code', () => {
  /** An app (CommonJS) whose built-in `@acme/inlined` requires `helper`, installed beside it with this package.json and these files; the entry prints what `helper` is and whether Node loaded its resolver of `exports`. */
  async function besideApp(helperManifest: Record<string, unknown>, files: Record<string, string>): Promise<{ outdir: string; helper: string }> {
    const root = app({ dependencies: { '@acme/inlined': '1.0.0' } }, {
      'src/entry.js': "const { helperFile } = require('@acme/inlined')\nconsole.log(JSON.stringify({ helperFile, exportsResolver: process.moduleLoadList.includes('NativeModule internal/modules/esm/resolve') }))\n",
    })
    storedPackage(root, '@acme/inlined', { main: 'index.cjs', dependencies: { helper: '1.0.0' } }, { 'index.cjs': "exports.helperFile = require('helper').file\n" }, { linked: true })
    const helper = storedPackage(root, 'helper', helperManifest, files, { beside: '@acme/inlined' })
    const bundling = appBundling({ root, inline: ['@acme/inlined'] })
    const outdir = join(root, 'out')
    await build({ absWorkingDir: root, entryPoints: ['src/entry.js'], outfile: join(outdir, 'entry.js'), bundle: true, platform: 'node', plugins: bundling.plugins, logLevel: 'silent', ...COMMON_JS, banner: commonJsBanner() })
    bundling.finish(outdir)
    return { outdir, helper }
  }

  it('is the file its exports name for require, required by its path: Node never loads its resolver of exports', async () => {
    const { outdir, helper } = await besideApp({ type: 'module', exports: { '.': { import: './index.js', require: './dist/index.cjs' } } }, { 'index.js': 'export const file = import.meta.url\n', 'dist/index.cjs': 'exports.file = __filename\n' })
    expect(run(outdir)).toEqual({ helperFile: join(helper, 'dist', 'index.cjs'), exportsResolver: false })
  })

  it('is left to require when its exports take more than one look: nested conditions, a condition Node 20 may not know', async () => {
    const nested = await besideApp({ exports: { '.': { node: { require: './nested.cjs' } } } }, { 'nested.cjs': 'exports.file = __filename\n' })
    expect(run(nested.outdir)).toEqual({ helperFile: join(nested.helper, 'nested.cjs'), exportsResolver: true })
    const unknown = await besideApp({ exports: { 'module-sync': './sync.cjs', default: './default.cjs' } }, { 'sync.cjs': 'exports.file = __filename\n', 'default.cjs': 'exports.file = __filename\n' })
    // Whichever file require picks there (module-sync's, where Node knows that condition).
    const picked = createRequire(join(dirname(unknown.helper), 'importer.js')).resolve('helper')
    expect(run(unknown.outdir)).toEqual({ helperFile: picked, exportsResolver: true })
  })

  it('is left to require without exports', async () => {
    const { outdir, helper } = await besideApp({ main: 'main.cjs' }, { 'main.cjs': 'exports.file = __filename\n' })
    expect(run(outdir)).toEqual({ helperFile: join(helper, 'main.cjs'), exportsResolver: false })
  })
})

describe("Node's crypto and child_process in a bundle", () => {
  it('load when the bundle first uses them, not when it loads', async () => {
    const root = app({}, {
      'src/entry.js': [
        "import { createHash } from 'node:crypto'",
        "import { execFileSync } from 'node:child_process'",
        "const loaded = () => ['crypto', 'child_process'].filter((id) => process.moduleLoadList.includes(`NativeModule ${id}`))",
        'const before = loaded()',
        "const digest = createHash('sha256').update('x').digest('hex').slice(0, 8)",
        "const printed = execFileSync(process.execPath, ['-e', 'process.stdout.write(\"hi\")'], { encoding: 'utf8' })",
        'console.log(JSON.stringify({ before, digest, printed, after: loaded() }))',
        '',
      ].join('\n'),
    })
    const outdir = join(root, 'out')
    const entry = join(outdir, 'entry.js')
    await build({ absWorkingDir: root, entryPoints: ['src/entry.js'], outfile: entry, bundle: true, platform: 'node', logLevel: 'silent', ...COMMON_JS, banner: commonJsBanner(lazyBuiltinsBanner()) })
    const size = readFileSync(entry).length
    expect(makeBuiltinsLazy(entry)).toBe(2)
    // As long as before: the source map's columns still hold.
    expect(readFileSync(entry).length).toBe(size)
    expect(run(outdir)).toEqual({ before: [], digest: '2d711642', printed: 'hi', after: ['crypto', 'child_process'] })
  })

  it('are left as they are in a bundle without the helper in its banner, which is refused', async () => {
    const root = app({}, { 'src/entry.js': "import { randomUUID } from 'node:crypto'\nconsole.log(JSON.stringify(randomUUID().length))\n" })
    const entry = join(root, 'out', 'entry.js')
    await build({ absWorkingDir: root, entryPoints: ['src/entry.js'], outfile: entry, bundle: true, platform: 'node', logLevel: 'silent', ...COMMON_JS, banner: commonJsBanner() })
    const before = readFileSync(entry, 'utf8')
    expect(() => makeBuiltinsLazy(entry)).toThrow(`${entry} lacks the helper that loads built-in modules on use: put lazyBuiltinsBanner() in its banner.`)
    expect(readFileSync(entry, 'utf8')).toBe(before)
  })
})

describe('the package of', () => {
  it('a bare import is its first part, or its first two when scoped', () => {
    expect(packageOf('date-fns/addDays')).toBe('date-fns')
    expect(packageOf('@date-fns/tz/date')).toBe('@date-fns/tz')
    expect(packageOf('zod')).toBe('zod')
  })

  it('an installed file is the folder after its last node_modules, pnpm store or not', () => {
    expect(npmPackageOf('/w/node_modules/.pnpm/zod@4.1.8/node_modules/zod/v4/core/core.js')).toEqual({ name: 'zod', folder: '/w/node_modules/.pnpm/zod@4.1.8/node_modules/zod' })
    expect(npmPackageOf('/w/node_modules/@date-fns/tz/date/index.js')).toEqual({ name: '@date-fns/tz', folder: '/w/node_modules/@date-fns/tz' })
    expect(npmPackageOf('/w/packages/core/dist/index.js')).toBeUndefined()
  })
})
