import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { locateDataFile, openLmdbStore, recogniseDatabase } from '@agent-tracker/lmdb-store'
import { copyPredecessorProjectFiles, historyCounts, predecessorCentralHistory, readPredecessorFile, writePredecessorCentralDatabase } from '@agent-tracker/predecessor'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Step } from './fake-llm.js'
import { createProject, mapSizesOf, opencodeLog, runOpencode, suiteFolder } from './harness.js'

const SETUP = 'build@fake/m1'
const CLI = fileURLToPath(new URL('../../../cli/bin/agent-tracker.js', import.meta.url))
const bash = (command: string): Step => ({ tool: 'bash', args: { command, description: command.slice(0, 40) } })
const head = (project: string, ref = 'HEAD'): string => execFileSync('git', ['rev-parse', ref], { cwd: project, encoding: 'utf8' }).trim()

async function readSetup(databasePath: string) {
  const store = openLmdbStore({ databasePath, readOnly: true })
  try {
    return await store.get('setups', [SETUP])
  } finally {
    await store.close()
  }
}

describe('agent-tracker inside the real opencode binary', { timeout: 240_000 }, () => {
  let root: string
  let cleanup: () => void
  beforeAll(() => {
    ;({ root, cleanup } = suiteFolder())
  })
  // The suite folder holds every run's OpenCode install (node_modules): removing it can take
  // longer than vitest's 10 s hook default on a busy machine.
  afterAll(() => {
    cleanup()
  }, 120_000)

  it('1. records both commits of build@fake/m1 (one made with git commit -q) with their hashes, and the push flushes them mid-session', async () => {
    const project = createProject(root, 'shop')
    const databasePath = join(root, 'one.lmdb')
    const run = await runOpencode({
      root, project, pluginOptions: { databasePath },
      script: [
        bash("echo cart > cart.txt && git add -A && git commit -m 'feat: add cart'"),
        bash("echo total > total.txt && git add -A && git commit -q -m 'feat: quiet total'"),
        bash('git push origin main'),
        bash(`node ${CLI} status ${SETUP} --json --db ${databasePath}`),
        { text: 'Pushed.' },
      ],
    })
    expect(run.code).toBe(0)
    const [cart, total] = [head(project, 'HEAD~1'), head(project)]
    // Read by another process while the session was still running: the push had already flushed.
    const midSession = JSON.parse(run.toolResults[3] ?? '{}') as { command?: string; data?: { state?: { commits: number; pushes: number } } }
    expect(midSession).toMatchObject({ command: 'status', data: { state: { commits: 2, pushes: 1 } } })
    const store = openLmdbStore({ databasePath, readOnly: true })
    expect(await store.get('commits', [project, cart])).toMatchObject({ setup: SETUP, hash: cart, message: 'feat: add cart' })
    expect(await store.get('commits', [project, total])).toMatchObject({ setup: SETUP, hash: total, message: 'feat: quiet total' })
    expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ commits: 2, pushes: 1, toolCalls: 4, skillPoints: 2, experience: 2.4 })
    expect(await store.get('projects', [project])).toMatchObject({ name: 'shop' })
    await store.close()
  })

  it('2. keeps every fact of a session that exits without a push (flushed on dispose and exit)', async () => {
    const project = createProject(root, 'notes')
    const databasePath = join(root, 'two.lmdb')
    const run = await runOpencode({
      root, project, pluginOptions: { databasePath },
      script: [bash('echo fine'), bash('exit 3'), { tool: 'read', args: { filePath: join(project, 'README.md') } }, { tool: 'read', args: { filePath: join(project, 'missing.md') } }, { text: 'Done.' }],
    })
    expect(run.code).toBe(0)
    const setup = await readSetup(databasePath)
    expect(setup?.state).toMatchObject({ toolCalls: 4, toolFailures: 2, commits: 0, pushes: 0, messages: 5 })
    expect(setup?.state.tokens).toMatchObject({ input: 5000, output: 250 })
  })

  it('3. /grade takes the user grade from the user; the agent grades itself through its tool, which cannot carry a user grade; the other agent tools land in the database', async () => {
    const project = createProject(root, 'api')
    const databasePath = join(root, 'three.lmdb')
    const pluginOptions = { databasePath }
    await runOpencode({ root, project, pluginOptions, script: [bash("echo api > api.txt && git add -A && git commit -m 'feat: api'"), { text: 'Committed.' }] })
    const hash = head(project)
    const graded = await runOpencode({ root, project, pluginOptions, command: { name: 'grade', arguments: 'excellence "clean and tested"' }, script: [{ text: 'Thanks!' }] })
    expect(graded.code).toBe(0)
    expect(graded.prompts[0]).toContain(`[agent-tracker] Graded ${hash.slice(0, 8)} (feat: api) of ${SETUP}: user excellence.`)
    const agent = await runOpencode({
      root, project, pluginOptions,
      script: [
        { tool: 'tracker_self_grade', args: { grade: 'bad', userGrade: 5 } },
        { tool: 'tracker_self_grade', args: { grade: 'good', note: 'solid work' } },
        { tool: 'tracker_prior_art', args: { task: 'the api' } },
        { tool: 'tracker_retrospective', args: { note: 'write the test first', task: 'the api' } },
        { tool: 'tracker_log_activity', args: { task: 'api endpoint', actions: 'added api.txt', outcome: 'committed', decisions: 'kept it small' } },
        { tool: 'tracker_report_bug', args: { note: 'api returns 500 on empty input' } },
        { tool: 'tracker_status', args: {} },
        { text: 'OK.' },
      ],
    })
    expect(agent.code).toBe(0)
    expect(agent.toolResults[0]).toContain('tracker_self_grade records only your own grade. The user grade comes from the user (/grade or the agent-tracker CLI)')
    expect(agent.toolResults[1]).toContain(`Recorded your grade good for ${hash.slice(0, 8)} (feat: api). The user's grade comes separately.`)
    expect(agent.toolResults[2]).toContain('Patterns to repeat (1):\n- feat: api (user grade excellence) — api')
    expect(agent.toolResults[3]).toContain(`Retrospective noted for ${hash.slice(0, 8)}.`)
    expect(agent.toolResults[4]).toContain('Logged.')
    expect(agent.toolResults[5]).toContain('Bug recorded.')
    expect(agent.toolResults[6]).toContain(SETUP)
    expect(agent.toolResults[6]).toContain('HALTED')
    const store = openLmdbStore({ databasePath, readOnly: true })
    expect(await store.get('retrospectives', [SETUP, hash])).toMatchObject({ agentGrade: 2, userGrade: 5, userNote: 'clean and tested', agentNote: 'solid work\nwrite the test first', task: 'the api', scoreBefore: 60, scoreAfter: 67 })
    expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ communication: 67, userGrades: { count: 1, sum: 5 }, agentGrades: { count: 1, sum: 2 }, bugs: 1, skillPoints: 0 })
    expect(await store.find('activities')).toEqual([expect.objectContaining({ setup: SETUP, project, task: 'api endpoint', actions: 'added api.txt', outcome: 'committed', decisions: 'kept it small' })])
    expect(await store.find('bugs')).toEqual([expect.objectContaining({ setup: SETUP, by: 'agent', note: 'api returns 500 on empty input' })])
    await store.close()
  })

  it('4. a setup whose bugs took all its skill points is blocked with the reason, until /reinstate', async () => {
    const project = createProject(root, 'halt')
    const databasePath = join(root, 'four.lmdb')
    const pluginOptions = { databasePath }
    await runOpencode({ root, project, pluginOptions, script: [bash("echo x > x.txt && git add -A && git commit -m 'feat: x'"), { text: 'Done.' }] })
    const bug = await runOpencode({ root, project, pluginOptions, command: { name: 'bug', arguments: '"broke the build"' }, script: [{ text: 'Sorry.' }] })
    expect(bug.prompts[0]).toContain('HALTED')
    expect((await readSetup(databasePath))?.state).toMatchObject({ skillPoints: 0, bugs: 1 })
    const blocked = await runOpencode({ root, project, pluginOptions, script: [bash('echo still working'), { text: 'Stopping.' }] })
    expect(blocked.toolResults[0]).toContain(`agent-tracker blocked this bash call. ${SETUP} is halted: it lost all its skill points to reported bugs. The user can reinstate it with /reinstate (or: agent-tracker reinstate ${SETUP}).`)
    expect(blocked.toolResults[0]).not.toContain('still working')
    const reinstated = await runOpencode({ root, project, pluginOptions, command: { name: 'reinstate', arguments: '' }, script: [{ text: 'Thanks.' }] })
    expect(reinstated.prompts[0]).toContain(`${SETUP} is reinstated and may work again.`)
    const working = await runOpencode({ root, project, pluginOptions, script: [bash('echo back to work'), { text: 'Done.' }] })
    expect(working.toolResults[0]).toContain('back to work')
    expect((await readSetup(databasePath))?.state).toMatchObject({ skillPoints: 1, bugs: 1 })
  })

  it('5. blocks cat .env, read .env and globs that reach it; lets .env.example and a mere mention of .env through', async () => {
    const project = createProject(root, 'secrets', { '.env.example': 'API_KEY=changeme\n' })
    execFileSync('sh', ['-c', 'echo API_KEY=sk-live-secret > .env'], { cwd: project })
    const run = await runOpencode({
      root, project, pluginOptions: { databasePath: join(root, 'five.lmdb') },
      script: [
        bash('cat .env'),
        { tool: 'read', args: { filePath: join(project, '.env') } },
        { tool: 'read', args: { filePath: join(project, '.env.example') } },
        bash('cat .e?v'),
        { tool: 'glob', args: { pattern: '**/.env*' } },
        { tool: 'write', args: { filePath: join(project, 'SETUP.md'), content: 'Copy .env.example to config/.env\n' } },
        { text: 'OK.' },
      ],
    })
    expect(run.code).toBe(0)
    expect(run.toolResults[0]).toContain('agent-tracker blocked this bash call: it touches .env, a protected file.')
    expect(run.toolResults[1]).toContain(`agent-tracker blocked this read call: it touches ${join(project, '.env')}, a protected file.`)
    expect(run.toolResults[2]).toContain('API_KEY=changeme')
    expect(run.toolResults[3]).toContain('agent-tracker blocked this bash call: it touches .env, a protected file.')
    expect(run.toolResults[4]).toContain('agent-tracker blocked this glob call: it touches **/.env*, a protected file.')
    expect(readFileSync(join(project, 'SETUP.md'), 'utf8')).toBe('Copy .env.example to config/.env\n')
    expect(run.toolResults.join('\n')).not.toContain('sk-live-secret')
    // The blocked calls never ran: no calls, and no failures (as in Claude Code) — the read of .env.example and the write are.
    expect((await readSetup(join(root, 'five.lmdb')))?.state).toMatchObject({ toolCalls: 2, toolFailures: 0 })
  })

  it('6. two opencode processes in two projects, each flushing after every fact, writing one database at the same time lose nothing', async () => {
    const databasePath = join(root, 'six.lmdb')
    const work = (name: string) => {
      const project = createProject(root, name)
      return runOpencode({
        root, project, pluginOptions: { databasePath, flush: { maxPending: 1 } },
        script: [...Array.from({ length: 6 }, (_, i) => bash(`echo ${name} ${String(i)}`)), bash(`echo ${name} > ${name}.txt && git add -A && git commit -m 'feat: ${name}'`), bash('git push origin main'), { text: 'Done.' }],
      })
    }
    const runs = await Promise.all([work('left'), work('right')])
    expect(runs.map((run) => run.code), runs.map((run) => run.output.slice(-2000)).join('\n---\n')).toEqual([0, 0])
    const store = openLmdbStore({ databasePath, readOnly: true })
    expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 16, toolFailures: 0, commits: 2, pushes: 2, messages: 18 })
    expect(await store.find('commits')).toHaveLength(2)
    expect(await store.find('projects')).toHaveLength(2)
    await store.close()
  })

  /** Five activities just under the 256 KiB a text field may hold: together past a 1 MiB limit. */
  const PAST_LIMIT = Array.from({ length: 5 }, (_, i) => ({ tool: 'tracker_log_activity', args: { task: String(i).repeat(250_000) } }))

  it('7. honours databasePath and maxDatabaseSize (the map LMDB opened, and a write past it refused); an invalid size pauses tracking, never the session', async () => {
    const project = createProject(root, 'options')
    const custom = join(root, 'custom', 'place', 'tracker.lmdb')
    const pluginOptions = { databasePath: custom, maxDatabaseSize: 1048576 }
    const honoured = await runOpencode({ root, project, pluginOptions, script: [bash('echo hi'), { text: 'Done.' }] })
    expect(honoured.code).toBe(0)
    expect((await readSetup(custom))?.state.toolCalls).toBe(1)
    expect(mapSizesOf(locateDataFile(custom).dataFile)).toEqual([1048576, 1048576])

    // Past the limit: the batch is refused whole (the typed DATABASE_FULL log line is checked in
    // src/plugin.test.ts: OpenCode drops plugin log lines sent this close to its exit).
    const full = await runOpencode({ root, project, pluginOptions, script: [bash('echo more'), ...PAST_LIMIT, { text: 'Finished regardless.' }] })
    expect(full.code).toBe(0)
    expect(full.output).toContain('Finished regardless.')
    for (const result of full.toolResults.slice(1)) expect(result).toContain('Logged.')
    expect((await readSetup(custom))?.state).toMatchObject({ toolCalls: 1, messages: 2 })
    expect(mapSizesOf(locateDataFile(custom).dataFile)).toEqual([1048576, 1048576])

    const elsewhere = join(root, 'never', 'tracker.lmdb')
    const invalid = await runOpencode({ root, project, pluginOptions: { databasePath: elsewhere, maxDatabaseSize: 10 }, script: [bash('echo still fine'), { text: 'Finished anyway.' }] })
    expect(invalid.code).toBe(0)
    expect(invalid.output).toContain('Finished anyway.')
    expect(invalid.toolResults[0]).toContain('still fine')
    expect(existsSync(elsewhere)).toBe(false)
    // The toast OpenCode shows with this line is not observable headless; src/plugin.test.ts checks it.
    expect(opencodeLog(root)).toContain('agent-tracker: tracking is paused — Invalid maxDatabaseSize 10: accepted is a whole number of bytes from 1048576 (1 MiB) to 2147483648 (2 GiB)')
  })

  it('8. imports a hand-written .agent/status.json (the predecessor\'s own) on start and keeps it; a CLI migrate of the folder afterwards adds nothing', async () => {
    const project = createProject(root, 'predecessor')
    copyPredecessorProjectFiles(project)
    const original = readPredecessorFile('status')
    const databasePath = join(root, 'eight.lmdb')
    const run = await runOpencode({ root, project, pluginOptions: { databasePath }, script: [bash("echo work > work.txt && git add work.txt && git commit -m 'feat: work'"), { text: 'Done.' }] })
    expect(run.code).toBe(0)
    const store = openLmdbStore({ databasePath, readOnly: true })
    // The file's scores, with the grades of the journal's 13 graded retrospectives.
    expect((await store.get('setups', ['AgentTracker-Core']))?.state).toMatchObject({ skillPoints: 2.7, experience: 26.7, communication: 6, commits: 46, bugs: 3, userGrades: { count: 13 } })
    expect(await store.find('activities')).toHaveLength(22)
    await store.close()
    // Not lost: kept byte for byte beside the export that took its place.
    expect(readFileSync(join(project, '.agent', 'status.legacy.json'), 'utf8')).toBe(original)
    expect(JSON.parse(readFileSync(join(project, '.agent', 'status.json'), 'utf8'))).toMatchObject({ written_by: 'agent-tracker', setup: SETUP })
    const migrate = (...args: string[]) => (JSON.parse(execFileSync(process.execPath, [CLI, 'migrate', project, '--db', databasePath, '--json', ...args], { encoding: 'utf8' })) as { data: { folders: { files: { outcome: string; migrated: number } }[]; issues: number } }).data
    expect(migrate()).toMatchObject({ folders: [{ files: { outcome: 'done-before' } }], issues: 0 })
    expect(migrate('--again')).toMatchObject({ folders: [{ files: { outcome: 'migrated', migrated: 0 } }], issues: 0 })
  })

  it('9. upgrades the predecessor\'s central database at the default path on the first start, and tracks the session into it', async () => {
    const project = createProject(root, 'upgrade')
    const databasePath = join(root, 'home', '.config', 'opencode', 'agent-tracker.lmdb')
    expect(writePredecessorCentralDatabase(databasePath, predecessorCentralHistory()).available).toBe(true)
    const run = await runOpencode({ root, project, pluginOptions: {}, script: [bash('echo upgraded'), { text: 'Done.' }] })
    expect(run.code).toBe(0)
    expect(recogniseDatabase(databasePath).kind).toBe('agent-tracker')
    const store = openLmdbStore({ databasePath, readOnly: true })
    expect(await store.find('commits')).toHaveLength(historyCounts(predecessorCentralHistory()).commits ?? -1)
    expect((await store.get('setups', [SETUP]))?.state.toolCalls).toBe(1)
    await store.close()
    expect(readdirSync(join(databasePath, '..')).filter((name) => name.startsWith('agent-tracker.lmdb.predecessor-'))).toHaveLength(1)
    expect(opencodeLog(root)).toContain("agent-tracker: upgraded the predecessor's database to agent-tracker's")
  })

  it('10. git evidence: a human fix of lines the agent committed is a suspected bug of its setup; /bug lists it, bug --confirm makes it a bug (SP −1), and running evidence again adds nothing', async () => {
    const project = createProject(root, 'evidence')
    const databasePath = join(root, 'ten.lmdb')
    const pluginOptions = { databasePath }
    const write = "printf 'export function total(items) {\\n  return items.length\\n}\\n' > cart.js"
    const agent = await runOpencode({ root, project, pluginOptions, script: [bash(`${write} && git add -A && git commit -m 'feat: cart total'`), { text: 'Committed.' }] })
    expect(agent.code).toBe(0)
    const agentCommit = head(project)
    writeFileSync(join(project, 'cart.js'), 'export function total(items) {\n  return items.reduce((sum, item) => sum + item.price, 0)\n}\n')
    execFileSync('git', ['-c', 'user.name=Human', '-c', 'user.email=human@example.com', 'commit', '-q', '-am', 'fix: the total sums prices'], { cwd: project })
    const fix = head(project)
    const cli = (...args: string[]): string => execFileSync(process.execPath, [CLI, ...args, '--db', databasePath], { cwd: project, encoding: 'utf8' })

    // `--json` prints the envelope { version, command, data } (docs/json-output.md).
    const evidenceData = (): unknown => (JSON.parse(cli('evidence', project, '--json')) as { command: string; data: unknown }).data
    const found = evidenceData() as { setups: { setup: string; suspectedBugs: number; pending: number }[]; pending: { handle: string; commit: string; source: string }[] }
    expect(found.setups).toEqual([expect.objectContaining({ setup: SETUP, suspectedBugs: 1, pending: 1 })])
    expect(found.pending).toEqual([expect.objectContaining({ commit: agentCommit, source: fix })])
    const handle = found.pending[0]?.handle ?? ''

    const listed = await runOpencode({ root, project, pluginOptions, command: { name: 'bug', arguments: '' }, script: [{ text: 'I will look.' }] })
    expect(listed.prompts[0]).toContain(`- ${handle}: commit ${agentCommit.slice(0, 8)} of ${SETUP}; fix ${fix.slice(0, 8)} "fix: the total sums prices" changed 1 of its lines`)
    const before = (await readSetup(databasePath))?.state
    expect(before?.bugs).toBe(0)

    expect(cli('bug', '--confirm', handle)).toContain(`Confirmed suspected bug ${handle}`)
    expect((await readSetup(databasePath))?.state).toMatchObject({ bugs: 1, skillPoints: (before?.skillPoints ?? 0) - 1 })
    const again = evidenceData() as { scans: { recorded: number }[]; setups: { suspectedBugs: number; confirmed: number; pending: number }[] }
    expect(again.scans).toEqual([expect.objectContaining({ recorded: 0 })])
    expect(again.setups).toEqual([expect.objectContaining({ suspectedBugs: 1, confirmed: 1, pending: 0 })])
    const store = openLmdbStore({ databasePath, readOnly: true })
    expect(await store.find('evidence')).toHaveLength(1)
    expect(await store.find('bugs')).toEqual([expect.objectContaining({ setup: SETUP, by: 'user', commit: agentCommit })])
    await store.close()
  })

  it('11. a session started in a subfolder works on the repository: its commit is recorded under the repository root, and /grade from the root grades the newest one', async () => {
    const project = createProject(root, 'monorepo')
    const src = join(project, 'src')
    mkdirSync(src)
    const databasePath = join(root, 'eleven.lmdb')
    const pluginOptions = { databasePath }
    const atRoot = await runOpencode({ root, project, pluginOptions, script: [bash("echo a > a.txt && git add a.txt && git commit -m 'feat: a at root'"), { text: 'Committed.' }] })
    expect(atRoot.code, atRoot.output).toBe(0)
    const inSrc = await runOpencode({ root, project: src, pluginOptions, script: [bash("echo s > s.txt && git add s.txt && git commit -m 'feat: s in src'"), { text: 'Committed.' }] })
    expect(inSrc.code, inSrc.output).toBe(0)
    const newest = head(project)
    expect(execFileSync('git', ['log', '-1', '--format=%s'], { cwd: project, encoding: 'utf8' }).trim()).toBe('feat: s in src')

    const graded = await runOpencode({ root, project, pluginOptions, command: { name: 'grade', arguments: 'good' }, script: [{ text: 'Thanks!' }] })
    expect(graded.code).toBe(0)
    expect(graded.prompts[0]).toContain(`[agent-tracker] Graded ${newest.slice(0, 8)} (feat: s in src) of ${SETUP}: user good.`)
    const store = openLmdbStore({ databasePath, readOnly: true })
    try {
      expect((await store.find('projects')).map((record) => record.path)).toEqual([project])
      expect((await store.find('commits')).map((record) => [record.project, record.message]).sort()).toEqual([[project, 'feat: a at root'], [project, 'feat: s in src']])
    } finally {
      await store.close()
    }
  })

  it('12. a commit amended in the session (git commit --amend) is one commit: the amended hash, counted once, its self-grade with it; history, report and doctor --check agree', async () => {
    const project = createProject(root, 'lint')
    const databasePath = join(root, 'twelve.lmdb')
    const run = await runOpencode({
      root, project, pluginOptions: { databasePath },
      script: [
        bash("echo cart > cart.txt && git add -A && git commit -m 'feat: cart'"),
        { tool: 'tracker_self_grade', args: { grade: 'good', note: 'small and tested' } },
        bash("echo 'lint: fixed' >> cart.txt && git commit -a --amend -m 'feat: cart, linted'"),
        { text: 'Amended.' },
      ],
    })
    expect(run.code, run.output).toBe(0)
    const amended = head(project)
    const first = run.toolResults[1]?.match(/Recorded your grade good for ([0-9a-f]{8})/)?.[1] ?? ''
    expect(first).toMatch(/^[0-9a-f]{8}$/)
    expect(amended.startsWith(first)).toBe(false)
    const store = openLmdbStore({ databasePath, readOnly: true })
    try {
      const commits = await store.find('commits')
      expect(commits).toEqual([expect.objectContaining({ setup: SETUP, hash: amended, message: 'feat: cart, linted' })])
      expect(commits[0]?.amends?.startsWith(first)).toBe(true)
      expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ commits: 1, toolCalls: 2, agentGrades: { count: 1, sum: 2 } })
      expect(await store.find('retrospectives')).toEqual([expect.objectContaining({ commit: amended, agentGrade: 2, agentNote: 'small and tested' })])
      expect((await store.find('gradeEvents')).map((event) => event.commit)).toEqual([amended])
      expect((await store.find('usage')).map((day) => day.commits)).toEqual([1])
    } finally {
      await store.close()
    }
    const cli = (...args: string[]): unknown => JSON.parse(execFileSync(process.execPath, [CLI, ...args, '--json', '--db', databasePath], { encoding: 'utf8' }))
    const history = cli('history', SETUP) as { data: { entries: { kind: string; summary: string }[] } }
    expect(history.data.entries.filter((entry) => entry.kind === 'commit').map((entry) => entry.summary)).toEqual([`${amended.slice(0, 8)} feat: cart, linted`])
    expect(history.data.entries.filter((entry) => entry.kind === 'grade').map((entry) => entry.summary.slice(0, 8))).toEqual([amended.slice(0, 8)])
    const report = cli('report') as { data: { setups: { setup: string; commits: number }[] } }
    expect(report.data.setups.map((row) => [row.setup, row.commits])).toEqual([[SETUP, 1]])
    let doctor: { data: { checks: { name: string; level: string; detail: string; drift?: unknown[] }[] } }
    try {
      doctor = JSON.parse(execFileSync(process.execPath, [CLI, 'doctor', '--check', '--json', '--db', databasePath], { cwd: project, encoding: 'utf8' })) as typeof doctor
    } catch (error) {
      // doctor exits 1 for a problem elsewhere (Claude Code's hooks, say); its JSON still says what it found.
      doctor = JSON.parse(String((error as { stdout?: unknown }).stdout)) as typeof doctor
    }
    expect(doctor.data.checks.find((entry) => entry.name === 'Rollups')).toMatchObject({ level: 'ok', drift: [] })
  })
})
