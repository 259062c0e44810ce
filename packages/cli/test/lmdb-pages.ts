/**
 * Just enough of LMDB's on-disk format (lmdb-js 3: 4 KiB pages, 24-byte page headers, 64-bit page
 * numbers; see `@agent-tracker/lmdb-store`'s lmdb-format.ts) for a test to find the pages of a
 * sub-database in a file's bytes and damage one of them on purpose.
 */

const PAGE = 4096
const HEADER = 24
const BRANCH = 0x01
const SUB_DATABASE = 0x02

interface Node { readonly flags: number; readonly key: Buffer; readonly data: Buffer; readonly child: number }

function nodes(file: Buffer, pgno: number): Node[] {
  const page = file.subarray(pgno * PAGE, (pgno + 1) * PAGE)
  const count = page.readUInt16LE(20) / 2
  return Array.from({ length: count }, (_, index) => {
    const offset = HEADER + page.readUInt16LE(HEADER + 2 * index)
    const [low, high, flags, keySize] = [0, 2, 4, 6].map((at) => page.readUInt16LE(offset + at)) as [number, number, number, number]
    const key = page.subarray(offset + 8, offset + 8 + keySize)
    return { flags, key, data: page.subarray(offset + 8 + keySize, offset + 8 + keySize + (low | (high << 16))), child: low + high * 0x1_0000 + flags * 0x1_0000_0000 }
  })
}

function isBranch(file: Buffer, pgno: number): boolean {
  return (file.readUInt16LE(pgno * PAGE + 18) & BRANCH) !== 0
}

/** The leaf pages of the named sub-database, in key order, found from the newest meta page. */
export function subDatabaseLeaves(file: Buffer, name: string): number[] {
  const metas = [0, 1].map((page) => ({ txn: file.readBigUInt64LE(page * PAGE + HEADER + 128), mainRoot: Number(file.readBigUInt64LE(page * PAGE + HEADER + 112)) }))
  const newest = (metas[1]?.txn ?? 0n) > (metas[0]?.txn ?? 0n) ? metas[1] : metas[0]
  const main = newest?.mainRoot ?? 0
  if (isBranch(file, main)) throw new Error('a main tree of more than one page')
  const record = nodes(file, main).find((node) => (node.flags & SUB_DATABASE) !== 0 && node.key.toString('utf8') === `${name}\0`)
  if (record === undefined) throw new Error(`no sub-database ${name}`)
  const leaves: number[] = []
  const walk = (pgno: number): void => {
    if (!isBranch(file, pgno)) leaves.push(pgno)
    else for (const node of nodes(file, pgno)) walk(node.child)
  }
  walk(Number(record.data.readBigUInt64LE(40)))
  return leaves
}

/** Drops the last node of a page from its node count: its entry is gone, and the page still reads as sound to LMDB. */
export function dropLastNode(file: Buffer, pgno: number): void {
  const at = pgno * PAGE + 20
  file.writeUInt16LE(file.readUInt16LE(at) - 2, at)
}
