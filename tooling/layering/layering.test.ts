import { execFile } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { ESLint } from 'eslint'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const run = promisify(execFile)
const PROBE = '__layering_probe__.ts'

describe('ESLint no-restricted-imports', () => {
  const eslint = new ESLint({
    cwd: ROOT,
    // A probe file is in no tsconfig: the project service gives it a program of its own, instead of
    // the workspace's programs the config names.
    overrideConfig: { languageOptions: { parserOptions: { project: false, projectService: { allowDefaultProject: [`packages/*/src/${PROBE}`] } } } },
  })
  const restricted = async (pkg: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, 'packages', pkg, 'src', PROBE) })
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
  }

  it.each([
    ["import { readFileSync } from 'node:fs'", 'layering: core is pure — no Node built-ins'],
    ["import { join } from 'path'", 'layering: core is pure — no Node built-ins'],
    ["import { open } from 'lmdb'", 'layering: core may not import lmdb'],
    ["import { openLmdbStore } from '@agent-tracker/lmdb-store'", 'layering: core may not import sibling packages'],
  ])('rejects `%s` in core, naming the layering rule', async (code, message) => {
    const messages = await restricted('core', `${code}\nexport {}\n`)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain(message)
  })

  it('rejects an adapter importing an app', async () => {
    expect(await restricted('write-buffer', "import { main } from '@agent-tracker/cli'\nexport { main }\n")).toEqual([
      "'@agent-tracker/cli' import is restricted from being used by a pattern. layering: adapters may not import apps (cli, opencode-plugin) — apps compose adapters.",
    ])
  })

  it('rejects a default export in a package source, but not in the plugin entry OpenCode loads', async () => {
    const [probe] = await eslint.lintText('export default function track(): void {}\n', { filePath: join(ROOT, 'packages', 'migrate', 'src', PROBE) })
    expect(probe?.messages.map((m) => m.message)).toContain('Use named exports (only the OpenCode plugin entry may have a default export, because its host demands one).')
    const entry = join(ROOT, 'packages', 'opencode-plugin', 'src', 'index.ts')
    const [plugin] = await eslint.lintText(readFileSync(entry, 'utf8'), { filePath: entry })
    expect(plugin?.messages.filter((m) => m.ruleId === 'no-restricted-syntax')).toEqual([])
  })

  it('lets apps import adapters and core', async () => {
    expect(await restricted('cli', "import { openLmdbStore } from '@agent-tracker/lmdb-store'\nimport { applyFact } from '@agent-tracker/core'\nexport { openLmdbStore, applyFact }\n")).toEqual([])
  })
})

describe('pnpm strict dependencies and core without Node types', () => {
  /** What the package's own build reports for a probe file with this text in its src. */
  const compileProbe = (pkg: string, text: string): string[] => {
    const configPath = join(ROOT, 'packages', pkg, 'tsconfig.build.json')
    const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })
    if (config === undefined) throw new Error(`cannot read ${pkg}/tsconfig.build.json`)
    const probe = join(ROOT, 'packages', pkg, 'src', PROBE)
    const host = ts.createCompilerHost(config.options)
    const readFile = host.readFile.bind(host)
    const getSourceFile = host.getSourceFile.bind(host)
    host.fileExists = (file) => file === probe || ts.sys.fileExists(file)
    host.readFile = (file) => (file === probe ? text : readFile(file))
    host.getSourceFile = (file, language) => (file === probe ? ts.createSourceFile(file, text, language) : getSourceFile(file, language))
    const program = ts.createProgram({ rootNames: [probe], options: { ...config.options, noEmit: true }, host })
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
  }

  it('make core fail to compile when it imports Node, lmdb or a sibling', () => {
    const text = "import { readFileSync } from 'node:fs'\nimport { open } from 'lmdb'\nimport { withWriteBuffer } from '@agent-tracker/write-buffer'\nexport const all = [readFileSync, open, withWriteBuffer]\n"
    expect(compileProbe('core', text)).toEqual(expect.arrayContaining([
      "Cannot find module 'node:fs' or its corresponding type declarations.",
      "Cannot find module 'lmdb' or its corresponding type declarations.",
      "Cannot find module '@agent-tracker/write-buffer' or its corresponding type declarations.",
    ]))
  })

  it('make an adapter fail to compile when it imports an app it cannot declare', () => {
    const text = "import { main } from '@agent-tracker/cli'\nimport { server } from '@agent-tracker/opencode-plugin'\nexport const all = [main, server]\n"
    expect(compileProbe('write-buffer', text)).toEqual(expect.arrayContaining([
      "Cannot find module '@agent-tracker/cli' or its corresponding type declarations.",
      "Cannot find module '@agent-tracker/opencode-plugin' or its corresponding type declarations.",
    ]))
  })

  it('compile the same probe in an app, which declares its adapters', () => {
    const text = "import { withWriteBuffer } from '@agent-tracker/write-buffer'\nexport const all = [withWriteBuffer]\n"
    expect(compileProbe('cli', text)).toEqual([])
  })
})

