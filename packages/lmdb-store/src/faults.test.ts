import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, statfsSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ActivityFact } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { checkDataFile, isDataFileAbsent, lockFileRoomProblem } from './data-file.js'
import type { LmdbStoreError } from './errors.js'
import { isLmdbStoreError } from './errors.js'
import { MAX_DATABASE_SIZE } from './database-size.js'
import { openLmdbStore } from './open-lmdb-store.js'
import { databaseFullError } from './store-errors.js'
import { smallDisk } from './testing.js'

const SETUP = 'build@fake/m1'
const PROJECT = '/home/dev/app'
const MIB = 1024 * 1024

function openError(databasePath: string): unknown {
  try {
    openLmdbStore({ databasePath })
  } catch (error) {
    return error
  }
  throw new Error('expected openLmdbStore to throw')
}

async function realDatabase(folder: string, entries = 2000): Promise<string> {
  const databasePath = join(folder, 'real.lmdb')
  const store = openLmdbStore({ databasePath })
  const s = createFactScript({ setup: SETUP, project: PROJECT })
  await store.applyFacts(Array.from({ length: entries }, (_, i) => s.activity(`task ${String(i)} ${'x'.repeat(200)}`)))
  await store.close()
  return databasePath
}

describe('unreadable databases never crash the process', () => {
  it.each([
    // Binary data without LMDB's mark may be a database damaged from its first page on.
    ['random bytes', Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + 13) % 256)), 'it is not an LMDB database file', 'damaged'],
    ['binary garbage without NULs', Buffer.alloc(16 * 1024, 0xab), 'it is not an LMDB database file', 'damaged'],
    // Plainly another kind of file: no damage to mark or salvage.
    ['a text file', Buffer.from('hello, I am not a database\n'), 'it is a text file, not an agent-tracker database', 'open'],
    ['a JSON file', Buffer.from(`${JSON.stringify({ plugin: ['agent-tracker'], note: 'café ☕' }, null, 2)}\n`), 'it is a text file, not an agent-tracker database', 'open'],
    ['an SQLite database', Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), Buffer.alloc(4080)]), 'it is an SQLite database, not an agent-tracker database', 'open'],
  ])('rejects %s at the path with DATABASE_UNREADABLE naming the file', (_, content, problem, reason) => {
    const databasePath = join(tempFolder(), 'agent-tracker.lmdb')
    writeFileSync(databasePath, content)
    const error = openError(databasePath)
    expect(isLmdbStoreError(error, 'DATABASE_UNREADABLE')).toBe(true)
    expect((error as Error).message).toBe(`The agent-tracker database ${databasePath} is unreadable: ${problem}. Nothing was opened or changed.`)
    expect((error as LmdbStoreError).details).toEqual({ path: databasePath, reason })
    expect(readFileSync(databasePath)).toEqual(content)
  })

  it('rejects a garbage data.mdb inside a database folder', () => {
    const folder = join(tempFolder(), 'tracker-db')
    mkdirSync(folder)
    writeFileSync(join(folder, 'data.mdb'), Buffer.alloc(16 * 1024, 0xab))
    const error = openError(folder)
    expect((error as Error).message).toContain(`${join(folder, 'data.mdb')} is unreadable: it is not an LMDB database file`)
  })

  it('rejects a truncated database (which would otherwise die of a bus error)', async () => {
    const databasePath = await realDatabase(tempFolder())
    truncateSync(databasePath, 3 * 4096)
    expect((openError(databasePath) as Error).message).toMatch(/is unreadable: it is truncated \(12288 bytes, but its pages need \d+\)/)
  })

  it('accepts real databases, empty files and absent files', async () => {
    const folder = tempFolder()
    expect(checkDataFile(await realDatabase(folder))).toMatchObject({ ok: true, exists: true, pageSize: 4096 })
    writeFileSync(join(folder, 'empty.lmdb'), '')
    expect(checkDataFile(join(folder, 'empty.lmdb'))).toEqual({ ok: true, exists: false })
    expect(checkDataFile(join(folder, 'absent.lmdb'))).toEqual({ ok: true, exists: false })
  })

  it('tells an absent or empty data file from any other without reading it, as the full check does', async () => {
    const folder = tempFolder()
    const real = await realDatabase(folder)
    writeFileSync(join(folder, 'empty.lmdb'), '')
    writeFileSync(join(folder, 'text.lmdb'), 'not a database')
    mkdirSync(join(folder, 'folder.lmdb'))
    const files = [real, join(folder, 'empty.lmdb'), join(folder, 'absent.lmdb'), join(folder, 'empty.lmdb', 'under-a-file.lmdb'), join(folder, 'text.lmdb'), join(folder, 'folder.lmdb')]
    expect(files.map(isDataFileAbsent)).toEqual([false, true, true, true, false, false])
    for (const file of files) {
      const full = checkDataFile(file)
      expect(isDataFileAbsent(file), file).toBe(full.ok && !full.exists)
    }
  })
})

