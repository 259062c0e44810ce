import type { PostgresServer } from '@agent-tracker/postgres-store/testing'
import { startPostgresServer } from '@agent-tracker/postgres-store/testing'
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { hostname, userInfo } from 'node:os'
import { join } from 'node:path'
import { predecessorCentralHistory, writePredecessorCentralDatabase } from '@agent-tracker/predecessor'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { envelope, factLine, jsonData, jsonError, runCli, tempFolder } from './run-cli.js'
import type { Seeded } from './seed.js'
import { GPT, SONNET, seedHistory } from './seed.js'

/** The little of `pg` (a dependency of the CLI, without types here) the tests use to grant rights as the server's superuser. */
interface AdminClient {
  connect(): Promise<void>
  query(statement: string): Promise<unknown>
  end(): Promise<void>
}
const { Client } = createRequire(import.meta.url)('pg') as { Client: new (config: { connectionString: string }) => AdminClient }

let server: PostgresServer
let seeded: Seeded
let env: Record<string, string>

beforeAll(async () => {
  server = await startPostgresServer()
  seeded = await seedHistory()
  env = { AGENT_TRACKER_TEAM_URL: server.url, AGENT_TRACKER_TEAM_SCHEMA: 'team_cli', AGENT_TRACKER_TEAM_MEMBER: 'ana' }
  expect((await runCli(['projects', '--refresh', '--db', seeded.db])).code).toBe(0)
  // Git evidence travels with the facts (here from another host, through ingest): a fix that changed lines of one of Sonnet's commits.
  const evidence = { setup: SONNET, project: seeded.shop, kind: 'evidence', signal: 'suspected-bug', commit: '5a1b0c0ffee', source: 'f1x0000000', subject: 'fix cart rounding', files: ['cart.ts'], lines: 3, pattern: 'fix', at: '2026-03-03T10:00:00.000Z' }
  expect((await runCli(['ingest', '--db', seeded.db], { input: factLine(evidence) })).code).toBe(0)
}, 120_000)

afterAll(async () => {
  await server.destroy()
})

