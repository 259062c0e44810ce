import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SCHEMA_VERSION } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'
import { readStoredSchema } from '@agent-tracker/lmdb-store'
import { writeSchema1Database } from '@agent-tracker/lmdb-store/testing'
import { describe, expect, it } from 'vitest'
import { jsonData, runCli, tempFolder } from '../run-cli.js'
import type { ClaudeStep } from './fake-anthropic.js'
import { startFakeAnthropic } from './fake-anthropic.js'

// The real Claude Code CLI (the npm package, pinned), driven headless against a scripted model on
// loopback, with agent-tracker's hooks installed the way a user installs them.

const CLAUDE = fileURLToPath(new URL('../../node_modules/.bin/claude', import.meta.url))
const BIN = fileURLToPath(new URL('../../bin/agent-tracker.js', import.meta.url))
/** This CLI by its full path, as a shell word each. */
const CLI = `'${process.execPath}' '${BIN}'`
const MAIN = 'claude-code@anthropic/claude-opus-4-8'
const SUBAGENT = 'general-purpose@anthropic/claude-opus-4-8'

const bash = (command: string): ClaudeStep => ({ tool: 'Bash', input: { command, description: command.slice(0, 30) } })

function project(root: string): string {
  const folder = join(root, 'shop')
  mkdirSync(folder, { recursive: true })
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: folder, stdio: 'ignore' })
  }
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'agent@example.com')
  git('config', 'user.name', 'Agent')
  writeFileSync(join(folder, 'README.md'), '# shop\n')
  writeFileSync(join(folder, '.gitignore'), '.env\n')
  writeFileSync(join(folder, '.env'), 'API_KEY=sk-live-secret\n')
  git('add', '-A')
  git('commit', '-q', '-m', 'initial')
  execFileSync('git', ['init', '-q', '--bare', join(root, 'shop.git')])
  git('remote', 'add', 'origin', join(root, 'shop.git'))
  return folder
}

/** Runs `claude -p` in the project with a private HOME (where the hooks are installed), against the fake model. */
function claude(home: string, cwd: string, baseURL: string, prompt: string, more: { args?: string[]; env?: Record<string, string> } = {}): Promise<{ code: number; result: string }> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '', HOME: home, ANTHROPIC_BASE_URL: baseURL, ANTHROPIC_API_KEY: 'sk-ant-fake',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', DISABLE_AUTOUPDATER: '1', NO_COLOR: '1', ...more.env,
  }
  return new Promise((resolve) => {
    const child = execFile(CLAUDE, ['-p', prompt, '--allowedTools', 'Bash,Read,Agent', '--output-format', 'json', ...(more.args ?? [])], { cwd, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      let result = stdout + stderr
      try {
        result = (JSON.parse(stdout) as { result: string }).result
      } catch {
        // Not JSON: keep the raw output for the assertion message.
      }
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, result })
    })
    child.stdin?.end()
  })
}

type Setup = { setup: string; state: { toolCalls: number; toolFailures: number; commits: number; pushes: number; messages: number; tokens: object; cost: number; userGrades: { count: number; sum: number }; bugs: number } }

const numbers = ({ setup, state }: Setup): object => ({ setup, toolCalls: state.toolCalls, toolFailures: state.toolFailures, commits: state.commits, pushes: state.pushes, messages: state.messages, tokens: state.tokens, cost: state.cost.toFixed(9) })

/** The setups `agent-tracker status` reports from the database in `home`, as they stand. */
async function liveSetups(home: string, env?: Record<string, string>): Promise<Setup[]> {
  return jsonData((await runCli(['status', '--json'], { home, ...(env === undefined ? {} : { env }) })).stdout, 'status') as Setup[]
}

/** Installs the hooks in `home` with `--command` a wrapper script: `body` after its `#!/bin/sh` line (it runs this CLI as {@link CLI}). */
async function installThroughWrapper(home: string, shop: string, body: string): Promise<void> {
  const wrapper = join(tempFolder('cc-wrapper-'), 'track')
  writeFileSync(wrapper, `#!/bin/sh\n${body}`)
  chmodSync(wrapper, 0o755)
  const installed = await runCli(['hooks', 'install', 'claude-code', '--global', '--command', wrapper], { home, cwd: shop, env: { PATH: '/usr/bin:/bin' } })
  expect(installed.code, installed.stdout).toBe(0)
}

