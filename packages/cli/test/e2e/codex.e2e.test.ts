import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { jsonData, runCli, tempFolder } from '../run-cli.js'
import { startFakeResponses } from './fake-responses.js'

// The real Codex CLI (the npm package, pinned), driven headless (`codex exec`) against a scripted
// Responses API on loopback; agent-tracker then imports the rollouts it wrote.

const CODEX = fileURLToPath(new URL('../../node_modules/.bin/codex', import.meta.url))
const SETUP = 'codex@fake/gpt-5-codex'

function project(root: string): string {
  const folder = join(root, 'api')
  mkdirSync(folder, { recursive: true })
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: folder, stdio: 'ignore' })
  }
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'agent@example.com')
  git('config', 'user.name', 'Agent')
  writeFileSync(join(folder, 'README.md'), '# api\n')
  git('add', '-A')
  git('commit', '-q', '-m', 'initial')
  execFileSync('git', ['init', '-q', '--bare', join(root, 'api.git')])
  git('remote', 'add', 'origin', join(root, 'api.git'))
  return folder
}

describe('agent-tracker with the real Codex CLI', { timeout: 300_000 }, () => {
  it("imports the rollouts of a headless session with a commit, a push, a failure and a subagent, and a rerun adds nothing", async () => {
    const home = tempFolder('codex-home-')
    const codexHome = join(home, '.codex')
    const api = project(tempFolder('codex-'))
    const fake = await startFakeResponses({
      'SUBAGENT-WORK': [{ shell: 'ls' }, { text: 'Listed.' }],
      'COMMIT-TASK': [
        { shell: "echo a > a.txt && git add a.txt && git commit -m 'feat: a' && git push origin HEAD" },
        { shell: 'ls /nonexistent-dir' },
        { call: 'spawn_agent', namespace: 'multi_agent_v1', args: { message: 'SUBAGENT-WORK: list the files' } },
        { call: 'wait_agent', namespace: 'multi_agent_v1', args: { targets: ['$LAST_ID'], timeout_ms: 20_000 } },
        { text: 'Committed, pushed and delegated.' },
      ],
    })
    try {
      mkdirSync(codexHome, { recursive: true })
      writeFileSync(join(codexHome, 'config.toml'), `model = "gpt-5-codex"\nmodel_provider = "fake"\napproval_policy = "never"\nsandbox_mode = "danger-full-access"\n\n[model_providers.fake]\nname = "Fake"\nbase_url = "${fake.baseURL}"\nenv_key = "FAKE_API_KEY"\nwire_api = "responses"\n`)
      const ran = await new Promise<{ code: number; output: string }>((resolve) => {
        const child = execFile(CODEX, ['exec', '--skip-git-repo-check', 'COMMIT-TASK: commit a file, push it, and have a subagent list the files'], {
          cwd: api, env: { PATH: process.env.PATH ?? '', HOME: home, CODEX_HOME: codexHome, FAKE_API_KEY: 'x', NO_COLOR: '1' }, timeout: 120_000, maxBuffer: 16 * 1024 * 1024,
        }, (error, stdout, stderr) => {
          resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: stdout + stderr })
        })
        child.stdin?.end()
      })
      expect(ran.code, ran.output).toBe(0)
      expect(fake.outputs.join('\n')).toContain('Process exited with code 2')
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: api, encoding: 'utf8' }).trim()

      const db = join(home, 'tracker.lmdb')
      const imported = await runCli(['import', 'codex', '--db', db, '--json'], { home, env: { CODEX_HOME: codexHome } })
      expect(imported.code, imported.stdout).toBe(0)
      const [summary] = (jsonData(imported.stdout, 'import') as { sources: Record<string, unknown>[] }).sources
      expect(summary).toMatchObject({
        source: 'codex', sessions: 2, setups: [SETUP], toolCalls: 5, toolFailures: 1, commits: 1, pushes: 1, messages: 7,
        tokens: { input: 5600, output: 301, reasoning: 49, cacheRead: 1400, cacheWrite: 0 }, unpricedMessages: 0, problemCount: 0,
      })
      expect(summary?.estimatedCost).toBeGreaterThan(0)
      expect(summary?.estimatedCost).toBe(summary?.cost)
      const { entries } = jsonData((await runCli(['history', SETUP, '--db', db, '--json'], { home })).stdout, 'history') as { entries: { kind: string; project: string; summary: string }[] }
      expect(entries).toEqual([{ at: expect.any(String) as unknown, kind: 'commit', project: api, summary: `${head.slice(0, 8)} feat: a` }])

      const status = async (): Promise<unknown> => jsonData((await runCli(['status', '--db', db, '--json'], { home })).stdout, 'status')
      const before = await status()
      const rerun = await runCli(['import', 'codex', '--db', db, '--json'], { home, env: { CODEX_HOME: codexHome } })
      expect(rerun.code, rerun.stdout).toBe(0)
      const [again] = (jsonData(rerun.stdout, 'import') as { sources: { facts: number; imported: number; repeats: number }[] }).sources
      expect(again).toMatchObject({ imported: 0, repeats: again?.facts })
      expect(await status()).toEqual(before)
    } finally {
      await fake.close()
    }
  })
})
