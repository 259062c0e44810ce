import { Readable } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Io } from '../src/io.js'
import { absolutePath, workingFolder } from '../src/io.js'
import { main } from '../src/main.js'
import { jsonData, runBuiltCli, tempFolder } from './run-cli.js'
import type { Seeded } from './seed.js'
import { seedHistory } from './seed.js'

let seeded: Seeded
beforeAll(async () => {
  seeded = await seedHistory()
}, 60_000)

/** What `process.cwd()` throws in a folder deleted under the shell. */
function gone(): never {
  throw Object.assign(new Error('ENOENT: no such file or directory, uv_cwd'), { code: 'ENOENT', syscall: 'uv_cwd' })
}

/** The CLI run in-process as from a deleted folder: its working folder is read as the process's is, through {@link workingFolder}. */
async function runInDeletedFolder(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const home = tempFolder('home-')
  let stdout = ''
  let stderr = ''
  const io: Io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([]),
    env: { HOME: home, NO_COLOR: '1', TZ: 'UTC' },
    get cwd() {
      return workingFolder(gone)
    },
    homeDir: home,
  }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

const GONE = 'error: The current folder no longer exists (it was deleted or moved away after you entered it): cd to a folder that exists and run the command again, or give this command absolute paths.\n'

describe('a working folder that no longer exists', () => {
  it('is said to be gone, with what to do, by the commands that need it', async () => {
    for (const args of [['recommend'], ['report', '--db', 'relative.lmdb'], ['init']]) {
      const run = await runInDeletedFolder(args)
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 1, stderr: GONE })
    }
    const json = await runInDeletedFolder(['recommend', '--json'])
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'NO_WORKING_FOLDER' } })
  })

  it('stops none of the commands that do not need it', async () => {
    const report = await runInDeletedFolder(['report', '--db', seeded.db])
    expect(report.stderr).toBe('')
    expect(report.code).toBe(0)
    expect(report.stdout).toContain('build@anthropic/claude-sonnet-4-5')
    const help = await runInDeletedFolder(['--help'])
    expect(help.code).toBe(0)
    const recommend = await runInDeletedFolder(['recommend', seeded.shop, '--db', seeded.db])
    expect(recommend).toMatchObject({ code: 0, stderr: '' })
  })

  it('keeps an error other than a missing folder as it was', () => {
    const denied = Object.assign(new Error('EACCES: permission denied, uv_cwd'), { code: 'EACCES' })
    expect(() => workingFolder(() => {
      throw denied
    })).toThrow(denied)
    expect(absolutePath({ get cwd() { return workingFolder(gone) } }, '/abs/./db.lmdb')).toBe('/abs/db.lmdb')
  })
})

describe('doctor in a working folder that no longer exists', () => {
  const FOLDER_GONE = "the current folder no longer exists (it was deleted or moved away after you entered it), so the folder's legacy data, OpenCode plugin config, Claude Code hooks and protected files were not checked: cd to a folder that exists and run agent-tracker doctor again, or give doctor a folder by its absolute path."

  it('checks the database all the same, and says in one check that the folder could not be checked', async () => {
    const run = await runBuiltCli(['doctor', '--check', '--db', seeded.db], { cwd: tempFolder('gone-'), cwdRemoved: true })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^✓ Format +agent-tracker database, schema version \d+$/m)
    expect(run.stdout).toMatch(/^✓ Rollups +.*: no drift$/m)
    expect(run.stdout).toMatch(/^✓ Scores +.*: they agree$/m)
    expect(run.stdout).toMatch(/^✗ Folder {6}the current folder no longer exists/m)
    expect(run.stdout).toContain(`  ${FOLDER_GONE}\n`)
    expect(run.stdout).toMatch(/^✓ Grades /m)
    expect(run.stdout).toMatch(/^✓ Team /m)
    expect(run.stdout).toContain('1 problem found (✗ above).')

    const json = await runBuiltCli(['doctor', '--db', seeded.db, '--json'], { cwd: tempFolder('gone-'), cwdRemoved: true })
    const data = jsonData(json.stdout, 'doctor') as { healthy: boolean; problems: number; checks: { name: string; level: string; detail: string }[] }
    expect(data).toMatchObject({ healthy: false, problems: 1 })
    expect(data.checks.map((entry) => entry.name)).toEqual(['Database', 'File', 'Writable', 'Format', 'Size', 'Schema', 'Readers', 'Records', 'Search', 'Migrations', 'Folder', 'Grades', 'Team'])
    expect(data.checks.find((entry) => entry.name === 'Folder')).toEqual({ name: 'Folder', ok: false, level: 'problem', detail: FOLDER_GONE })
  })

  it('says a relative folder cannot be found, and checks a folder given by its absolute path', async () => {
    const relative = await runBuiltCli(['doctor', 'shop', '--db', seeded.db], { cwd: tempFolder('gone-'), cwdRemoved: true })
    expect(relative.code).toBe(1)
    expect(relative.stdout).toContain("✗ Folder      shop is relative to the current folder, which no longer exists (it was deleted or moved away after you entered it), so the folder's")
    const absolute = await runBuiltCli(['doctor', seeded.shop, '--db', seeded.db], { cwd: tempFolder('gone-'), cwdRemoved: true })
    expect(absolute.stderr).toBe('')
    expect(absolute.stdout).not.toContain('Folder')
    expect(absolute.stdout).toMatch(new RegExp(`^✓ Legacy +none in ${seeded.shop}`, 'm'))
    expect(absolute.stdout).toMatch(new RegExp(`^! Plugin +no OpenCode config \\(looked in ${seeded.shop}`, 'm'))
    expect(absolute.stdout).toMatch(/^✓ Secrets /m)
    expect(absolute.code).toBe(0)
  })
})