describe('size limit', () => {
  it('refuses a batch that would pass maxDatabaseSize, keeps everything stored, and takes it after a raise', async () => {
    const databasePath = join(tempFolder(), 'small.lmdb')
    const store = openLmdbStore({ databasePath, maxDatabaseSize: MIB })
    const s = createFactScript({ setup: SETUP, project: PROJECT, stepMs: 1 })
    const batch = (): ActivityFact[] => Array.from({ length: 20 }, () => s.activity('y'.repeat(2000)))
    let stored = 0
    let failure: unknown
    for (let round = 0; round < 100 && failure === undefined; round++) {
      try {
        await store.applyFacts(batch())
        stored += 20
      } catch (error) {
        failure = error
      }
    }
    expect(isLmdbStoreError(failure, 'DATABASE_FULL')).toBe(true)
    expect((failure as Error).message).toMatch(/(reached its size limit|has no room within its size limit for this batch of about .*): .* used of 1\.0 MiB\. This batch was not written; everything already stored is intact\.$/)
    expect((failure as LmdbStoreError).details).toMatchObject({ path: databasePath, limitBytes: MIB, maximumBytes: MAX_DATABASE_SIZE, usedBytes: expect.any(Number) as number })
    expect(stored).toBeGreaterThan(0)
    expect(await store.find('activities')).toHaveLength(stored)
    expect(store.info().usedBytes).toBeLessThanOrEqual(MIB)
    await store.close()

    const bigger = openLmdbStore({ databasePath, maxDatabaseSize: 4 * MIB })
    expect(await bigger.find('activities')).toHaveLength(stored)
    await bigger.applyFacts(batch())
    expect(await bigger.find('activities')).toHaveLength(stored + 20)
    await bigger.close()
  })
})

describe('size limit with large records', () => {
  it('counts the real size of a large record, so one big batch cannot push the file past the limit', async () => {
    const databasePath = join(tempFolder(), 'small.lmdb')
    const store = openLmdbStore({ databasePath, maxDatabaseSize: MIB })
    const s = createFactScript({ setup: SETUP, project: PROJECT, stepMs: 1 })
    // The script repeats the task in `actions`: each record holds 300 KB, and so does its fact in the log.
    await store.applyFacts([s.activity('z'.repeat(150_000))])
    expect(store.info().usedBytes).toBeGreaterThan(MIB / 2)
    let failure: unknown
    try {
      await store.applyFacts([s.activity('z'.repeat(150_000))])
    } catch (error) {
      failure = error
    }
    expect(isLmdbStoreError(failure, 'DATABASE_FULL')).toBe(true)
    expect(store.info().usedBytes).toBeLessThanOrEqual(MIB)
    expect(await store.find('activities')).toHaveLength(1)
    await store.close()
  })

  it('gives the use, the limit and the largest limit, for the host to say whether raising it helps', () => {
    const error = databaseFullError('/data/tracker.lmdb', MAX_DATABASE_SIZE - 4096, MAX_DATABASE_SIZE)
    expect(error.code).toBe('DATABASE_FULL')
    expect(error.message).toBe('The agent-tracker database /data/tracker.lmdb reached its size limit: 2.0 GiB used of 2.0 GiB. This batch was not written; everything already stored is intact.')
    expect(error.details).toEqual({ path: '/data/tracker.lmdb', usedBytes: MAX_DATABASE_SIZE - 4096, limitBytes: MAX_DATABASE_SIZE, maximumBytes: MAX_DATABASE_SIZE })
    // Refused before the write, far from the limit: what the batch needs says why.
    expect(databaseFullError('/data/tracker.lmdb', 36 * 1024, 1024 * 1024, { needed: 2 * 1024 * 1024 }).message).toBe('The agent-tracker database /data/tracker.lmdb has no room within its size limit for this batch of about 2.0 MiB: 36.0 KiB used of 1.0 MiB. This batch was not written; everything already stored is intact.')
    expect(error.path).toBe('/data/tracker.lmdb')
  })

  it('writes migration records within the limit too', async () => {
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'small.lmdb'), maxDatabaseSize: MIB })
    const record = { id: 'merge:/x', kind: 'merge' as const, source: 'x'.repeat(2 * MIB), at: '2026-01-01T00:00:00.000Z', migrated: 0, skipped: 0, errors: 0 }
    await expect(store.recordMigration(record)).rejects.toMatchObject({ code: 'DATABASE_FULL' })
    expect(await store.listMigrations()).toEqual([])
    await store.close()
  })
})

