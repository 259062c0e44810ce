import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFactScript } from '@agent-tracker/core/testing'
import { locateDataFile, openLmdbStore, readStoredSchema } from '@agent-tracker/lmdb-store'
import { writeSchema1Database } from '@agent-tracker/lmdb-store/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { jsonData, runCli, tempFolder } from './run-cli.js'
import { GPT, seedHistory } from './seed.js'

type Check = { name: string; level: string; detail: string }
type Doctor = { healthy: boolean; upgraded?: { from: number; to: number }; checks: Check[] }

const checkOf = (doctor: Doctor, name: string): Check | undefined => doctor.checks.find((entry) => entry.name === name)

describe('doctor names the fix beside each problem', () => {
  it('for a file that is no agent-tracker database — text, SQLite, random bytes — as the other commands do', async () => {
    const folder = tempFolder()
    const sqlite = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080)])
    const files = { 'notes.lmdb': 'notes\n', 'app.lmdb': sqlite, 'noise.lmdb': Buffer.alloc(8192, 0xab) }
    for (const [name, content] of Object.entries(files)) {
      const db = join(folder, name)
      writeFileSync(db, content)
      const doctor = await runCli(['doctor', '--db', db, '--json'])
      expect(doctor.code).toBe(1)
      const file = checkOf(jsonData(doctor.stdout, 'doctor') as Doctor, 'File')
      expect(file?.level, name).toBe('problem')
      expect(file?.detail, name).toMatch(name === 'noise.lmdb'
        ? /is unreadable: it is not an LMDB database file\. Run agent-tracker doctor --deep to see where; then restore a backup, or copy everything still readable into a new database with agent-tracker doctor --salvage <new-file> .* move it aside, or point --db \(or AGENT_TRACKER_DB\) at another database\.$/
        : /is unreadable: it is (a text file|an SQLite database), not an agent-tracker database\. Move the file aside, or point --db \(or AGENT_TRACKER_DB\) at another database\.$/)
    }
  })

  it('for a database over its size limit: it says writes are refused now, not to raise the limit soon', async () => {
    const db = join(tempFolder(), 'tracker.lmdb')
    const store = openLmdbStore({ databasePath: db })
    const script = createFactScript({ setup: GPT, project: '/home/dev/shop', start: '2026-03-01T09:00:00.000Z', stepMs: 60_000 })
    // Long journal entries: well over the smallest limit, 1 MiB.
    await store.applyFacts(Array.from({ length: 120 }, (_, i) => script.activity(`task ${String(i)} ${'x'.repeat(4000)}`)))
    await store.close()
    const doctor = await runCli(['doctor', '--db', db, '--max-size', '1MiB', '--json'])
    const size = checkOf(jsonData(doctor.stdout, 'doctor') as Doctor, 'Size')
    expect(size?.level).toBe('problem')
    expect(size?.detail).toMatch(/^[\d.]+ MiB used of the 1\.0 MiB limit \(\d{3,}\.\d%\) — over the limit already: every write that adds to it is refused \(nothing is recorded\) until you raise the limit above /)
    expect(size?.detail).not.toContain('soon')
  })
})

describe('doctor on a database of release 0.1.0 (schema 1)', () => {
  async function releaseOneDatabase(): Promise<string> {
    const db = join(tempFolder(), 'release-0.1.0.lmdb')
    const script = createFactScript({ setup: GPT, project: '/home/dev/shop', start: '2026-02-01T09:00:00.000Z', stepMs: 60_000 })
    await writeSchema1Database(db, { facts: [script.activity('cart'), script.commit('c0ffee1', 'cart'), script.toolCall('bash')] })
    return db
  }

  it('says that it upgraded it, and from which schema, in JSON and in text, piped; sizes are read after the upgrade', async () => {
    const db = await releaseOneDatabase()
    const json = await runCli(['doctor', '--db', db, '--json'])
    const data = jsonData(json.stdout, 'doctor') as Doctor
    expect(data.upgraded).toEqual({ from: 1, to: readStoredSchema(db)?.schemaVersion })
    expect(checkOf(data, 'Upgrade')).toMatchObject({ level: 'ok', detail: expect.stringMatching(/^upgraded in place from schema 1 \(written by release 0\.1\.0\) to schema \d as doctor opened it/) as unknown })
    expect(checkOf(data, 'File')?.detail).toMatch(/on disk \(after the upgrade below\)$/)

    const other = await releaseOneDatabase()
    const text = await runCli(['doctor', '--db', other])
    expect(text.stdout).toMatch(/\n✓ Upgrade +upgraded in place from schema 1 \(written by release 0\.1\.0\)/)
    const { dataFile } = locateDataFile(other)
    const kib = (statSync(dataFile).size / 1024).toFixed(1)
    expect(text.stdout).toMatch(new RegExp(`\\n✓ File +${kib.replace('.', '\\.')} KiB on disk \\(after the upgrade below\\)\\n`))
    expect(text.stdout).toMatch(new RegExp(`\\n✓ Size +${kib.replace('.', '\\.')} KiB used of the`))
    // Opened again, it is of this release: nothing more is said.
    const again = jsonData((await runCli(['doctor', '--db', other, '--json'])).stdout, 'doctor') as Doctor
    expect(again.upgraded).toBeUndefined()
    expect(checkOf(again, 'Upgrade')).toBeUndefined()
  })
})

/** A small file system of its own (tmpfs), where free space can be made short; only as root, where mounting is allowed. */
const mounted: string[] = []
afterAll(() => {
  for (const folder of mounted) spawnSync('umount', [folder])
})

function smallDisk(bytes: number): string | undefined {
  if (process.getuid?.() !== 0) return undefined
  const folder = tempFolder('disk-')
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${String(bytes)}`, 'tmpfs', folder]).status !== 0) return undefined
  mounted.push(folder)
  return folder
}

describe('doctor on a disk with less than 1 MiB free', () => {
  it('warns that a write that grows the database may fail — and a write that fits still works', async (ctx) => {
    const disk = smallDisk(3 * 1024 * 1024)
    if (disk === undefined) {
      ctx.skip()
      return
    }
    const { db } = await seedHistory()
    const copy = join(disk, 'tracker.lmdb')
    cpSync(db, copy, { recursive: true })
    // Fill the disk but for about 800 KiB.
    mkdirSync(join(disk, 'fill'))
    const { bavail, bsize } = statfsSync(disk)
    writeFileSync(join(disk, 'fill', 'ballast'), Buffer.alloc(Math.max(0, bavail * bsize - 800 * 1024)))
    const doctor = await runCli(['doctor', '--db', copy, '--json'])
    const writable = checkOf(jsonData(doctor.stdout, 'doctor') as Doctor, 'Writable')
    expect(writable).toMatchObject({ level: 'finding', detail: expect.stringMatching(/^yes, but the disk holding .* has only [\d.]+ KiB free: a write that makes the database grow past that fails/) as unknown })
    expect(doctor.code).toBe(0)
    expect((await runCli(['activity', GPT, '--task', 'tidy the cart', '--db', copy])).code).toBe(0)
    rmSync(join(disk, 'fill'), { recursive: true })
  })
})
