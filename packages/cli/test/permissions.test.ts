import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BUILT_BIN, jsonError, runCli } from './run-cli.js'
import { seedHistory } from './seed.js'

/** The user the CLI runs as: nobody, when the tests run as root (to whom no permission applies); else the tests' own user. */
const NOBODY = 65534
const asRoot = process.getuid?.() === 0
const canDrop = !asRoot || existsSync('/usr/bin/setpriv') || existsSync('/bin/setpriv')

/** Runs the built CLI as a user permissions apply to (in `cwd`, when given). */
function runAsUser(args: readonly string[], home: string, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = asRoot ? ['setpriv', `--reuid=${String(NOBODY)}`, `--regid=${String(NOBODY)}`, '--clear-groups', process.execPath] : [process.execPath]
  const env = { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC', NO_COLOR: '1', AGENT_TRACKER_COMPILE_CACHE: 'off' }
  return new Promise((resolve) => {
    execFile(command[0] ?? '', [...command.slice(1), BUILT_BIN, ...args], { env, ...(cwd === undefined ? {} : { cwd }) }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr })
    })
  })
}

const made: string[] = []
afterAll(() => {
  for (const folder of made) {
    chmodSync(folder, 0o755)
    rmSync(folder, { recursive: true, force: true })
  }
})

/** A database in a folder of the running user (or nobody's, as root) that is then made read-only, without a lock file; and a home for the run. */
async function databaseInReadOnlyFolder(): Promise<{ database: string; home: string }> {
  const { db } = await seedHistory()
  const folder = mkdtempSync(join(tmpdir(), 'read-only-folder-'))
  made.push(folder)
  chmodSync(folder, 0o755)
  const database = join(folder, 'tracker.lmdb')
  cpSync(db, database)
  const home = join(folder, 'home')
  execFileSync('mkdir', [home])
  writeFileSync(join(home, '.keep'), '')
  if (asRoot) {
    for (const path of [folder, database, home, join(home, '.keep')]) chownSync(path, NOBODY, NOBODY)
  }
  chmodSync(folder, 0o555)
  return { database, home }
}

describe('a database file the user cannot write to', () => {
  it.runIf(canDrop)('doctor names the file and what to do, beside what it means', async () => {
    const { database, home } = await databaseInReadOnlyFolder()
    const folder = join(database, '..')
    chmodSync(folder, 0o755)
    chmodSync(database, 0o444)
    const doctor = await runAsUser(['doctor', '--db', database], home)
    expect(doctor.stdout).toContain(`✗ Writable     no: ${database} is not writable for you (EACCES), so nothing can be recorded; reads still work. Make it writable (chmod u+w ${database}), or point --db (or AGENT_TRACKER_DB, or the plugin's databasePath) at a database in a place you can write.`)
  })
})

describe('a database whose folder the user cannot write to', () => {
  it.runIf(canDrop)('is refused for writing with the reason (no lock file can be made there), read as before, and doctor says so', async () => {
    const { database, home } = await databaseInReadOnlyFolder()
    const write = await runAsUser(['bug', 'build@openai/gpt-5', '--note', 'x', '--db', database], home)
    expect(write.code).toBe(1)
    expect(write.stderr).toContain(`error: The agent-tracker database ${database} cannot be written: its lock file ${database}-lock is missing and cannot be made: the folder ${join(database, '..')} is not writable for you (EACCES). Reads still work.`)
    expect(write.stderr).not.toContain('SIGSEGV')
    const read = await runAsUser(['report', '--db', database], home)
    expect([read.code, read.stdout]).toEqual([0, expect.stringContaining('build@openai/gpt-5') as unknown])
    const doctor = await runAsUser(['doctor', '--db', database], home)
    expect(doctor.stdout).toMatch(/✗ Writable +no: its lock file .* is missing and cannot be made: the folder .* is not writable for you \(EACCES\), so nothing can be recorded; reads still work\. Make it writable for you \(chmod u\+w on the file, or its folder\), or point --db/)
    // Nothing was marked damaged: once the folder is writable again, writing works.
    chmodSync(join(database, '..'), 0o755)
    expect((await runAsUser(['bug', 'build@openai/gpt-5', '--note', 'x', '--db', database], home)).code).toBe(0)
    expect((await runCli(['status', 'build@openai/gpt-5', '--db', database])).code).toBe(0)
  })
})

