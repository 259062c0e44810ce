import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, describe, expect, it } from 'vitest'
import { appBundling, npmPackageOf, packageOf } from './app-bundle.js'

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