describe('unwritable and locked locations', () => {
  // The tests run as root, for whom permission bits stop nothing: these places refuse root too.
  it.each([
    ['a folder where files cannot be created (sysfs)', '/sys/kernel/agent-tracker.lmdb', 'Permission denied'],
    ['a folder that lets nothing in (a process folder under /proc)', '/proc/1/agent-tracker.lmdb', 'No such file or directory'],
  ])('explains %s with DATABASE_UNWRITABLE', (_, databasePath, reason) => {
    const error = openError(databasePath)
    expect(isLmdbStoreError(error, 'DATABASE_UNWRITABLE')).toBe(true)
    expect((error as Error).message).toContain(`Cannot create the agent-tracker database ${databasePath}: ${reason}`)
    expect((error as LmdbStoreError).details).toEqual({ path: databasePath, reason: 'create' })
  })

  it('explains a folder that cannot be created for lack of permission', () => {
    const error = openError('/sys/agent-tracker/db.lmdb')
    expect(isLmdbStoreError(error, 'DATABASE_UNWRITABLE')).toBe(true)
    expect((error as Error).message).toBe("Cannot create the folder /sys/agent-tracker for the agent-tracker database: EPERM: operation not permitted, mkdir '/sys/agent-tracker'.")
    expect((error as LmdbStoreError).details).toEqual({ path: '/sys/agent-tracker', reason: 'folder' })
    expect((error as Error).cause).toMatchObject({ code: 'EPERM' })
  })

  it('refuses at once a path inside a virtual file system, instead of creating folders forever', () => {
    const error = openError('/proc/1/agent-tracker/db.lmdb')
    expect(isLmdbStoreError(error, 'DATABASE_UNWRITABLE')).toBe(true)
    expect((error as Error).message).toContain('Cannot create the folder /proc/1/agent-tracker for the agent-tracker database')
  })

  it('refuses a folder of other files as the database path (such as ~), rather than filling it', () => {
    const folder = tempFolder()
    writeFileSync(join(folder, 'notes.txt'), 'mine')
    const error = openError(folder)
    expect(isLmdbStoreError(error, 'INVALID_OPTION')).toBe(true)
    expect((error as Error).message).toBe(`Invalid databasePath ${folder}: it is a folder with other files in it and no agent-tracker database. Give a file path in it instead, e.g. ${folder}/agent-tracker.lmdb.`)
  })

  it('names a named pipe or a device given as the database without opening it (a pipe would wait for a writer for good)', () => {
    const folder = tempFolder()
    const pipe = join(folder, 'pipe.lmdb')
    execFileSync('mkfifo', [pipe])
    for (const [path, kind] of [[pipe, 'a named pipe'], ['/dev/null', 'a character device']] as const) {
      expect(checkDataFile(path)).toEqual({ ok: false, problem: `it is ${kind}, not a database file`, damaged: false })
      const error = openError(path)
      expect(isLmdbStoreError(error, 'DATABASE_UNREADABLE')).toBe(true)
      expect((error as Error).message).toBe(`The agent-tracker database ${path} is unreadable: it is ${kind}, not a database file. Nothing was opened or changed.`)
    }
    expect(readdirSync(folder)).toEqual(['pipe.lmdb'])
  })

  it('says a data.mdb that is a folder is one', () => {
    const folder = tempFolder()
    mkdirSync(join(folder, 'data.mdb'))
    const error = openError(folder)
    expect(isLmdbStoreError(error, 'DATABASE_UNREADABLE')).toBe(true)
    expect((error as Error).message).toContain('is unreadable: it is a folder, not a file')
    // Not damage: nothing to salvage, the fix is another path.
    expect((error as LmdbStoreError).details).toEqual({ path: join(folder, 'data.mdb'), reason: 'open' })
  })

  it('explains a path whose folder cannot be created because a file stands in its way, naming the file', () => {
    const blocker = join(tempFolder(), 'not-a-folder')
    writeFileSync(blocker, 'x')
    for (const folder of [blocker, join(blocker, 'deeper', 'still')]) {
      const error = openError(join(folder, 'db.lmdb'))
      expect(isLmdbStoreError(error, 'DATABASE_UNWRITABLE')).toBe(true)
      expect((error as Error).message).toBe(`Cannot create the folder ${folder} for the agent-tracker database: ${blocker} is a file, not a folder. Give a database path whose folders are folders, or move ${blocker} aside.`)
      expect((error as LmdbStoreError).details).toEqual({ path: blocker, reason: 'not-a-folder' })
    }
  })

  it('refuses to map a lock file a full disk could not back (LMDB would die with SIGBUS, which looks like damage), and only then', async () => {
    const folder = tempFolder()
    const databasePath = await realDatabase(folder, 10)
    const lockFile = `${databasePath}-lock`
    // More room than any disk has: as a full disk looks to a lock file that needs blocks.
    const full = Number.MAX_SAFE_INTEGER
    // A lock file LMDB has sized but not written (sparse), or none yet, needs room.
    truncateSync(lockFile, 0)
    truncateSync(lockFile, 8272)
    expect(statSync(lockFile).blocks * 512).toBeLessThan(8272)
    expect(lockFileRoomProblem(lockFile, full)).toMatch(new RegExp(`^the disk holding ${folder} is full \\(\\d+ bytes free\\), and LMDB needs room there for the database's lock file even to read it$`))
    expect(lockFileRoomProblem(join(folder, 'other.lmdb-lock'), full)).toMatch(/is full/)
    // One whose first page is on disk (as any a process opened is) needs none, its reader table's
    // unwritten rest notwithstanding: reads of a full disk go on; and this disk has room.
    const opened = openLmdbStore({ databasePath })
    await opened.close()
    expect(statSync(lockFile).blocks * 512).toBeGreaterThanOrEqual(4096)
    expect(lockFileRoomProblem(lockFile, full)).toBeUndefined()
    writeFileSync(lockFile, Buffer.alloc(8272, 1))
    expect(lockFileRoomProblem(lockFile, full)).toBeUndefined()
    truncateSync(lockFile, 0)
    truncateSync(lockFile, 8272)
    expect(lockFileRoomProblem(lockFile)).toBeUndefined()
    const store = openLmdbStore({ databasePath })
    expect(await store.schemaVersion()).toBeGreaterThan(0)
    await store.close()
  })

  it('explains, instead of crashing, a lock path that is not a file', () => {
    const databasePath = join(tempFolder(), 'db.lmdb')
    mkdirSync(`${databasePath}-lock`)
    const error = openError(databasePath)
    expect(isLmdbStoreError(error, 'DATABASE_UNWRITABLE')).toBe(true)
    expect((error as Error).message).toBe(`The agent-tracker database ${databasePath} cannot be opened: its lock file ${databasePath}-lock is not a regular file. Remove it; LMDB recreates it.`)
    expect((error as LmdbStoreError).details).toEqual({ path: `${databasePath}-lock`, reason: 'lock-file' })
  })
})

