import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BUILT_BIN, runCli } from './run-cli.js'
import { seedHistory } from './seed.js'

/** The user the CLI runs as: nobody, when the tests run as root (to whom no permission applies); else the tests' own user. */
const NOBODY = 65534
const asRoot = process.getuid?.() === 0
const canDrop = !asRoot || existsSync('/usr/bin/setpriv') || existsSync('/bin/setpriv')

/** Runs the built CLI as a user permissions apply to. */
function runAsUser(args: readonly string[], home: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const command = asRoot ? ['setpriv', `--reuid=${String(NOBODY)}`, `--regid=${String(NOBODY)}`, '--clear-groups', process.execPath] : [process.execPath]
  const env = { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC', NO_COLOR: '1', AGENT_TRACKER_COMPILE_CACHE: 'off' }
  return new Promise((resolve) => {
    execFile(command[0] ?? '', [...command.slice(1), BUILT_BIN, ...args], { env }, (error, stdout, stderr) => {
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
    expect(doctor.stdout).toMatch(/✗ Writable +its lock file .* is missing and cannot be made: the folder .* is not writable for you \(EACCES\): nothing can be recorded\. Reads still work\./)
    // Nothing was marked damaged: once the folder is writable again, writing works.
    chmodSync(join(database, '..'), 0o755)
    expect((await runAsUser(['bug', 'build@openai/gpt-5', '--note', 'x', '--db', database], home)).code).toBe(0)
    expect((await runCli(['status', 'build@openai/gpt-5', '--db', database])).code).toBe(0)
  })
})
