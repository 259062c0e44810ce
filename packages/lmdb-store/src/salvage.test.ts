import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createFactScript } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { checkDataFile, damagedMetaPage } from './data-file.js'
import { deepCheck } from './deep-check.js'
import { openLmdbStore } from './open-lmdb-store.js'
import type { SalvagedData } from './salvage.js'

const run = promisify(execFile)
const child = fileURLToPath(new URL('../test/fixtures/salvage.mjs', import.meta.url))
const PAGE = 4096
const ACTIVITIES = 300

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

  it.each([0, 1] as const)('is read through the intact one when meta page %i is damaged, and the file is left as it is', async (page) => {
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