describe('sync and team reads', () => {
  it('sends every fact once; a second sync sends nothing', async () => {
    const first = await runCli(['sync', '--db', seeded.db, '--json'], { env })
    expect(first.code, first.stderr).toBe(0)
    const sent = jsonData(first.stdout, 'sync') as { sent: number; applied: number; repeats: number; acknowledged: number; local: number; member: string }
    expect(sent).toMatchObject({ member: 'ana', repeats: 0 })
    expect(sent.sent).toBeGreaterThan(30)
    expect(sent.acknowledged).toBe(sent.local)
    const again = await runCli(['sync', '--db', seeded.db], { env })
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`Up to date with ${server.url}`)
  })

  it('answers every read command from the team database as the machine that synced answers it', async () => {
    const reads = [
      ['agents'], ['agents', '--setup', SONNET], ['report'], ['report', '--since', '2026-03-02', '--model', 'gpt-5'], ['report', '--setup', GPT], ['status', SONNET], ['history', SONNET], ['projects'],
      ['retro'], ['activity'], ['search', 'stripe', 'webhook'], ['recommend', seeded.shop], ['evidence', '--list'], ['export', '--format', 'jsonl'], ['export', '--format', 'csv'],
    ]
    for (const args of reads) {
      const output = args[0] === 'export' ? [] : ['--json']
      const local = await runCli([...args, '--db', seeded.db, ...output], { cwd: seeded.root })
      const team = await runCli([...args, '--team', ...output], { env, cwd: seeded.root })
      expect(team.code, `${args.join(' ')}: ${team.stderr}`).toBe(0)
      // `recommend` profiles the folder it is given afresh on each run.
      const timeless = (stdout: string): string => stdout.replace(/"profiledAt": "[^"]*"/g, '"profiledAt": "…"')
      expect(timeless(team.stdout), args.join(' ')).toEqual(timeless(local.stdout))
    }
    // The evidence synced with the facts: its setup's share, and the suspected bug waiting for a verdict.
    const listed = await runCli(['evidence', '--list', '--team'], { env, cwd: seeded.root })
    expect(listed.stdout).toContain('fix cart rounding')
    expect(listed.stdout).toContain(SONNET)
    // --db postgres://… names the team database directly.
    const named = await runCli(['agents', '--db', server.url, '--json'], { env: { AGENT_TRACKER_TEAM_SCHEMA: 'team_cli' } })
    expect(named.stdout).toEqual((await runCli(['agents', '--db', seeded.db, '--json'])).stdout)
  })

  it('recommends from the team database exactly as from the database that synced, whatever order the records were written in', async () => {
    const root = tempFolder('cleo-')
    const db = join(root, 'tracker.lmdb')
    const [web, site] = [join(root, 'web'), join(root, 'site')]
    for (const folder of [web, site]) {
      mkdirSync(folder)
      writeFileSync(join(folder, 'package.json'), JSON.stringify({ dependencies: { react: '19' }, devDependencies: { typescript: '5' } }))
    }
    // Setups first seen in the reverse of their ids' order, their days interleaved across two projects.
    const setups = ['zeta@acme/m-3', 'mid@acme/m-2', 'alpha@acme/m-1']
    const lines: string[] = []
    let n = 0
    for (let day = 1; day <= 6; day++) {
      for (const [index, setup] of setups.entries()) {
        for (const project of day % 2 === 0 ? [site, web] : [web, site]) {
          n += 1
          const hash = `c0de${String(n).padStart(4, '0')}`
          const at = (minute: number): string => new Date(Date.UTC(2026, 2, day, 9 + index, minute)).toISOString()
          lines.push(factLine({ setup, project, kind: 'commit', hash, message: `change ${String(n)}`, at: at(project === web ? 1 : 2) }))
          lines.push(factLine({ setup, project, kind: 'grade', commit: hash, by: 'user', userGrade: ['bad', 'neutral', 'good', 'excellence'][(n * (index + 1)) % 4] ?? 'good', at: at(project === web ? 3 : 4) }))
        }
      }
    }
    expect((await runCli(['ingest', '--trust', '--db', db], { input: `${lines.join('\n')}\n` })).code).toBe(0)
    // A schema of its own: the other tests count the setups and members of theirs.
    const own = { ...env, AGENT_TRACKER_TEAM_SCHEMA: 'team_order', AGENT_TRACKER_TEAM_MEMBER: 'cleo' }
    expect((await runCli(['sync', '--db', db], { env: own })).code).toBe(0)
    const local = await runCli(['recommend', web, '--db', db, '--json'])
    const team = await runCli(['recommend', web, '--team', '--member', 'cleo', '--json'], { env: own })
    expect(team.code, team.stderr).toBe(0)
    const answer = (stdout: string): unknown => (jsonData(stdout.replace(/"profiledAt": "[^"]*"/g, '"profiledAt": "…"'), 'recommend') as { setups: unknown[] }).setups
    expect((answer(local.stdout) as unknown[]).length).toBe(3)
    expect(answer(team.stdout)).toEqual(answer(local.stdout))
  })

  it('filters by member, and names the members when asked for one who never synced', async () => {
    const ben = `${tempFolder('ben-')}/tracker.lmdb`
    const facts = [{ kind: 'commit', setup: 'plan@google/gemini-2.5-pro', project: '/home/ben/app', hash: 'beef0001', message: 'init', at: '2026-03-05T10:00:00.000Z' }]
    expect((await runCli(['ingest', '--db', ben], { input: facts.map(factLine).join('\n') })).code).toBe(0)
    expect((await runCli(['sync', '--db', ben], { env: { ...env, AGENT_TRACKER_TEAM_MEMBER: 'ben' } })).code).toBe(0)
    const setups = async (...args: string[]): Promise<string[]> =>
      ((jsonData((await runCli(['agents', '--team', '--json', ...args], { env })).stdout, 'agents') as { status: { setup: string } }[]).map((row) => row.status.setup)).sort()
    expect(await setups()).toEqual([SONNET, GPT, 'plan@google/gemini-2.5-pro'].sort())
    expect(await setups('--member', 'ben')).toEqual(['plan@google/gemini-2.5-pro'])
    expect(await setups('--member', 'ana')).toEqual([SONNET, GPT].sort())
    const unknown = await runCli(['report', '--team', '--member', 'carol'], { env })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('No member "carol" has synced to the team database; members: ana, ben.')
  })

  it('explains what is missing or wrong, and never writes to the team database from a write command', async () => {
    const none = await runCli(['report', '--team'])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('No team database is configured: set AGENT_TRACKER_TEAM_URL')
    expect((await runCli(['sync', '--db', seeded.db])).stderr).toContain('No team database is configured')
    for (const args of [['retro', SONNET, '--note', 'x'], ['evidence', seeded.shop]]) {
      const write = await runCli([...args, '--team'], { env })
      expect(write.code, args.join(' ')).toBe(2)
      expect(write.stderr).toContain("--team reads the team database; this command writes to this machine's database")
    }
    const member = await runCli(['agents', '--member', 'ana', '--db', seeded.db])
    expect(member.code).toBe(2)
    expect(member.stderr).toContain('--member filters the team database: add --team')
    const down = await runCli(['sync', '--db', seeded.db, '--url', 'postgres://me:s3cret@127.0.0.1:1/none'])
    expect(down.code).toBe(1)
    expect(down.stderr).toContain('cannot be reached')
    expect(down.stderr).toContain('the next sync resumes where this one stopped')
    expect(down.stderr).not.toContain('s3cret')
    // A read has no sync to resume.
    const read = await runCli(['agents', '--team', '--json'], { env: { ...env, AGENT_TRACKER_TEAM_URL: 'postgres://me@127.0.0.1:1/none' } })
    expect(read.code).toBe(1)
    expect(jsonError(read.stdout)).toMatchObject({ code: 'TEAM_UNREACHABLE', message: expect.not.stringContaining('sync') as unknown })
    // A refusal names where the URL came from: here the command line.
    const noDatabase = await runCli(['sync', '--db', seeded.db, '--url', server.url.replace(/\/[^/?]*(\?|$)/, '/nodb$1')])
    expect(noDatabase.code).toBe(1)
    expect(noDatabase.stderr).toContain('Check the user and database in the URL (from the command line)')
  })

  it('refuses a team database URL as the database to sync from, and an empty --member or --url, saying what is accepted', async () => {
    const teamUrl = 'postgres://pwuser:s3cret@127.0.0.1:1/tracker'
    for (const given of [env, {}]) {
      const cwd = tempFolder()
      const run = await runCli(['sync', '--db', teamUrl], { env: given, cwd })
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toContain("--db postgres://pwuser:***@127.0.0.1:1/tracker names a team database: only read commands take one (with --team, they read the configured one); this command works on this machine's database.")
      expect(run.stdout + run.stderr).not.toContain('s3cret')
      // Not taken for a folder of the working directory.
      expect(readdirSync(cwd)).toEqual([])
    }
    const json = await runCli(['sync', '--db', teamUrl, '--json'], { env })
    expect(jsonError(json.stdout)).toMatchObject({ code: 'USAGE', message: expect.stringContaining('postgres://pwuser:***@127.0.0.1:1/tracker names a team database') as unknown })
    for (const member of ['', '  ']) {
      const empty = await runCli(['sync', '--db', seeded.db, '--member', member], { env })
      expect(empty.code, empty.stderr).toBe(2)
      expect(empty.stderr).toContain(`--member ${JSON.stringify(member)} is empty: give your name in the team, 1 to 200 characters without control characters (e.g. --member ana), or leave --member out to use AGENT_TRACKER_TEAM_MEMBER, else team.member in the config file, else your login name.`)
    }
    const control = await runCli(['sync', '--db', seeded.db, '--member', 'ana\u001b[31m'], { env })
    expect(control.code).toBe(2)
    expect(control.stderr).toContain('--member "ana\\u001b[31m" holds a control character')
    const noUrl = await runCli(['sync', '--db', seeded.db, '--url', ''], { env })
    expect(noUrl.code).toBe(2)
    expect(noUrl.stderr).toContain('--url is empty: give the team database\'s URL')
    // Nothing reached the team database under the login name, which an empty --member fell back to.
    const login = userInfo().username
    const share = await runCli(['report', '--team', '--member', login], { env })
    expect(share.stderr).toContain(`No member "${login}" has synced to the team database`)
  })

  it('says, in sync and doctor, that history imported by migrate, upgrade or a merge of a predecessor database stays on this machine', async () => {
    const teamEnv = { ...env, AGENT_TRACKER_TEAM_SCHEMA: 'team_imported' }
    const notSynced = "History imported by migrate, upgrade or merge stays on this machine: the imported part of 1 setup's scores (build) and 4 records from 1 import of the predecessor's data are not in the team database. Sync sends facts only — the work tracked as it happens."
    // The predecessor's per-project files, migrated: records and a part of the scores, no facts.
    const root = tempFolder('imported-')
    const shop = join(root, 'shop')
    mkdirSync(join(shop, '.agent'), { recursive: true })
    mkdirSync(join(shop, '.journal'))
    writeFileSync(join(shop, '.agent', 'status.json'), JSON.stringify({ agent_name: 'build', skill_points: 4, experience_points: 12, total_commits: 23, total_bugs: 2, halted: false, communication_score: 78 }))
    writeFileSync(join(shop, '.journal', 'communication.json'), JSON.stringify([{ commit: 'a1b2c3d', timestamp: '2026-02-23T18:00:00', task: 'Add cart', agent_grade: 'good', user_grade: 'excellence' }]))
    const db = join(root, 'local.lmdb')
    expect((await runCli(['migrate', shop, '--db', db, '--timezone', 'UTC'])).code).toBe(0)
    const text = await runCli(['sync', '--db', db], { env: teamEnv })
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toBe(`Up to date with ${server.url} (0 facts acknowledged).\n${notSynced}\n`)
    const json = await runCli(['sync', '--db', db, '--json'], { env: teamEnv })
    expect(jsonData(json.stdout, 'sync')).toMatchObject({ sent: 0, importedHistory: { setups: ['build'], records: 4, imports: 1 } })
    expect(envelope(json.stdout).notices).toEqual([{ code: 'IMPORTED_HISTORY_NOT_SYNCED', message: notSynced }])
    // It is so: the team has none of it.
    expect((await runCli(['status', '--team'], { env: teamEnv })).stdout).toContain('No setups recorded yet.')
    const doctor = jsonData((await runCli(['doctor', '--db', db, '--json'], { env: teamEnv })).stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }
    expect(doctor.checks.find((c) => c.name === 'Sync')).toMatchObject({
      level: 'ok',
      // No fact sent yet: the team has no row for this database.
      detail: "facts up to date (0 facts acknowledged; never synced); history imported by migrate, upgrade or merge stays on this machine, not in the team database: the imported part of 1 setup's scores (build) and 4 records from 1 import of the predecessor's data (sync sends facts only)",
    })
    // The predecessor's central database merged into a database with live work: its facts go, what it imported stays.
    const predecessor = join(root, 'predecessor.lmdb')
    expect(writePredecessorCentralDatabase(predecessor, predecessorCentralHistory()).available).toBe(true)
    const live = join(root, 'live.lmdb')
    expect((await runCli(['ingest', '--db', live], { input: factLine({ kind: 'commit', setup: GPT, project: '/w/live', hash: 'bb0001', message: 'live' }) })).code).toBe(0)
    expect((await runCli(['merge', '--db', live, predecessor, '--timezone', 'UTC'])).code).toBe(0)
    const merged = await runCli(['sync', '--db', live, '--json'], { env: { ...teamEnv, AGENT_TRACKER_TEAM_MEMBER: 'ben' } })
    const sent = jsonData(merged.stdout, 'sync') as { sent: number; importedHistory: { setups: string[]; records: number; imports: number } }
    expect(sent.sent).toBe(1)
    expect(sent.importedHistory.setups.length).toBeGreaterThan(0)
    expect(sent.importedHistory).toMatchObject({ imports: 1, records: expect.any(Number) as unknown })
    expect(sent.importedHistory.records).toBeGreaterThan(0)
    expect(envelope(merged.stdout).notices?.[0]?.code).toBe('IMPORTED_HISTORY_NOT_SYNCED')
    // The predecessor's central database upgraded in place: all of it imported, none of it facts.
    const upgraded = join(root, 'upgraded.lmdb')
    expect(writePredecessorCentralDatabase(upgraded, predecessorCentralHistory()).available).toBe(true)
    const upgrade = await runCli(['upgrade', '--db', upgraded, '--timezone', 'UTC'])
    expect(upgrade.code, upgrade.stderr).toBe(0)
    const fromUpgrade = jsonData((await runCli(['sync', '--db', upgraded, '--json'], { env: { ...teamEnv, AGENT_TRACKER_TEAM_MEMBER: 'cleo' } })).stdout, 'sync') as { sent: number; importedHistory: { setups: string[]; records: number; imports: number } }
    expect(fromUpgrade.sent).toBe(0)
    expect(fromUpgrade.importedHistory).toMatchObject({ setups: sent.importedHistory.setups, records: sent.importedHistory.records, imports: 1 })
    // A database of facts only is told nothing of the kind.
    const factsOnly = await runCli(['sync', '--db', seeded.db, '--json'], { env })
    expect(jsonData(factsOnly.stdout, 'sync')).not.toHaveProperty('importedHistory')
    expect(envelope(factsOnly.stdout).notices).toBeUndefined()
  })

  it('gives all of a database\'s work to the member it syncs as now, and says so', async () => {
    const db = join(tempFolder(), 'renamed.lmdb')
    const commit = (hash: string): string => factLine({ kind: 'commit', setup: GPT, project: '/w/renamed', hash, message: hash })
    expect((await runCli(['ingest', '--db', db], { input: commit('ad0001') })).code).toBe(0)
    const teamEnv = { ...env, AGENT_TRACKER_TEAM_SCHEMA: 'team_renamed' }
    const first = await runCli(['sync', '--db', db, '--member', 'root'], { env: teamEnv })
    expect(first.stdout).toContain(`Sent 1 fact to ${server.url} as root (1 applied).`)
    expect((await runCli(['ingest', '--db', db], { input: commit('ad0002') })).code).toBe(0)
    const moved = await runCli(['sync', '--db', db, '--member', 'dana'], { env: teamEnv })
    expect(moved.stdout).toContain("This database synced as root before: all of its facts went to dana's share now; root's share keeps the ones it was sent then.")
    const commits = async (member: string): Promise<unknown> =>
      (jsonData((await runCli(['agents', '--team', '--member', member, '--json'], { env: teamEnv })).stdout, 'agents') as { status: { state: { commits: number } } }[])[0]?.status.state.commits
    expect(await commits('dana')).toBe(2)
  })

  it('sends a database deleted and made anew at the same path whole, though it holds as many facts, the last the same', async () => {
    const folder = tempFolder()
    const db = join(folder, 'omar.lmdb')
    const teamEnv = { ...env, AGENT_TRACKER_TEAM_SCHEMA: 'team_recreated', AGENT_TRACKER_TEAM_MEMBER: 'omar' }
    const call = (tool: string, at: string): string => factLine({ id: `cc:${tool}:${at}`, kind: 'tool_call', setup: GPT, project: '/w/recreated', tool, ok: true, at })
    const old1 = ['a', 'b', 'c'].map((tool) => call(tool, '2026-11-20T10:00:00Z'))
    const old2 = ['a', 'b', 'c'].map((tool) => call(tool, '2026-11-27T10:00:00Z'))
    expect((await runCli(['ingest', '--db', db], { input: [...old1, ...old2].join('\n') })).code).toBe(0)
    expect((await runCli(['sync', '--db', db], { env: teamEnv })).stdout).toContain('Sent 6 facts')
    rmSync(db, { force: true })
    rmSync(`${db}-lock`, { force: true })
    // Live work in the new database, then the second history imported again: the sixth fact is the one the team acknowledged.
    const live = ['a', 'b', 'c'].map((tool) => call(tool, '2026-11-29T10:00:00Z'))
    expect((await runCli(['ingest', '--db', db], { input: [...live, ...old2].join('\n') })).code).toBe(0)
    const resent = await runCli(['sync', '--db', db, '--json'], { env: teamEnv })
    expect(jsonData(resent.stdout, 'sync')).toMatchObject({ sent: 6, applied: 3, repeats: 3 })
    const calls = (jsonData((await runCli(['agents', '--team', '--member', 'omar', '--json'], { env: teamEnv })).stdout, 'agents') as { status: { state: { toolCalls: number } } }[])[0]?.status.state.toolCalls
    expect(calls).toBe(9)
  })

  it('doctor checks the team connection and schema, and says how far this machine lags', async () => {
    const checks = async (extra: Record<string, string> = {}): Promise<{ code: number; checks: { name: string; ok: boolean; level: string; detail: string }[] }> => {
      const run = await runCli(['doctor', '--db', seeded.db, '--json'], { env: { ...env, ...extra }, cwd: seeded.root })
      return { code: run.code, checks: (jsonData(run.stdout, 'doctor') as { checks: { name: string; ok: boolean; level: string; detail: string }[] }).checks }
    }
    const synced = await checks()
    expect(synced.code).toBe(0)
    expect(synced.checks.filter((c) => c.name.startsWith('Team') || c.name === 'Sync')).toEqual([
      { name: 'Team', ok: true, level: 'ok', detail: `${server.url} (from AGENT_TRACKER_TEAM_URL), schema "team_cli", as ana on ${hostname()}` },
      { name: 'Team schema', ok: true, level: 'ok', detail: 'migration 1 (this release knows 1)' },
      { name: 'Sync', ok: true, level: 'ok', detail: expect.stringMatching(/^up to date \(\d+ facts acknowledged; last sync 20\d\d-/) as unknown },
    ])
    const more = [{ kind: 'tool_call', setup: SONNET, project: seeded.shop, tool: 'bash', ok: true }, { kind: 'tool_call', setup: SONNET, project: seeded.shop, tool: 'bash', ok: true }]
    expect((await runCli(['ingest', '--db', seeded.db], { input: more.map(factLine).join('\n') })).code).toBe(0)
    const lagging = (await checks()).checks.find((c) => c.name === 'Sync')
    expect(lagging).toMatchObject({ ok: true, level: 'finding' })
    expect(lagging?.detail).toMatch(/^2 facts not sent yet \(last sync .*\) — run agent-tracker sync$/)
    const down = await checks({ AGENT_TRACKER_TEAM_URL: 'postgres://me@127.0.0.1:1/none' })
    expect(down.code).toBe(1)
    expect(down.checks.find((c) => c.name === 'Team')).toMatchObject({ ok: false, level: 'problem', detail: expect.stringContaining('cannot be reached') as unknown })
    const none = await runCli(['doctor', '--db', seeded.db, '--json'])
    expect((jsonData(none.stdout, 'doctor') as { checks: { name: string; detail: string }[] }).checks.find((c) => c.name === 'Team')?.detail).toMatch(/^not configured/)
  })
})

describe('a user that may only read the team database', () => {
  it('is told what a read needs (USAGE on the schema, SELECT on its tables), which is then enough, not CREATE for a first sync', async () => {
    const schema = 'team_grants'
    const role = `reader_${String(process.pid)}`
    const db = join(tempFolder(), 'grants.lmdb')
    expect((await runCli(['ingest', '--db', db], { input: factLine({ kind: 'commit', setup: GPT, project: '/w/grants', hash: 'aa0001', message: 'init' }) })).code).toBe(0)
    expect((await runCli(['sync', '--db', db], { env: { ...env, AGENT_TRACKER_TEAM_SCHEMA: schema } })).code).toBe(0)
    const admin = new Client({ connectionString: server.url })
    await admin.connect()
    try {
      await admin.query(`CREATE ROLE ${role} LOGIN`)
      const reader = new URL(server.url)
      reader.username = role
      const readerEnv = { AGENT_TRACKER_TEAM_URL: reader.href, AGENT_TRACKER_TEAM_SCHEMA: schema }
      const advice = `The connection and the password are fine, but this user may not read the team database's schema "${schema}": a read needs USAGE on the schema and SELECT on its tables (it creates nothing). Ask the schema's owner to grant them: GRANT USAGE ON SCHEMA ${schema} TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role};`
      const noUsage = await runCli(['status', '--team'], { env: readerEnv })
      expect(noUsage.code).toBe(1)
      expect(noUsage.stderr).toContain(`permission denied for schema ${schema}. ${advice}`)
      expect(noUsage.stderr).not.toContain('CREATE on the database')
      const doctor = await runCli(['doctor', '--db', db, '--json'], { env: readerEnv })
      expect((jsonData(doctor.stdout, 'doctor') as { checks: { name: string; detail: string }[] }).checks.find((c) => c.name === 'Team')?.detail).toContain(advice)
      await admin.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`)
      const noSelect = await runCli(['status', '--team'], { env: readerEnv })
      expect(noSelect.code).toBe(1)
      expect(noSelect.stderr).toContain(`permission denied for table schema_migrations. ${advice}`)
      await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role}`)
      const granted = await runCli(['status', '--team'], { env: readerEnv })
      expect(granted.code, granted.stderr).toBe(0)
      expect(granted.stdout).toContain(GPT)
    } finally {
      await admin.query(`DROP OWNED BY ${role}`).catch(() => undefined)
      await admin.query(`DROP ROLE IF EXISTS ${role}`)
      await admin.end()
    }
  })
})

describe('sync from two machines, one of which amended a commit the other graded', () => {
  it('gives the grade to the commit that replaced it in the team database, which counts the commit once', async () => {
    const teamEnv = { AGENT_TRACKER_TEAM_URL: server.url, AGENT_TRACKER_TEAM_SCHEMA: 'team_amend', AGENT_TRACKER_TEAM_MEMBER: 'ana' }
    const first = '1111111111111111111111111111111111111111'
    const amended = '2222222222222222222222222222222222222222'
    const where = { setup: SONNET, project: '/w/shop' }
    const commit = factLine({ ...where, kind: 'commit', hash: first, message: 'Add cart', at: '2026-11-28T10:00:00Z' })
    const graded = join(tempFolder(), 'a.lmdb')
    const amending = join(tempFolder(), 'b.lmdb')
    expect((await runCli(['ingest', '--db', graded, '--trust'], { input: [commit, factLine({ ...where, kind: 'grade', commit: first, by: 'user', userGrade: 5, at: '2026-11-28T10:05:00Z' })].join('\n') })).code).toBe(0)
    expect((await runCli(['ingest', '--db', amending], { input: [commit, factLine({ ...where, kind: 'commit', hash: amended, message: 'Add cart 2', amends: first, at: '2026-11-28T10:10:00Z' })].join('\n') })).code).toBe(0)
    expect((await runCli(['sync', '--db', amending], { env: teamEnv })).code).toBe(0)
    expect((await runCli(['sync', '--db', graded], { env: teamEnv })).code).toBe(0)
    const history = jsonData((await runCli(['history', SONNET, '--team', '--json'], { env: teamEnv })).stdout, 'history') as { entries: { kind: string; summary: string }[] }
    expect(history.entries.map((entry) => [entry.kind, entry.summary.slice(0, 8)])).toEqual([['grade', amended.slice(0, 8)], ['commit', amended.slice(0, 8)]])
    const report = jsonData((await runCli(['report', '--team', '--json'], { env: teamEnv })).stdout, 'report') as { setups: { setup: string; commits: number }[] }
    expect(report.setups).toEqual([expect.objectContaining({ setup: SONNET, commits: 1 })])
  })
})

describe('merge --undo of a merge whose facts were synced', () => {
  it("says how many of the merge's facts the team database was sent (they stay counted there), and says nothing of a merge not sent", async () => {
    const teamEnv = { AGENT_TRACKER_TEAM_URL: server.url, AGENT_TRACKER_TEAM_SCHEMA: 'team_undo', AGENT_TRACKER_TEAM_MEMBER: 'ana' }
    const fact = (tool: string, day: number): string => factLine({ kind: 'tool_call', setup: GPT, project: '/w/api', tool, ok: true, at: `2026-11-${String(day)}T10:00:00Z` })
    const mine = join(tempFolder(), 'mine.lmdb')
    const theirs = join(tempFolder(), 'theirs.lmdb')
    const unsynced = join(tempFolder(), 'unsynced.lmdb')
    expect((await runCli(['ingest', '--db', mine], { input: fact('bash', 20) })).code).toBe(0)
    expect((await runCli(['ingest', '--db', unsynced], { input: fact('grep', 20) })).code).toBe(0)
    expect((await runCli(['ingest', '--db', theirs], { input: [fact('read', 21), fact('edit', 22)].join('\n') })).code).toBe(0)
    const merge = async (db: string): Promise<string> => (jsonData((await runCli(['merge', theirs, '--db', db, '--json'])).stdout, 'merge') as { undo: string }).undo
    const undo = await merge(mine)
    expect((await runCli(['sync', '--db', mine], { env: teamEnv })).code).toBe(0)

    const dry = await runCli(['merge', '--undo', undo, '--dry-run', '--db', mine, '--json'], { env: teamEnv })
    expect(dry.code, dry.stderr).toBe(0)
    const said = `All 2 facts this merge applied had already been synced to the team database ${server.url}, and they would stay counted there: the team database keeps every fact it is sent, and an undo puts back only this machine's database.`
    expect(envelope(dry.stdout)).toMatchObject({ data: { dryRun: true, facts: 2, syncedToTeam: 2 }, notices: [{ code: 'MERGE_SYNCED_TO_TEAM', message: said }] })
    const undone = await runCli(['merge', '--undo', undo, '--db', mine], { env: teamEnv })
    expect(undone.code, undone.stderr).toBe(0)
    expect(undone.stdout).toContain(`Undid merge ${undo} of ${theirs}: the database is as it was before it.\nAll 2 facts this merge applied had already been synced to the team database ${server.url}, and they stay counted there`)
    // As said: the team still counts the three tool calls.
    const team = jsonData((await runCli(['status', GPT, '--team', '--json'], { env: teamEnv })).stdout, 'status') as { state: { toolCalls: number } }
    expect(team.state.toolCalls).toBe(3)

    // Another database's merge of the same facts, made after its last sync: the team has those
    // facts (from the first database), but not from this one, and its undo leaves nothing there.
    expect((await runCli(['sync', '--db', unsynced], { env: teamEnv })).code).toBe(0)
    const notSent = await merge(unsynced)
    const quiet = await runCli(['merge', '--undo', notSent, '--db', unsynced, '--json'], { env: teamEnv })
    expect(quiet.code).toBe(0)
    expect(envelope(quiet.stdout)).toMatchObject({ data: { facts: 2, syncedToTeam: 0 } })
    expect(envelope(quiet.stdout).notices).toBeUndefined()
  })
})
