import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SCHEMA_VERSION } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'
import { locateDataFile, openLmdbStore, readStoredSchema, recogniseDatabase } from '@agent-tracker/lmdb-store'
import { writeSchema1Database } from '@agent-tracker/lmdb-store/testing'
import { copyPredecessorProjectFiles, historyCounts, predecessorCentralHistory, readPredecessorFile, writePredecessorCentralDatabase } from '@agent-tracker/predecessor'
import { describe, expect, it } from 'vitest'
import { createProject, mapSizesOf, runOpencode, suiteFolder } from './harness.js'
import { CLI, SETUP, bash, head, readSetup } from './session-steps.js'

describe('agent-tracker inside the real opencode binary: its database', { timeout: 240_000 }, () => {
  const root = suiteFolder()

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

    // Past the limit: the batch is refused whole, and the plugin logs why (its full wording is
    // checked in src/plugin.test.ts).
    const full = await runOpencode({ root, project, pluginOptions, script: [bash('echo more'), ...PAST_LIMIT, { text: 'Finished regardless.' }] })
    expect(full.code).toBe(0)
    expect(full.output).toContain('Finished regardless.')
    for (const result of full.toolResults.slice(1)) expect(result).toContain('Logged.')
    expect((await readSetup(custom))?.state).toMatchObject({ toolCalls: 1, messages: 2 })
    expect(mapSizesOf(locateDataFile(custom).dataFile)).toEqual([1048576, 1048576])
    expect(full.log).toContain('DATABASE_FULL: The agent-tracker database')

    const elsewhere = join(root, 'never', 'tracker.lmdb')
    const invalid = await runOpencode({ root, project, pluginOptions: { databasePath: elsewhere, maxDatabaseSize: 10 }, script: [bash('echo still fine'), { text: 'Finished anyway.' }] })
    expect(invalid.code).toBe(0)
    expect(invalid.output).toContain('Finished anyway.')
    expect(invalid.toolResults[0]).toContain('still fine')
    expect(existsSync(elsewhere)).toBe(false)
    // The toast OpenCode shows with this line is not observable headless; src/plugin.test.ts checks it.
    expect(invalid.log).toContain('agent-tracker: tracking is paused — Invalid maxDatabaseSize 10: accepted is a whole number of bytes from 1048576 (1 MiB) to 2147483648 (2 GiB)')
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
    expect(run.log).toContain("agent-tracker: upgraded the predecessor's database to agent-tracker's")
  })

  it('9b. upgrades a database of release 0.1.0 in a worker thread on the first start, keeps its records, and tracks the session into it', async () => {
    const project = createProject(root, 'schema-one')
    const databasePath = join(root, 'release-0.1.0.lmdb')
    const earlier = createFactScript({ setup: SETUP, project, start: '2026-02-01T09:00:00.000Z', stepMs: 60_000, session: 'ses_earlier' })
    const facts = Array.from({ length: 40 }, (_, i) => [earlier.activity(`earlier task ${String(i)}`), earlier.toolCall('bash'), earlier.commit(`e${String(i).padStart(3, '0')}c0ffee`, `earlier change ${String(i)}`)]).flat()
    await writeSchema1Database(databasePath, { facts })
    expect(readStoredSchema(databasePath)?.schemaVersion).toBe(1)
    const run = await runOpencode({ root, project, pluginOptions: { databasePath }, script: [bash('echo after the upgrade'), { text: 'Done.' }] })
    expect(run.code).toBe(0)
    expect(readStoredSchema(databasePath)?.schemaVersion).toBe(SCHEMA_VERSION)
    const store = openLmdbStore({ databasePath, readOnly: true })
    expect(await store.find('commits')).toHaveLength(40)
    expect(await store.find('activities')).toHaveLength(40)
    // The 40 tool calls of release 0.1.0 and the session's one.
    expect((await store.get('setups', [SETUP]))?.state.toolCalls).toBe(41)
    await store.close()
    const { log } = run
    expect(log).toContain('agent-tracker is upgrading its database from release 0.1.0 (')
    expect(log).toMatch(/agent-tracker upgraded its database from release 0\.1\.0: \d+ records in [\d.]+ s\./)
    expect(log).not.toContain('could not upgrade its database in a worker thread')
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