describe('a full disk', () => {
  it('fails a batch with DATABASE_UNWRITABLE saying so, without ending the process, keeps what was stored, and takes the batch once there is room', async (ctx) => {
    const disk = smallDisk(join(tempFolder(), 'disk'), 8 * MIB)
    if (disk === undefined) {
      ctx.skip()
      return
    }
    try {
      const databasePath = join(disk.folder, 'tracker.lmdb')
      const store = openLmdbStore({ databasePath })
      const s = createFactScript({ setup: SETUP, project: PROJECT })
      await store.applyFacts([s.activity('stored before the disk filled')])
      // Fill the disk but for a few pages: the next batch cannot be committed.
      const { bavail, bsize } = statfsSync(disk.folder)
      writeFileSync(join(disk.folder, 'ballast'), Buffer.alloc(Math.max(0, bavail * bsize - 8 * 1024)))
      const big: ActivityFact[] = Array.from({ length: 200 }, (_, i) => s.activity(`task ${String(i)} ${'x'.repeat(2000)}`))
      // lmdb-js also rejected a promise of its own that nobody held: unhandled, that ended the process (and fails this test).
      const failure = await store.applyFacts(big).then(() => undefined, (error: unknown) => error)
      expect(isLmdbStoreError(failure, 'DATABASE_UNWRITABLE')).toBe(true)
      expect((failure as Error).message).toMatch(new RegExp(`^Could not write to the agent-tracker database ${databasePath}: the disk holding it is full or failing \\(.+\\)\\. Nothing from this batch was written; free some space and try again\\.$`))
      expect((await store.find('activities', { setup: SETUP })).map((activity) => activity.task)).toEqual(['stored before the disk filled'])
      // Room again: the same store takes the batch.
      rmSync(join(disk.folder, 'ballast'))
      await store.applyFacts(big)
      expect((await store.find('activities', { setup: SETUP })).length).toBe(201)
      await store.close()
    } finally {
      disk.unmount()
    }
  })
})