/** A git project with `.claude/settings.json` ({}), and a home, owned by the user the CLI runs as. */
function projectOfTheUser(): { project: string; claude: string; settings: string; home: string } {
  const root = mkdtempSync(join(tmpdir(), 'claude-folder-'))
  made.push(root)
  chmodSync(root, 0o755)
  const project = join(root, 'p')
  const claude = join(project, '.claude')
  const home = join(root, 'home')
  mkdirSync(claude, { recursive: true })
  mkdirSync(home)
  execFileSync('git', ['init', '-q'], { cwd: project })
  const settings = join(claude, 'settings.json')
  writeFileSync(settings, '{}\n')
  if (asRoot) execFileSync('chown', ['-R', `${String(NOBODY)}:${String(NOBODY)}`, root])
  return { project, claude, settings, home }
}

describe("Claude Code's folder when the user cannot write to it", () => {
  it.runIf(canDrop)('hooks install changes nothing and names the folder to make writable, as CANNOT_WRITE', async () => {
    const { project, claude, settings, home } = projectOfTheUser()
    chmodSync(claude, 0o555)
    const install = await runAsUser(['hooks', 'install', 'claude-code', '--command', 'agent-tracker'], home, project)
    expect(install.code).toBe(1)
    expect(install.stderr).toBe(`error: Cannot create ${join(claude, 'commands', 'grade.md')}: no permission to create a file in ${claude}; nothing was changed. Make ${claude} writable for you (e.g. chmod u+w ${claude}), then run agent-tracker hooks install claude-code --command agent-tracker again.\n`)
    expect(readFileSync(settings, 'utf8')).toBe('{}\n')
    expect(readdirSync(claude)).toEqual(['settings.json'])
    const json = await runAsUser(['hooks', 'install', 'claude-code', '--command', 'agent-tracker', '--json'], home, project)
    expect(jsonError(json.stdout)).toMatchObject({ code: 'CANNOT_WRITE', message: expect.stringContaining(`no permission to create a file in ${claude}`) as unknown })
    // A settings file that is not writable: named, and no command file is written either.
    chmodSync(claude, 0o755)
    chmodSync(settings, 0o444)
    const readOnly = await runAsUser(['hooks', 'install', 'claude-code', '--command', 'agent-tracker'], home, project)
    expect(readOnly.code).toBe(1)
    expect(readOnly.stderr).toBe(`error: Cannot write ${settings}: it is not writable (no permission); nothing was changed. Make it writable for you (e.g. chmod u+w ${settings}), then run agent-tracker hooks install claude-code --command agent-tracker again.\n`)
    expect(readFileSync(settings, 'utf8')).toBe('{}\n')
    expect(readdirSync(claude)).toEqual(['settings.json'])
    // Once it is writable, all of it is written.
    chmodSync(settings, 0o644)
    expect((await runAsUser(['hooks', 'install', 'claude-code', '--command', 'agent-tracker'], home, project)).code).toBe(0)
    expect(readdirSync(join(claude, 'commands')).sort()).toEqual(['bug.md', 'grade.md', 'reinstate.md', 'tracker.md'])
  })

  it.runIf(canDrop)('hooks uninstall changes nothing when a command file cannot be removed, and names the folder', async () => {
    const { project, claude, settings, home } = projectOfTheUser()
    expect((await runAsUser(['hooks', 'install', 'claude-code', '--command', 'agent-tracker'], home, project)).code).toBe(0)
    const installed = readFileSync(settings, 'utf8')
    const commands = join(claude, 'commands')
    chmodSync(commands, 0o555)
    const uninstall = await runAsUser(['hooks', 'uninstall', 'claude-code', '--json'], home, project)
    expect(uninstall.code).toBe(1)
    expect(jsonError(uninstall.stdout)).toEqual({ code: 'CANNOT_WRITE', message: `Cannot remove ${join(commands, 'grade.md')}: no permission to remove a file from ${commands}; nothing was changed. Make ${commands} writable for you (e.g. chmod u+w ${commands}), then run agent-tracker hooks uninstall claude-code again.` })
    expect(readFileSync(settings, 'utf8')).toBe(installed)
    expect(readdirSync(commands)).toHaveLength(4)
    chmodSync(commands, 0o755)
    expect((await runAsUser(['hooks', 'uninstall', 'claude-code'], home, project)).code).toBe(0)
    expect(existsSync(settings)).toBe(false)
    expect(existsSync(commands)).toBe(false)
  })
})
