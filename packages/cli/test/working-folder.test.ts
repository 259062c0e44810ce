import { Readable } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Io } from '../src/io.js'
import { absolutePath, workingFolder } from '../src/io.js'
import { main } from '../src/main.js'
import { tempFolder } from './run-cli.js'
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
