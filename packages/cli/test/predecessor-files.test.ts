import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { copyPredecessorProjectFiles, missingJournalLines, readPredecessorFile, writePredecessorProjectDatabase } from '@agent-tracker/predecessor'
import { describe, expect, it } from 'vitest'
import { jsonData, jsonError, runCli, tempFolder } from './run-cli.js'

/** Every string anywhere in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(strings)
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings)
  return []
}

describe('the predecessor\'s own project files, migrated', () => {
  it('keep every line of its journal, show its graded retrospectives on the status card, and migrate once', async () => {
    const project = join(tempFolder(), 'opencode-agent-tracker')
    copyPredecessorProjectFiles(project)
    const db = join(tempFolder(), 'tracker.lmdb')
    const migrated = await runCli(['migrate', project, '--db', db, '--timezone', 'Europe/Stockholm', '--json'])
    expect(migrated.code).toBe(0)
    const exported = await runCli(['export', '--format', 'json', '--db', db])
    expect(exported.code).toBe(0)
    const all = (JSON.parse(exported.stdout) as { collections: { activities: unknown[] } }).collections
    expect(all.activities).toHaveLength(22)
    expect(missingJournalLines(readPredecessorFile('journal'), strings(all))).toEqual([])
    const card = await runCli(['status', 'AgentTracker-Core', '--db', db])
    expect(card.stdout).toMatch(/Grades +agent 1\.\d \(13\), user [\d.]+ \(13\)/)
    expect(card.stdout).toMatch(/Commits +46 \(0 pushes\), 3 bugs/)
    // The report counts dated work only, and says what the scores count beyond it.
    const report = await runCli(['report', '--db', db])
    expect(report.stdout).toContain("AgentTracker-Core: its scores, and agents and status, also count 33 commits and 3 bugs imported without dates (such as the predecessor's status file), which this report of dated work leaves out.")
    expect(jsonData((await runCli(['report', '--db', db, '--json'])).stdout, 'report')).toMatchObject({ setups: [{ commits: 13, bugs: 0 }], undated: [{ setup: 'AgentTracker-Core', commits: 33, bugs: 3 }] })
    expect((await runCli(['report', '--since', '2000-01-01', '--db', db])).stdout).not.toContain('imported without dates')
    const again = await runCli(['migrate', project, '--db', db, '--timezone', 'America/New_York', '--json'])
    expect(again.code).toBe(0)
    expect(jsonData(again.stdout, 'migrate')).toMatchObject({ folders: [{ files: { migrated: 0 } }] })
    expect((JSON.parse((await runCli(['export', '--format', 'json', '--db', db])).stdout) as { collections: { activities: unknown[] } }).collections.activities).toHaveLength(22)
  })

  it('keep a status file\'s XP above its level-up threshold until the next fact, and the card says so', async () => {
    const project = tempFolder('status-')
    mkdirSync(join(project, '.agent'))
    writeFileSync(join(project, '.agent', 'status.json'), JSON.stringify({ agent_name: 'build', skill_points: 4, experience_points: 46, total_commits: 23, total_bugs: 2, halted: false, communication_score: 78 }))
    const db = join(tempFolder(), 'tracker.lmdb')
    expect((await runCli(['migrate', project, '--setup', 'build@x/y', '--db', db])).code).toBe(0)
    const before = await runCli(['status', 'build@x/y', '--db', db])
    expect(before.stdout).toMatch(/Skill points +4\.0 /)
    expect(before.stdout).toContain('Experience     46.0 / 40.0 to the next skill point: reached, it levels up with the next fact (imported scores add up without levelling up)')
    const fact = JSON.stringify({ kind: 'tool_call', setup: 'build@x/y', project, tool: 'bash', ok: true, at: '2026-12-01T10:00:00Z' })
    expect((await runCli(['ingest', '--db', db], { input: fact })).code).toBe(0)
    const after = await runCli(['status', 'build@x/y', '--db', db])
    expect(after.stdout).toMatch(/Skill points +5\.0 /)
    expect(after.stdout).toContain('Experience     6.1 / 50.0 to the next skill point\n')
  })

  it('come along in a merge, which names the records it adds without facts', async () => {
    const project = join(tempFolder(), 'opencode-agent-tracker')
    copyPredecessorProjectFiles(project)
    const other = join(tempFolder(), 'laptop.lmdb')
    expect((await runCli(['migrate', project, '--db', other, '--timezone', 'Europe/Stockholm'])).code).toBe(0)
    const db = join(tempFolder(), 'tracker.lmdb')
    const dry = await runCli(['merge', other, '--db', db, '--dry-run', '--json'])
    const { migrated, facts } = jsonData(dry.stdout, 'merge') as { migrated: number; facts: { applied: number } }
    expect(migrated - facts.applied).toBeGreaterThan(0)
    const merged = await runCli(['merge', other, '--db', db])
    expect(merged.stdout).toContain(`Merged ${other}: ${String(facts.applied)} facts applied (0 already here); added ${String(migrated - facts.applied)} records held there without facts (from a legacy import).`)
    const card = await runCli(['status', 'AgentTracker-Core', '--db', db])
    expect(card.stdout).toMatch(/Commits +46 \(0 pushes\), 3 bugs/)
  })

  it('go under the repository holding the folder, as every host records work, and the output says so', async () => {
    const repository = tempFolder('repo-')
    mkdirSync(join(repository, '.git'))
    const tools = join(repository, 'tools', 'opencode-agent-tracker')
    copyPredecessorProjectFiles(tools)
    const db = join(tempFolder(), 'tracker.lmdb')
    const migrated = await runCli(['migrate', 'tools/opencode-agent-tracker', '--db', db, '--timezone', 'Europe/Stockholm'], { cwd: repository })
    expect(migrated.code).toBe(0)
    expect(migrated.stdout).toContain(`${tools}: recorded under ${repository}, the repository holding it.`)
    const projects = jsonData((await runCli(['projects', '--db', db, '--json'])).stdout, 'projects') as { projects: { path: string }[] }
    expect(projects.projects.map((project) => project.path)).toEqual([repository])
  })

  it('say which agents of a per-project database had no agent record, and list them in report', async () => {
    const project = join(tempFolder(), 'shop')
    const at = Date.UTC(2026, 1, 20, 11, 0)
    writePredecessorProjectDatabase(join(project, '~', '.config', 'opencode', 'agent-tracker.lmdb'), [
      [`commit:${project}:bbbbbbb`, { agent_id: 'nobody', commit_hash: 'bbbbbbb', project_path: project, task_description: 'x', timestamp: new Date(at) }],
    ])
    const db = join(tempFolder(), 'tracker.lmdb')
    const migrated = await runCli(['migrate', project, '--db', db, '--timezone', 'UTC'])
    expect(migrated.code).toBe(0)
    expect(migrated.stdout).toContain(`${project}: An agent has commits, grades or journal entries but no agent record, where the predecessor kept an agent's scores: its setup (nobody) starts with the scores of a new setup (SP 1, XP 0, CS 60), counting the commits and grades imported.`)
    expect(jsonData((await runCli(['report', '--db', db, '--json'])).stdout, 'report')).toMatchObject({ setups: [{ setup: 'nobody', commits: 1 }] })
  })

  it('reads --timezone as report windows do: an offset, or TZ when the flag is left out', async () => {
    for (const [options, zone] of [[{ args: ['--timezone', '+05:30'] }, 'UTC+05:30'], [{ env: { TZ: 'Asia/Tokyo' } }, 'Asia/Tokyo']] as const) {
      const project = join(tempFolder(), 'opencode-agent-tracker')
      copyPredecessorProjectFiles(project)
      const db = join(tempFolder(), 'tracker.lmdb')
      const args = 'args' in options ? options.args : []
      const migrated = await runCli(['migrate', project, '--db', db, '--json', ...args], 'env' in options ? { env: options.env } : {})
      expect(migrated.code, migrated.stdout).toBe(0)
      expect(jsonData(migrated.stdout, 'migrate')).toMatchObject({ folders: [{ files: { timeZone: zone } }] })
    }
  })

  it('rejects a time zone it does not know, naming what is accepted', async () => {
    const { code, stderr } = await runCli(['migrate', tempFolder(), '--timezone', 'Mars/Olympus'])
    expect(code).toBe(2)
    expect(stderr).toContain('error: Invalid --timezone "Mars/Olympus": use an IANA name such as Europe/Stockholm or America/New_York, UTC, or an offset such as +01:00.')
  })

  it('explains in merge --help what happens to a setup in both databases', async () => {
    const { stdout } = await runCli(['merge', '--help'])
    expect(stdout).toContain('A setup in both databases gets the other\'s scores added to its own')
    expect(stdout).toContain('--timezone <zone>')
  })
})

describe('doctor on a project folder', () => {
  it('refuses a folder that is not there, or a file, as a usage error instead of an all-clear', async () => {
    const db = join(tempFolder(), 'tracker.lmdb')
    const typo = join(tempFolder(), 'no-such-folder')
    const missing = await runCli(['doctor', typo, '--db', db, '--json'])
    expect(missing.code).toBe(2)
    expect(jsonError(missing.stdout)).toMatchObject({ code: 'NOT_A_FOLDER', message: expect.stringContaining(`${typo} is not a folder`) as unknown })
    const file = join(tempFolder(), 'file.txt')
    writeFileSync(file, 'not a folder')
    expect((await runCli(['doctor', file, '--db', db])).code).toBe(2)
  })

  it('says whether its legacy data was migrated, when, under which setup and in which time zone', async () => {
    const project = join(tempFolder(), 'opencode-agent-tracker')
    copyPredecessorProjectFiles(project)
    const db = join(tempFolder(), 'tracker.lmdb')
    await runCli(['status', '--db', db])
    const before = await runCli(['doctor', project, '--db', db, '--json'])
    const legacyBefore = (jsonData(before.stdout, 'doctor') as { checks: { name: string; detail: string }[] }).checks.find((check) => check.name === 'Legacy')
    expect(legacyBefore?.detail).toBe(`${project}: 3 legacy files: not migrated yet — run agent-tracker migrate ${project}`)
    await runCli(['migrate', project, '--db', db, '--timezone', 'Europe/Stockholm'])
    const after = await runCli(['doctor', project, '--db', db])
    expect(after.stdout).toMatch(new RegExp(`Legacy +${project}: 3 legacy files: migrated on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC, under the setup AgentTracker-Core, times without a zone read as Europe/Stockholm`))
    expect(after.stdout).not.toContain('run agent-tracker migrate')
    expect(after.stdout).toMatch(/Migrations +1 recorded; times without a zone read as Europe\/Stockholm/)
    expect(after.stdout).toMatch(/Format +agent-tracker database, schema version 3/)
  })

  it('run in a subfolder of a repository, looks for legacy data in that subfolder, where the predecessor kept it', async () => {
    const top = tempFolder()
    mkdirSync(join(top, '.git'))
    const project = join(top, 'opencode-agent-tracker')
    copyPredecessorProjectFiles(project)
    const db = join(tempFolder(), 'tracker.lmdb')
    await runCli(['status', '--db', db])
    const doctor = await runCli(['doctor', '--db', db, '--json'], { cwd: project })
    const legacy = (jsonData(doctor.stdout, 'doctor') as { checks: { name: string; detail: string }[] }).checks.find((check) => check.name === 'Legacy')
    expect(legacy?.detail).toBe(`${project}: 3 legacy files: not migrated yet — run agent-tracker migrate ${project}`)
  })
})
