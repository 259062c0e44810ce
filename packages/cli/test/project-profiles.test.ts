import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { factLine, jsonData, runCli, tempFolder } from './run-cli.js'

interface ProjectRow { name: string; profile?: { language: string; framework: string; scope: string; dependencies: string[] } }

/** Project folders with the given files, each recorded in a new database by one ingested commit. */
async function recordProjects(folders: Record<string, Record<string, string>>): Promise<{ db: string; root: string }> {
  const root = tempFolder('profiles-')
  const db = join(root, 'tracker.lmdb')
  const lines = Object.entries(folders).map(([name, files], index) => {
    const path = join(root, name)
    mkdirSync(path)
    for (const [file, content] of Object.entries(files)) writeFileSync(join(path, file), content)
    return factLine({ kind: 'commit', setup: 'build@anthropic/claude-sonnet-4-5', project: path, hash: `c0ffee${String(index)}`, message: 'start' })
  })
  const ingested = await runCli(['ingest', '--db', db], { input: lines.join('\n') })
  if (ingested.code !== 0) throw new Error(ingested.stdout + ingested.stderr)
  return { db, root }
}

async function profiles(db: string): Promise<Record<string, ProjectRow['profile']>> {
  const { code, stdout } = await runCli(['projects', '--refresh', '--db', db, '--json'])
  expect(code).toBe(0)
  return Object.fromEntries((jsonData(stdout, 'projects') as { projects: ProjectRow[] }).projects.map((p) => [p.name, p.profile]))
}

describe('projects --refresh classifies project folders', () => {
  it('reads a Groovy build.gradle (single quotes, no parentheses)', async () => {
    const { db } = await recordProjects({
      orders: { 'build.gradle': "plugins {\n  id 'java'\n  id 'org.springframework.boot' version '3.3.0'\n}\n\ndependencies {\n  implementation 'org.springframework.boot:spring-boot-starter-web:3.3.0'\n  implementation \"com.fasterxml.jackson.core:jackson-databind:2.17.0\"\n  testImplementation 'org.junit.jupiter:junit-jupiter:5.10.0'\n}\n" },
    })
    expect((await profiles(db)).orders).toMatchObject({ language: 'java', framework: 'spring', scope: 'api', dependencies: ['jackson-databind', 'spring-boot-starter-web'] })
  })

  it('classifies a folder with both package.json and pyproject.toml by the manifest with more evidence, and by AGENTS.md when it says', async () => {
    const tooling = JSON.stringify({ private: true, devDependencies: { prettier: '3', husky: '9', 'lint-staged': '15', '@commitlint/cli': '19', '@commitlint/config-conventional': '19', eslint: '9' } })
    const { db } = await recordProjects({
      'python-api': { 'package.json': tooling, 'pyproject.toml': '[project]\nname = "api"\ndependencies = ["fastapi>=0.115", "pydantic>=2", "httpx"]\n' },
      'web-app': { 'package.json': JSON.stringify({ dependencies: { next: '16', react: '19', 'react-dom': '19', zod: '4' }, devDependencies: { typescript: '5' } }), 'pyproject.toml': '[project]\nname = "scripts"\ndependencies = ["requests"]\n' },
      declared: { 'AGENTS.md': '# Agents\n\n- **Language**: TypeScript\n', 'package.json': tooling, 'pyproject.toml': '[project]\ndependencies = ["fastapi"]\n' },
    })
    const found = await profiles(db)
    expect(found['python-api']).toMatchObject({ language: 'python', framework: 'fastapi', scope: 'api' })
    expect(found['web-app']).toMatchObject({ language: 'typescript', framework: 'next', scope: 'web-app' })
    expect(found.declared).toMatchObject({ language: 'typescript' })
  })
})

describe('recommend for projects fed through ingest', () => {
  const SONNET = 'build@anthropic/claude-sonnet-4-5'
  const GPT = 'build@openai/gpt-5'

  /** Graded commits of two setups in one TypeScript project folder, fed through ingest only. */
  async function ingestGradedWork(): Promise<{ db: string; root: string; shop: string }> {
    const root = tempFolder('ingested-')
    const db = join(root, 'tracker.lmdb')
    const shop = join(root, 'shop')
    mkdirSync(shop)
    writeFileSync(join(shop, 'package.json'), JSON.stringify({ dependencies: { react: '19', zod: '4' }, devDependencies: { typescript: '5' } }))
    const lines: string[] = []
    for (const [setup, grade] of [[SONNET, 'excellence'], [GPT, 'bad']] as const) {
      for (let i = 0; i < 6; i++) {
        const hash = `${setup === SONNET ? 'aa' : 'bb'}${String(i)}0c0ffee`
        lines.push(factLine({ kind: 'commit', setup, project: shop, hash, message: `change ${String(i)}` }))
        lines.push(factLine({ kind: 'grade', setup, project: shop, commit: hash, by: 'user', userGrade: i === 0 ? 'good' : grade }))
      }
    }
    const ingested = await runCli(['ingest', '--trust', '--db', db], { input: lines.join('\n') })
    expect(ingested.code).toBe(0)
    return { db, root, shop }
  }

  it('profiles known project folders itself, without projects --refresh', async () => {
    const { db, root } = await ingestGradedWork()
    const next = join(root, 'next-app')
    mkdirSync(next)
    writeFileSync(join(next, 'package.json'), JSON.stringify({ dependencies: { react: '19' }, devDependencies: { typescript: '5' } }))
    const { code, stdout } = await runCli(['recommend', next, '--db', db, '--json'])
    expect(code).toBe(0)
    const result = jsonData(stdout, 'recommend') as { state: string; similarProjects: { path: string }[]; setups: { setup: string; rank: number | null }[]; unprofiledProjects: string[] }
    expect(result.state).toBe('ranked')
    expect(result.similarProjects.map((p) => p.path)).toEqual([join(root, 'shop')])
    expect(result.setups.map((s) => [s.setup, s.rank])).toEqual([[SONNET, 1], [GPT, 2]])
    expect(result.unprofiledProjects).toEqual([])
  })

  it('says which projects have no profile and points to projects --refresh when their folders are gone', async () => {
    const { db, root, shop } = await ingestGradedWork()
    rmSync(shop, { recursive: true })
    const next = join(root, 'next-app')
    mkdirSync(next)
    writeFileSync(join(next, 'package.json'), JSON.stringify({ dependencies: { react: '19' } }))
    const { code, stdout } = await runCli(['recommend', next, '--db', db])
    expect(code).toBe(0)
    expect(stdout).toContain(`1 recorded project has no profile and its folder is not here, so its outcomes were left out: ${shop}.`)
    expect(stdout).toContain('agent-tracker projects --refresh')
    const json = jsonData((await runCli(['recommend', next, '--db', db, '--json'])).stdout, 'recommend') as { state: string; unprofiledProjects: string[] }
    expect(json).toMatchObject({ state: 'no-data', unprofiledProjects: [shop] })
    // projects --refresh cannot read it either: it says so, and projects stops suggesting a refresh.
    const refreshed = await runCli(['projects', '--refresh', '--db', db])
    const gone = `1 project has no profile and no folder on this machine to read one from: ${shop}. Run agent-tracker projects --refresh on a machine that has them.`
    expect(refreshed.stdout).toContain(gone)
    expect(jsonData((await runCli(['projects', '--refresh', '--db', db, '--json'])).stdout, 'projects')).toMatchObject({ refreshed: [], notHere: [shop] })
    const listed = (await runCli(['projects', '--db', db])).stdout
    expect(listed).toContain(gone)
    expect(listed).not.toContain('no profile yet')
  })
})
