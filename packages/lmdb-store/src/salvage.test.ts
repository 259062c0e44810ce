import { execFile } from 'node:child_process'
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createFactScript } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { checkDataFile, cutShort, damagedMetaPage } from './data-file.js'
import { deepCheck } from './deep-check.js'
import { PAGE_HEADER_SIZE, PAGE_OVERFLOW, pageType, readPageHeader } from './lmdb-format.js'
import { openLmdbStore } from './open-lmdb-store.js'
import { readableProblem } from './readable-problem.js'
import type { SalvagedData } from './salvage.js'

const run = promisify(execFile)
const child = fileURLToPath(new URL('../test/fixtures/salvage.mjs', import.meta.url))
const PAGE = 4096
const ACTIVITIES = 120

/** A real database: a few hundred activities over several writes, so its two meta pages name different transactions. */
async function realDatabase(): Promise<string> {
  const databasePath = join(tempFolder(), 'real.lmdb')
  const store = openLmdbStore({ databasePath })
  const s = createFactScript({ setup: 'build@fake/m1', project: '/home/dev/app' })
  for (let batch = 0; batch < 3; batch++) await store.applyFacts(Array.from({ length: ACTIVITIES / 3 }, (_, i) => s.activity(`task ${String(batch)}.${String(i)} ${'x'.repeat(200)}`)))
  await store.close()
  return databasePath
}

/** Salvages through the built package in a child process, as the CLI does (its readers import the built package). */
async function salvageDatabase(path: string): Promise<SalvagedData> {
  const { stdout } = await run(process.execPath, [child, path])
  return JSON.parse(stdout) as SalvagedData
}

function zeroPage(path: string, page: number): Buffer {
  const file = readFileSync(path)
  file.fill(0, page * PAGE, (page + 1) * PAGE)
  writeFileSync(path, file)
  return file
}

describe('a damaged meta page beside an intact one', () => {
  it('is named by the checks as the first meta page, not as another kind of file', async () => {
    const path = await realDatabase()
    zeroPage(path, 0)
    const problem = 'its first meta page (page 0) is damaged; the second one (page 1) is intact'
    expect(checkDataFile(path)).toEqual({ ok: false, problem, damaged: true })
    expect(damagedMetaPage(path)).toEqual({ page: 0, pageSize: PAGE })
    expect(await deepCheck(path)).toMatchObject({ intact: false, problem, damaged: true })
  })

  // Page 0 damaged is salvaged end to end by the CLI's own test (salvage.e2e); here, page 1.
  it.each([1] as const)('is read through the intact one when meta page %i is damaged, and the file is left as it is', async (page) => {
    const path = await realDatabase()
    const damaged = zeroPage(path, page)
    const salvaged = await salvageDatabase(path)
    expect(salvaged.lost).toEqual([])
    expect(salvaged.rebuiltMetaPage).toBe(page)
    // The snapshot before the last write, or the last: every fact of the earlier writes, and nothing lost within it.
    expect(salvaged.facts.length).toBeGreaterThanOrEqual(2 * ACTIVITIES / 3)
    expect(salvaged.facts.map((entry) => entry.seq)).toEqual(Array.from({ length: salvaged.facts.length }, (_, i) => i + 1))
    expect(salvaged.records.activities.length).toBe(salvaged.facts.length)
    expect(readFileSync(path).equals(damaged)).toBe(true)
  })

  it('leaves an intact file alone', async () => {
    const path = await realDatabase()
    expect(damagedMetaPage(path)).toBeUndefined()
    const salvaged = await salvageDatabase(path)
    expect(salvaged.lost).toEqual([])
    expect(salvaged.rebuiltMetaPage).toBeUndefined()
    expect(salvaged.facts.length).toBe(ACTIVITIES)
  })
})