describe('agent-tracker with the real Claude Code CLI', { timeout: 300_000 }, () => {
  it("fires the hooks installed in the project's settings.local.json, where a command with this machine's paths goes, kept out of git", async () => {
    const home = tempFolder('cc-home-')
    const shop = project(tempFolder('cc-'))
    // No agent-tracker on PATH: the full-path command is machine-specific, so it goes to the personal settings file.
    const installed = await runCli(['hooks', 'install', 'claude-code', '--json'], { home, cwd: shop, env: { PATH: '/usr/bin:/bin' } })
    expect(installed.code, installed.stdout).toBe(0)
    expect(jsonData(installed.stdout, 'install')).toMatchObject({ settingsFile: join(shop, '.claude', 'settings.local.json'), settingsFileReason: 'full-path-command', command: `'${process.execPath}' '${BIN}' hook claude-code`, git: { kind: 'excluded' } })
    expect(existsSync(join(shop, '.claude', 'settings.json'))).toBe(false)
    expect(existsSync(join(home, '.claude', 'settings.json'))).toBe(false)
    expect(execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: shop, encoding: 'utf8' })).not.toContain('settings.local.json')
    const fake = await startFakeAnthropic({
      'LOCAL-TASK': [bash('ls'), { tool: 'Read', input: { file_path: join(shop, '.env') } }, { text: 'Listed.' }],
    })
    try {
      const work = await claude(home, shop, fake.baseURL, 'LOCAL-TASK: list the files')
      expect(work.code, work.result).toBe(0)
      // PreToolUse from settings.local.json denied the .env read; PostToolUse and Stop recorded the rest.
      expect(fake.toolResults[1]).toContain(`agent-tracker blocked this Read call: it touches ${join(shop, '.env')}, a protected file.`)
      const live = (): Promise<Setup[]> => liveSetups(home)
      await expect.poll(async () => (await live()).find((row) => row.setup === MAIN)?.state, { timeout: 20_000, interval: 200 }).toMatchObject({ toolCalls: 1, messages: 3 })
    } finally {
      await fake.close()
    }
  })

  it('fires hooks installed with a --command that does not name agent-tracker (a wrapper script), marked so that uninstall knows them', async () => {
    const home = tempFolder('cc-home-')
    const shop = project(tempFolder('cc-'))
    await installThroughWrapper(home, shop, `exec ${CLI} "$@"\n`)
    const fake = await startFakeAnthropic({ 'WRAPPED-TASK': [bash('ls'), { text: 'Listed.' }] })
    try {
      const work = await claude(home, shop, fake.baseURL, 'WRAPPED-TASK: list the files')
      expect(work.code, work.result).toBe(0)
      const live = (): Promise<Setup[]> => liveSetups(home)
      await expect.poll(async () => (await live()).find((row) => row.setup === MAIN)?.state, { timeout: 20_000, interval: 200 }).toMatchObject({ toolCalls: 1 })
    } finally {
      await fake.close()
    }
    const removed = await runCli(['hooks', 'uninstall', 'claude-code', '--global'], { home, cwd: shop })
    // It held nothing but the hooks install wrote there: it goes, as install made it.
    expect(removed.stdout).toContain(`Removed ${join(home, '.claude', 'settings.json')}: it held nothing but agent-tracker's Claude Code hooks (7 hooks).`)
    expect(existsSync(join(home, '.claude', 'settings.json'))).toBe(false)
  })

  it('goes on after 10 s when a hook is stuck: install gives each hook a timeout, and Claude Code cancels it there', async () => {
    const home = tempFolder('cc-home-')
    const shop = project(tempFolder('cc-'))
    // A wrapper whose PreToolUse never answers, as a hook stuck on a stalled disk would not; every other event reaches the hook.
    await installThroughWrapper(home, shop, `input=$(cat)\ncase "$input" in *'"PreToolUse"'*) exec sleep 600 ;; esac\nprintf '%s' "$input" | exec ${CLI} "$@"\n`)
    const fake = await startFakeAnthropic({ 'STUCK-TASK': [bash('ls'), { text: 'Listed.' }] })
    try {
      // Without the timeout Claude Code would wait its default (600 s) here, past this run's 120 s.
      const work = await claude(home, shop, fake.baseURL, 'STUCK-TASK: list the files')
      expect(work.code, work.result).toBe(0)
      expect(fake.toolResults[0]).toContain('README.md')
      const live = (): Promise<Setup[]> => liveSetups(home)
      await expect.poll(async () => (await live()).find((row) => row.setup === MAIN)?.state, { timeout: 20_000, interval: 200 }).toMatchObject({ toolCalls: 1 })
    } finally {
      await fake.close()
    }
  })

  it('records a session started in a subfolder under the repository, so /grade from the root grades the newest agent commit, and import agrees', async () => {
    const home = tempFolder('cc-home-')
    const shop = project(tempFolder('cc-'))
    const src = join(shop, 'src')
    mkdirSync(src)
    const installed = await runCli(['hooks', 'install', 'claude-code', '--global', '--json'], { home, cwd: shop, env: { PATH: '/nonexistent' } })
    expect(installed.code, installed.stdout).toBe(0)
    const fake = await startFakeAnthropic({
      'ROOT-WORK': [bash("echo a > a.txt && git add a.txt && git commit -m 'feat: a at root'"), { text: 'Committed.' }],
      'SUB-WORK': [bash("echo s > s.txt && git add s.txt && git commit -m 'feat: s in src'"), { text: 'Committed.' }],
    })
    try {
      for (const [cwd, prompt] of [[shop, 'ROOT-WORK: commit at the root'], [src, 'SUB-WORK: commit in src']] as const) {
        const work = await claude(home, cwd, fake.baseURL, prompt)
        expect(work.code, work.result).toBe(0)
      }
      const head = execFileSync('git', ['log', '-1', '--format=%H'], { cwd: shop, encoding: 'utf8' }).trim()
      const graded = await claude(home, shop, fake.baseURL, '/grade good')
      expect(graded.result).toContain(`[agent-tracker] Graded ${head.slice(0, 8)} (feat: s in src) of ${MAIN}: user good.`)

      type Project = { path: string; commits: number }
      const projects = async (db?: string): Promise<Project[]> => (jsonData((await runCli(['projects', '--json', ...(db === undefined ? [] : ['--db', db])], { home })).stdout, 'projects') as { projects: Project[] }).projects
      const listed = (await projects()).map(({ path, commits }) => ({ path, commits }))
      expect(listed).toEqual([{ path: shop, commits: 2 }])

      const fresh = join(tempFolder('cc-import-'), 'imported.lmdb')
      const imported = await runCli(['import', 'claude-code', '--db', fresh, '--no-evidence', '--json'], { home })
      expect(imported.code, imported.stdout).toBe(0)
      expect((await projects(fresh)).map(({ path, commits }) => ({ path, commits }))).toEqual(listed)
    } finally {
      await fake.close()
    }
  })

  it('records a commit and its amend in one Bash call as one commit, the amend, live and on import', async () => {
    const home = tempFolder('cc-home-')
    const shop = project(tempFolder('cc-'))
    const installed = await runCli(['hooks', 'install', 'claude-code', '--global', '--json'], { home, cwd: shop, env: { PATH: '/nonexistent' } })
    expect(installed.code, installed.stdout).toBe(0)
    const fake = await startFakeAnthropic({
      'AMEND-WORK': [
        // Both quiet: the two commits share a second, and HEAD's history holds only the amend.
        bash("echo q > q.txt && git add q.txt && git commit -q -m 'feat: q' && echo q2 >> q.txt && git commit -q -a --amend --no-edit"),
        // The commit printed, its amend quiet.
        bash("echo r > r.txt && git add r.txt && git commit -m 'feat: r' && echo r2 >> r.txt && git commit -q -a --amend --no-edit"),
        { text: 'Committed.' },
      ],
    })
    try {
      const work = await claude(home, shop, fake.baseURL, 'AMEND-WORK: commit and amend twice')
      expect(work.code, work.result).toBe(0)
      const git = (...args: string[]): string => execFileSync('git', args, { cwd: shop, encoding: 'utf8' }).trim()
      // HEAD's reflog, newest first: the amend of r, r, the amend of q (HEAD's parent), q.
      const [rAmended, r, qAmended, q] = [0, 1, 2, 3].map((back) => git('rev-parse', `HEAD@{${String(back)}}`))
      expect(qAmended).toBe(git('rev-parse', 'HEAD~1'))
      const expected = [{ hash: qAmended, amends: q }, { hash: rAmended, amends: r }]
      const commits = async (db?: string): Promise<{ hash: string; amends: string | undefined }[]> => {
        const exported = await runCli(['export', '--format', 'json', ...(db === undefined ? [] : ['--db', db])], { home })
        expect(exported.code, exported.stderr).toBe(0)
        const { collections } = JSON.parse(exported.stdout) as { collections: { commits: { hash: string; amends?: string }[] } }
        return collections.commits.map(({ hash, amends }) => ({ hash, amends })).sort((a, b) => (a.hash === qAmended ? -1 : b.hash === qAmended ? 1 : 0))
      }
      expect(await commits()).toEqual(expected)
      const graded = await claude(home, shop, fake.baseURL, '/grade good')
      expect(graded.result).toContain(`[agent-tracker] Graded ${git('rev-parse', 'HEAD').slice(0, 8)} (feat: r) of ${MAIN}: user good.`)

      const fresh = join(tempFolder('cc-import-'), 'imported.lmdb')
      const imported = await runCli(['import', 'claude-code', '--db', fresh, '--no-evidence', '--json'], { home })
      expect(imported.code, imported.stdout).toBe(0)
      expect(await commits(fresh)).toEqual(expected)
    } finally {
      await fake.close()
    }
  })

  it('tracks headless sessions through the installed hooks — calls, a commit and push, a failure, a subagent, tokens, the user grade, the .env guard and the halt — and the transcripts import to the same numbers', async () => {
    const home = tempFolder('cc-home-')
    const shop = project(tempFolder('cc-'))
    // No agent-tracker on PATH (as after npx or a project-local install): the hooks run this Node and the built bin by full paths.
    const installed = await runCli(['hooks', 'install', 'claude-code', '--global', '--json'], { home, cwd: shop, env: { PATH: '/nonexistent' } })
    expect(installed.code).toBe(0)
    expect(jsonData(installed.stdout, 'install')).toMatchObject({ commandSource: 'full-path', command: `'${process.execPath}' '${BIN}' hook claude-code` })
    const doctor = jsonData((await runCli(['doctor', '--json'], { home, cwd: shop })).stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }
    expect(doctor.checks.find((check) => check.name === 'Claude Code')).toMatchObject({ level: 'ok', detail: `hooks installed in ${join(home, '.claude', 'settings.json')} (they run ${process.execPath})` })
    const fake = await startFakeAnthropic({
      'WORK-TASK': [
        bash("echo a > a.txt && git add a.txt && git commit -m 'feat: a' && git push origin HEAD"),
        bash('ls /nonexistent-dir'),
        { tool: 'Read', input: { file_path: join(shop, '.env') } },
        { tool: 'Agent', input: { description: 'list files', prompt: 'SUBAGENT-WORK: list the files', subagent_type: 'general-purpose' } },
        { text: 'Committed, pushed and listed.' },
      ],
      'SUBAGENT-WORK': [bash('ls'), { text: 'Listed.' }],
      'HALTED-TASK': [bash('echo still working'), { text: 'Stopped.' }],
    })
    try {
      const work = await claude(home, shop, fake.baseURL, 'WORK-TASK: commit a file, push it and list the files')
      expect(work.code, work.result).toBe(0)
      expect(fake.toolResults.join('\n')).toContain('[main ')
      expect(fake.toolResults[2]).toContain(`agent-tracker blocked this Read call: it touches ${join(shop, '.env')}, a protected file.`)
      expect(fake.toolResults.join('\n')).not.toContain('sk-live-secret')
      const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: shop, encoding: 'utf8' }).trim()

      const asked = fake.requests
      const graded = await claude(home, shop, fake.baseURL, '/grade excellence "clean and pushed"')
      expect(graded.result).toContain(`[agent-tracker] Graded ${head.slice(0, 8)} (feat: a) of ${MAIN}: user excellence.`)
      expect(fake.requests).toBe(asked)

      const live = (): Promise<Setup[]> => liveSetups(home)
      const before = await live()
      expect(before.find((row) => row.setup === MAIN)?.state).toMatchObject({ toolCalls: 3, toolFailures: 1, commits: 1, pushes: 1, userGrades: { count: 1, sum: 5 } })
      expect(before.find((row) => row.setup === SUBAGENT)?.state).toMatchObject({ toolCalls: 1, toolFailures: 0, messages: 2 })
      expect(before.find((row) => row.setup === MAIN)?.state.messages).toBe(5)

      for (const note of ['broke the build', 'broke it again']) {
        const filed = await runCli(['bug', MAIN, '--note', note], { home })
        expect(filed.code, filed.stdout + filed.stderr).toBe(0)
      }
      expect((await live()).find((row) => row.setup === MAIN), 'two bugs take the setup to a halt before the next session').toMatchObject({ halted: true })
      const halted = await claude(home, shop, fake.baseURL, 'HALTED-TASK: keep working')
      expect(halted.code, halted.result).toBe(0)
      expect(fake.toolResults.at(-1)).toContain(`agent-tracker blocked this Bash call. ${MAIN} is halted: it lost all its skill points to reported bugs.`)
      expect(fake.toolResults.at(-1)).not.toContain('still working')

      const tracked = (await live()).map(numbers)
      expect(tracked).toContainEqual(expect.objectContaining({ setup: MAIN, toolCalls: 3, messages: 7, tokens: { input: 700, output: 140, reasoning: 0, cacheRead: 210, cacheWrite: 350 } }))
      const fresh = join(tempFolder('cc-import-'), 'imported.lmdb')
      const imported = await runCli(['import', 'claude-code', '--db', fresh, '--json'], { home })
      expect(imported.code, imported.stdout).toBe(0)
      // Two sessions did work: the one that ran /grade sent the model nothing.
      expect(jsonData(imported.stdout, 'import')).toMatchObject({ sources: [{ source: 'claude-code', sessions: 2, problemCount: 0 }] })
      const importedNumbers = (jsonData((await runCli(['status', '--db', fresh, '--json'], { home })).stdout, 'status') as Setup[]).map(numbers)
      expect(importedNumbers).toEqual(tracked)

      // The transcripts imported into the database the hooks wrote live, twice: nothing counts twice.
      for (let run = 0; run < 2; run++) {
        const again = await runCli(['import', 'claude-code', '--json'], { home })
        expect(again.code, again.stdout).toBe(0)
        const [summary] = (jsonData(again.stdout, 'import') as { sources: { facts: number; imported: number; repeats: number }[] }).sources
        expect(summary).toMatchObject({ imported: 0, repeats: summary?.facts })
        expect((await live()).map(numbers)).toEqual(tracked)
      }
    } finally {
      await fake.close()
    }
  })

  it('loses nothing when the database cannot be written: a push and a session’s usage wait beside it, and go in with the next session once it is fixed', async () => {
    const home = tempFolder('cc-home-')
    const root = tempFolder('cc-')
    const shop = project(root)
    const database = join(root, 'notes.txt')
    // The database path names a text file: every write of the hooks fails until the user moves it.
    writeFileSync(database, 'my notes\n')
    const env = { AGENT_TRACKER_DB: database }
    expect((await runCli(['hooks', 'install', 'claude-code', '--global'], { home, cwd: shop, env: { PATH: '/nonexistent' } })).code).toBe(0)
    const fake = await startFakeAnthropic({
      'BAD-DB': [bash("echo a > a.txt && git add a.txt && git commit -m 'feat: a'"), bash('git push origin HEAD'), { text: 'Pushed.' }],
      'FIXED-DB': [bash('echo hi'), { text: 'Said hi.' }],
    })
    try {
      const failed = await claude(home, shop, fake.baseURL, 'BAD-DB: commit and push', { env })
      expect(failed.code, failed.result).toBe(0)
      expect(execFileSync('git', ['rev-parse', 'main'], { cwd: join(root, 'shop.git'), encoding: 'utf8' })).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: shop, encoding: 'utf8' }))
      expect(readFileSync(database, 'utf8')).toBe('my notes\n')
      // The detached end of the turn may still be running: wait for the session's facts to settle in the pending folder.
      const waiting = async (): Promise<string | undefined> => (jsonData((await runCli(['doctor', '--json'], { home, cwd: shop, env })).stdout, 'doctor') as { checks: { name: string; detail: string }[] }).checks.find((check) => check.name === 'Claude Code')?.detail
      await expect.poll(waiting, { timeout: 20_000, interval: 300 }).toMatch(/\d+ facts the hooks read \(1 session, .*\) are not in the database yet — a write to the database failed/)
      renameSync(database, join(root, 'notes.moved'))
      const fixed = await claude(home, shop, fake.baseURL, 'FIXED-DB: say hi', { env })
      expect(fixed.code, fixed.result).toBe(0)
      const live = (): Promise<Setup[]> => liveSetups(home, env)
      await expect.poll(async () => (await live()).find((row) => row.setup === MAIN)?.state, { timeout: 20_000, interval: 300 }).toMatchObject({ toolCalls: 3, commits: 1, pushes: 1, messages: 5 })
      await expect.poll(waiting, { timeout: 20_000, interval: 300 }).not.toContain('not in the database yet')
      // What the hooks recorded is what the transcripts hold: an import adds nothing.
      const again = await runCli(['import', 'claude-code', '--json'], { home, env })
      const [summary] = (jsonData(again.stdout, 'import') as { sources: { facts: number; imported: number; repeats: number }[] }).sources
      expect(summary).toMatchObject({ imported: 0, repeats: summary?.facts })
    } finally {
      await fake.close()
    }
  })

  it('upgrades a database of release 0.1.0 in the first session after the update, and counts the session once beside what 0.1.0 recorded', async () => {
    const home = tempFolder('cc-home-')
    const root = tempFolder('cc-')
    const shop = project(root)
    const database = join(root, 'tracker.lmdb')
    const earlier = createFactScript({ setup: MAIN, project: shop, session: 'release-0.1.0', start: '2026-02-01T09:00:00.000Z', stepMs: 60_000 })
    await writeSchema1Database(database, { facts: [earlier.toolCall('bash'), earlier.toolCall('bash'), earlier.activity('checkout page')] })
    const env = { AGENT_TRACKER_DB: database }
    expect((await runCli(['hooks', 'install', 'claude-code', '--global'], { home, cwd: shop, env: { PATH: '/nonexistent' } })).code).toBe(0)
    const fake = await startFakeAnthropic({ 'OLD-DB': [bash("echo a > a.txt && git add a.txt && git commit -m 'feat: a'"), bash('git push origin HEAD'), { text: 'Pushed.' }] })
    try {
      const session = await claude(home, shop, fake.baseURL, 'OLD-DB: commit and push', { env })
      expect(session.code, session.result).toBe(0)
      // The push's hook, which Claude Code waits for, leaves the upgrade to the turn's detached Stop
      // (the hook's own tests show which run upgrades): the database is upgraded once that has run.
      const live = (): Promise<Setup[]> => liveSetups(home, env)
      await expect.poll(async () => (await live()).find((row) => row.setup === MAIN)?.state, { timeout: 30_000, interval: 300 }).toMatchObject({ toolCalls: 2 + 2, commits: 1, pushes: 1, messages: 3 })
      expect(readStoredSchema(database)?.schemaVersion).toBe(SCHEMA_VERSION)
      const { entries } = jsonData((await runCli(['activity', '--json'], { home, env })).stdout, 'activity') as { entries: { task: string }[] }
      expect(entries.map((entry) => entry.task)).toEqual(['checkout page'])
      // What the hooks recorded is what the transcript holds: an import adds nothing.
      const again = await runCli(['import', 'claude-code', '--json'], { home, env })
      const [summary] = (jsonData(again.stdout, 'import') as { sources: { facts: number; imported: number; repeats: number }[] }).sources
      expect(summary).toMatchObject({ imported: 0, repeats: summary?.facts })
    } finally {
      await fake.close()
    }
  })

  it('does not hold up a session that writes no transcript (--no-session-persistence), and doctor says its work went untracked', async () => {
    const home = tempFolder('cc-home-')
    const shop = project(tempFolder('cc-'))
    expect((await runCli(['hooks', 'install', 'claude-code', '--global'], { home, cwd: shop, env: { PATH: '/nonexistent' } })).code).toBe(0)
    const fake = await startFakeAnthropic({ 'NO-TRANSCRIPT': [bash('echo 1'), bash("echo a > a.txt && git add a.txt && git commit -m 'feat: np'"), { text: 'Committed.' }] })
    try {
      const run = await claude(home, shop, fake.baseURL, 'NO-TRANSCRIPT: commit', { args: ['--no-session-persistence'] })
      expect(run.code, run.result).toBe(0)
      expect(fake.toolResults.join('\n')).toContain('feat: np')
      expect(readdirSync(join(home, '.claude'), { recursive: true }).filter((name) => String(name).endsWith('.jsonl'))).toEqual([])
      const doctor = jsonData((await runCli(['doctor', '--json'], { home, cwd: shop })).stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }
      expect(doctor.checks.find((check) => check.name === 'Claude Code')).toMatchObject({ level: 'finding', detail: expect.stringContaining(`1 session in the last 30 days (the latest `) as unknown })
      expect(doctor.checks.find((check) => check.name === 'Claude Code')?.detail).toContain(`, in ${shop}) ran without a transcript (claude --no-session-persistence)`)
    } finally {
      await fake.close()
    }
  })
})