describe('turbo boundaries', () => {
  const copies: string[] = []
  afterAll(() => {
    for (const copy of copies) rmSync(copy, { recursive: true, force: true })
  })

  /** A copy of the workspace's manifests and turbo configs, where violations can be planted safely. */
  const workspaceCopy = (): string => {
    const copy = mkdtempSync(join(tmpdir(), 'boundaries-'))
    copies.push(copy)
    const files = ['package.json', 'pnpm-workspace.yaml', 'pnpm-lock.yaml', 'turbo.json']
    for (const folder of ['packages', 'tooling']) {
      for (const name of readdirSync(join(ROOT, folder))) {
        for (const file of ['package.json', 'turbo.json']) if (existsSync(join(ROOT, folder, name, file))) files.push(join(folder, name, file))
      }
    }
    for (const file of files) {
      mkdirSync(dirname(join(copy, file)), { recursive: true })
      copyFileSync(join(ROOT, file), join(copy, file))
    }
    return copy
  }
  const boundaries = async (cwd: string): Promise<{ code: number; output: string }> => {
    const turbo = join(ROOT, 'node_modules', '.bin', 'turbo')
    try {
      const { stdout, stderr } = await run(turbo, ['boundaries'], { cwd, env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' } })
      return { code: 0, output: stdout + stderr }
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string }
      return { code: failed.code, output: failed.stdout + failed.stderr }
    }
  }
  const plant = (copy: string, file: string, text: string): void => {
    mkdirSync(dirname(join(copy, file)), { recursive: true })
    writeFileSync(join(copy, file), text)
  }

  it('passes the clean workspace', async () => {
    const { code, output } = await boundaries(ROOT)
    expect(output).toContain('no issues found')
    expect(code).toBe(0)
  })

  it('rejects core importing a package it does not declare', async () => {
    const copy = workspaceCopy()
    plant(copy, 'packages/core/src/index.ts', "import { open } from 'lmdb'\nexport { open }\n")
    const { code, output } = await boundaries(copy)
    expect(code).toBe(1)
    expect(output).toContain('cannot import package `lmdb` because it is not a dependency')
  })

  it('rejects core depending on an adapter by tag, even when declared', async () => {
    const copy = workspaceCopy()
    const manifest = join(copy, 'packages', 'core', 'package.json')
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> }
    pkg.dependencies = { ...pkg.dependencies, '@agent-tracker/write-buffer': 'workspace:^' }
    writeFileSync(manifest, JSON.stringify(pkg))
    plant(copy, 'packages/core/src/index.ts', "import { withWriteBuffer } from '@agent-tracker/write-buffer'\nexport { withWriteBuffer }\n")
    const { code, output } = await boundaries(copy)
    expect(code).toBe(1)
    expect(output).toMatch(/Package `@agent-tracker\/write-buffer` found with tag listed in denylist\s+\|?\s*for\s+\|?\s*`@agent-tracker\/core`: `adapter`/)
  })

  it('rejects an adapter depending on an app by tag, even when declared', async () => {
    const copy = workspaceCopy()
    const manifest = join(copy, 'packages', 'write-buffer', 'package.json')
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies: Record<string, string> }
    pkg.dependencies['@agent-tracker/cli'] = 'workspace:^'
    writeFileSync(manifest, JSON.stringify(pkg))
    plant(copy, 'packages/write-buffer/src/index.ts', "import { main } from '@agent-tracker/cli'\nexport { main }\n")
    const { code, output } = await boundaries(copy)
    expect(code).toBe(1)
    expect(output).toMatch(/Package `@agent-tracker\/cli` found with tag listed in denylist for\s+\|?\s*`@agent-tracker\/write-buffer`: `app`/)
  })
})