describe('a file cut short', () => {
  it('is read as it stood before its newest write when that snapshot lies whole inside the file; the file is left as it is', async () => {
    const path = await realDatabase()
    const whole = statSync(path).size
    // The newest write's pages (and its tree roots) were put at the end: cut the last page off.
    truncateSync(path, whole - PAGE)
    const cut = readFileSync(path)
    expect(cutShort(path)).toMatchObject({ size: cut.length, needed: whole, pageSize: PAGE })
    expect(cutShort(path)?.newestOfTwo).toBeDefined()
    const salvaged = await salvageDatabase(path)
    expect(salvaged.lost).toEqual([{ where: 'the end of the file', problem: `the file is cut short (${String(cut.length)} bytes of the ${String(whole)} its pages need): it was read as it stood before its newest write, whose pages lay past the end; that write is gone` }])
    // Every fact of the writes before the last, in order.
    expect(salvaged.facts.map((entry) => entry.seq)).toEqual(Array.from({ length: 2 * ACTIVITIES / 3 }, (_, i) => i + 1))
    expect(salvaged.records.activities.length).toBe(2 * ACTIVITIES / 3)
    expect(readFileSync(path).equals(cut)).toBe(true)
  })

  it('cut deeper, is read through a copy as long as its pages need, so no reader dies past its end (SIGBUS); what is gone is said', async () => {
    const path = await realDatabase()
    const whole = statSync(path).size
    truncateSync(path, Math.floor((whole * 0.6) / PAGE) * PAGE)
    const cut = readFileSync(path)
    expect(cutShort(path)).toEqual({ size: cut.length, needed: whole, pageSize: PAGE })
    const salvaged = await salvageDatabase(path)
    expect(salvaged.lost[0]).toEqual({ where: 'the end of the file', problem: `the file is cut short (${String(cut.length)} bytes of the ${String(whole)} its pages need): what lay past its end is gone, and what the rest of it points there cannot be read` })
    expect(salvaged.lost.length).toBeGreaterThan(1)
    expect(salvaged.lost.some((loss) => loss.problem.includes('SIG'))).toBe(false)
    expect(readFileSync(path).equals(cut)).toBe(true)
  })
})

describe('what salvage could not read', () => {
  // A deep check and a salvage, each in a process of its own, over a real database: ~4 s alone, and past the
  // package's 30 s when the whole test command runs at once on two cores.
  it('is said without the raw bytes of a value that does not decode, naming the facts lost', { timeout: 120_000 }, async () => {
    const path = await realDatabase()
    const file = readFileSync(path)
    // The fact log's batches are its only values spanning pages: the first overflow page holds the start of one.
    const pages = file.length / PAGE
    const overflow = Array.from({ length: pages }, (_, page) => page).find((page) => page > 1 && pageType(readPageHeader(file.subarray(page * PAGE, (page + 1) * PAGE)).flags) === PAGE_OVERFLOW)
    expect(overflow).toBeDefined()
    // A short string of bytes that are no text (the rest of the value then runs on past it), as garbage on a page gives.
    Buffer.from([0xa3, 0xff, 0xfe, 0x6b]).copy(file, (overflow ?? 0) * PAGE + PAGE_HEADER_SIZE)
    writeFileSync(path, file)

    const problem = 'a stored value does not decode (its bytes run on past the value: msgpack "Data read, but end of buffer not reached")'
    const check = await deepCheck(path)
    expect(check.trees.find((tree) => tree.name === 'facts')?.problem).toBe(`its values cannot be read: ${problem}`)
    const salvaged = await salvageDatabase(path)
    expect(salvaged.lost.length).toBeGreaterThan(0)
    for (const loss of salvaged.lost) {
      expect(loss.where).toMatch(/^facts? #\d+(–#\d+)? of the fact log$/)
      expect(loss.problem).toBe(`reading it failed: ${problem}`)
    }
  })
})

describe('readableProblem', () => {
  it('leaves out what msgpackr quotes from a value that does not decode', () => {
    expect(readableProblem('Data read, but end of buffer not reached ["\ufffdkE\u0001x"]')).toBe('a stored value does not decode (its bytes run on past the value: msgpack "Data read, but end of buffer not reached")')
  })

  it('cuts a message before raw bytes, and at 200 characters, and keeps a plain one', () => {
    expect(readableProblem('Unknown extension type \ufffd\u0003garbage')).toBe('Unknown extension type … (unreadable bytes left out)')
    expect(readableProblem('\u0000\u0001')).toBe('unreadable bytes')
    expect(readableProblem('x'.repeat(300))).toBe(`${'x'.repeat(200)}…`)
    expect(readableProblem('Unexpected end of MessagePack data')).toBe('Unexpected end of MessagePack data')
  })

  it("says LMDB's error codes plainly, keeping the code", () => {
    expect(readableProblem('MDB_CORRUPTED: Located page was wrong type\nat …')).toBe('a page is damaged: it is not the kind of page its tree says it is (LMDB says MDB_CORRUPTED)')
    expect(readableProblem('Error: MDB_BAD_TXN: Transaction must abort, has a child, or is invalid')).toBe('the read stopped at a damaged page, and LMDB would read no further in it (LMDB says MDB_BAD_TXN)')
    expect(readableProblem('MDB_SOMETHING_NEW: what')).toBe('LMDB stopped reading (LMDB says MDB_SOMETHING_NEW)')
  })
})
