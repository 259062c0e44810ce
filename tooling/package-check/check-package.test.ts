import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SCRIPT = fileURLToPath(new URL('./check-package.js', import.meta.url))
const REPOSITORY = { type: 'git', url: 'git+https://example.com/acme/widgets.git' }

interface Manifest { name: string; private?: boolean; scripts?: Record<string, string>; devDependencies?: Record<string, string> }
const readManifest = (folder: string): Manifest => JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Manifest

describe('every package under packages/ is checked as published', () => {
  const packages = readdirSync(join(ROOT, 'packages')).map((name) => join(ROOT, 'packages', name))

  it.each(packages)('%s runs check-package as its check:package task', (folder) => {
    const manifest = readManifest(folder)
    expect(manifest.private, `${manifest.name} is published`).not.toBe(true)
    expect(manifest.scripts?.['check:package'], `${manifest.name}: add "check:package": "check-package" to its scripts`).toBe('check-package')
    expect(manifest.devDependencies?.['@agent-tracker/package-check'], `${manifest.name}: add "@agent-tracker/package-check": "workspace:*" to its devDependencies`).toBe('workspace:*')
  })
})

describe('check-package', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'check-package-test-'))
  afterAll(() => {
    rmSync(workspace, { recursive: true, force: true })
  })
  writeFileSync(join(workspace, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n')
  writeFileSync(join(workspace, 'package.json'), JSON.stringify({ name: 'widgets-workspace', private: true, license: 'MIT', repository: REPOSITORY }))
  cpSync(join(ROOT, 'LICENSE'), join(workspace, 'LICENSE'))

  /** A package folder in the temporary workspace with these files. */
  function packageWith(name: string, files: Record<string, string>): string {
    const folder = join(workspace, 'packages', name)
    mkdirSync(join(folder, 'dist'), { recursive: true })
    for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text)
    return folder
  }

  function check(folder: string): Promise<{ code: number; output: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [SCRIPT], { cwd: folder }, (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: stdout + stderr })
      })
    })
  }

  it('passes a package with README, LICENSE, repository and sound ESM exports', async () => {
    const folder = packageWith('good', {
      'package.json': JSON.stringify({
        name: '@acme/good', version: '1.0.0', license: 'MIT', repository: { ...REPOSITORY, directory: 'packages/good' }, type: 'module',
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' }, files: ['dist'],
      }),
      'README.md': '# @acme/good\n\n```sh\nnpm install @acme/good\n```\n',
      LICENSE: readFileSync(join(ROOT, 'LICENSE'), 'utf8'),
      'dist/index.js': 'export const answer = 42\n',
      'dist/index.d.ts': 'export declare const answer: number\n',
    })
    const { code, output } = await check(folder)
    expect(output).toContain('✓ @acme/good@1.0.0')
    expect(code).toBe(0)
  })

  it('fails a package without README or repository, with another LICENSE and wrong exports, naming each problem', async () => {
    const folder = packageWith('bad', {
      'package.json': JSON.stringify({
        name: '@acme/bad', version: '1.0.0', license: 'ISC', type: 'module',
        exports: { '.': { types: './dist/index.d.cts', default: './dist/index.js' }, './extra': './dist/missing.js' }, files: ['dist'],
      }),
      LICENSE: 'All rights reserved.\n',
      'dist/index.js': 'export const answer = 42\n',
      'dist/index.d.cts': 'export declare const answer: number\n',
    })
    const { code, output } = await check(folder)
    expect(code).toBe(1)
    expect(output).toContain('✗ @acme/bad@1.0.0 is not ready to publish:')
    expect(output).toContain('README.md is not in the tarball')
    expect(output).toContain("LICENSE differs from the repository's LICENSE")
    expect(output).toContain('package.json "license" is "ISC"; the repository\'s is "MIT".')
    expect(output).toContain(`package.json "repository" is undefined; expected ${JSON.stringify({ ...REPOSITORY, directory: 'packages/bad' })}`)
    expect(output).toContain('publint FILE_DOES_NOT_EXIST')
    expect(output).toContain('Are the Types Wrong? (profile esm-only) found problems:')
  })
})
