import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createFactScript } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { NO_PAGE, PAGE_HEADER_SIZE, readMeta, readNodes, readPageHeader, readTreeRecord } from '../src/lmdb-format.js'
import { openLmdbStore } from '../src/open-lmdb-store.js'
import { tempFolder } from '@agent-tracker/test-folders'

const run = promisify(execFile)
const child = fileURLToPath(new URL('fixtures/open-database.mjs', import.meta.url))
const PAGE = 4096

/** A real database with a few hundred activities, as its bytes. */
async function realDatabase(): Promise<Buffer> {
  const databasePath = join(tempFolder(), 'real.lmdb')
  const store = openLmdbStore({ databasePath })
  const s = createFactScript({ setup: 'build@fake/m1', project: '/home/dev/app' })
  await store.applyFacts(Array.from({ length: 400 }, (_, i) => s.activity(`task ${String(i)} ${'x'.repeat(300)}`)))
  await store.close()
  return readFileSync(databasePath)
}

/** The root page of a named sub-database, found the way LMDB finds it: newest meta, main tree leaf. */
function subDatabaseRoot(file: Buffer, name: string): number {
  const metas = [readMeta(file.subarray(0, PAGE)), readMeta(file.subarray(PAGE, 2 * PAGE))]
  const newest = (metas[1]?.txnId ?? 0n) > (metas[0]?.txnId ?? 0n) ? metas[1] : metas[0]
  const main = file.subarray(Number(newest?.mainTree.root) * PAGE, (Number(newest?.mainTree.root) + 1) * PAGE)
  const nodes = readNodes(main, readPageHeader(main))
  if (typeof nodes === 'string') throw new Error(nodes)
  const node = nodes.find((candidate) => candidate.key.toString() === `${name}\0`)
  if (node === undefined) throw new Error(`no sub-database ${name}`)
  const root = readTreeRecord(node.data, 0).root
  if (root === NO_PAGE) throw new Error(`sub-database ${name} is empty`)
  return Number(root)
}

function mainRoot(file: Buffer): number {
  const metas = [readMeta(file.subarray(0, PAGE)), readMeta(file.subarray(PAGE, 2 * PAGE))]
  const newest = (metas[1]?.txnId ?? 0n) > (metas[0]?.txnId ?? 0n) ? metas[1] : metas[0]
  return Number(newest?.mainTree.root)
}

/** Deterministic pseudo-random bytes (xorshift), so a failure can be replayed. */
function randomBytes(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length)
  let state = seed
  for (let i = 0; i < length; i++) {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    bytes[i] = state & 0xff
  }
  return bytes
}

async function openInChild(file: Buffer, reach: 'newest' | 'all' = 'newest'): Promise<{ exit: number; stderr: string; result: { opened: boolean; code?: string; message?: string } }> {
  const databasePath = join(tempFolder(), 'damaged.lmdb')
  writeFileSync(databasePath, file)
  try {
    const { stdout, stderr } = await run(process.execPath, [child, databasePath, reach])
    return { exit: 0, stderr, result: JSON.parse(stdout) as { opened: boolean; code?: string; message?: string } }
  } catch (error) {
    const failed = error as { code?: number; signal?: string; stderr?: string }
    return { exit: failed.code ?? -1, stderr: `${failed.signal ?? ''} ${failed.stderr ?? ''}`, result: { opened: false } }
  }
}

describe('a damaged data file is reported, and the process that opens it survives', () => {
  it.each([
    ['0xAB bytes', 0xab],
    ['zeros', 0x00],
  ])('everything after the first 8 KiB overwritten with %s', async (_, fill) => {
    const file = await realDatabase()
    file.fill(fill, 2 * PAGE)
    const { exit, stderr, result } = await openInChild(file)
    expect({ exit, stderr }).toEqual({ exit: 0, stderr: '' })
    expect(result).toMatchObject({ opened: false, code: 'DATABASE_UNREADABLE' })
    expect(result.message).toMatch(/damaged\.lmdb is unreadable: page \d+ \(the root of the free-page tree\) is damaged: it says it is page \d+\. Nothing was opened/)
  })

  it('a sub-database root page in the middle of the file replaced by random bytes', async () => {
    const file = await realDatabase()
    const root = subDatabaseRoot(file, 'activities')
    randomBytes(PAGE, 0x5eed).copy(file, root * PAGE)
    const { exit, stderr, result } = await openInChild(file)
    expect({ exit, stderr }).toEqual({ exit: 0, stderr: '' })
    expect(result).toMatchObject({ opened: false, code: 'DATABASE_UNREADABLE' })
    expect(result.message).toContain(`page ${String(root)} (the root of sub-database "activities") is damaged`)
  })

  it('random bytes in the middle of the main tree root, whose header stays valid', async () => {
    const file = await realDatabase()
    const root = mainRoot(file)
    const start = root * PAGE + PAGE_HEADER_SIZE + readPageHeader(file.subarray(root * PAGE)).upper
    randomBytes(root * PAGE + PAGE - start, 0xbad).copy(file, start)
    const { exit, stderr, result } = await openInChild(file)
    expect({ exit, stderr }).toEqual({ exit: 0, stderr: '' })
    expect(result).toMatchObject({ opened: false, code: 'DATABASE_UNREADABLE' })
    expect(result.message).toContain(`is unreadable: page ${String(root)} (the root of the main tree) is damaged: `)
  })

  it('a leaf of records whose keys are garbled: a read through the index says so instead of leaving its records out', async () => {
    const file = await realDatabase()
    const root = subDatabaseRoot(file, 'activities')
    const branch = file.subarray(root * PAGE, (root + 1) * PAGE)
    const children = readNodes(branch, readPageHeader(branch))
    if (typeof children === 'string') throw new Error(children)
    const leaf = Number(children[Math.floor(children.length / 2)]?.page)
    const page = file.subarray(leaf * PAGE, (leaf + 1) * PAGE)
    const nodes = readNodes(page, readPageHeader(page))
    if (typeof nodes === 'string') throw new Error(nodes)
    // Every key on the page overwritten (in place: the nodes' keys are views of the file's bytes); headers, sizes and values stay.
    for (const [index, node] of nodes.entries()) randomBytes(node.key.length, 0x1eaf + index).copy(node.key)
    const { exit, stderr, result } = await openInChild(file, 'all')
    expect({ exit, stderr }).toEqual({ exit: 0, stderr: '' })
    expect(result).toMatchObject({ opened: false, code: 'DAMAGED_RECORD' })
    expect(result.message).toMatch(/^The activities record build@fake\/m1 \S+ \S+ that the index activities-by-time lists cannot be read: the database file is probably damaged there\.$/)
  })

  it('opens the undamaged database in a child process (the checks accept real files)', async () => {
    const { exit, stderr, result } = await openInChild(await realDatabase())
    expect({ exit, stderr }).toEqual({ exit: 0, stderr: '' })
    expect(result).toEqual({ opened: true, activities: 5 })
  })
})
