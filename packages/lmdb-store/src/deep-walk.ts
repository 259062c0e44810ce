import { closeSync, openSync, readSync } from 'node:fs'
import type { Walk } from './check-trees.js'
import { checkOverflow, checkTreePage } from './check-trees.js'
import type { MetaRecord, TreeRecord } from './lmdb-format.js'
import { LMDB_MAGIC, META_SIZE, NODE_BIG_DATA, NODE_SUB_DATABASE, NO_PAGE, TREE_RECORD_SIZE, readMeta, readTreeRecord } from './lmdb-format.js'

/** What a walk of one tree found: its entries, the pages it visited, and the damage, if any. */
export interface TreeWalk {
  readonly name: string
  readonly entries: number
  readonly pages: number
  readonly problem?: string
}

/**
 * Walks every page of every tree of a data file — the main tree, each named sub-database, every
 * branch, leaf and overflow page — reading the file with plain reads, never through LMDB, so a
 * damaged page is reported instead of crashing the process. Checks what LMDB relies on: each
 * page's own number and type, free-space bounds, nodes inside their page, child and overflow
 * pages inside the file, no page reached twice, and the entry count each tree claims.
 * Returns one result per tree, or a string when the file itself is not readable as LMDB.
 */
export function walkEveryTree(dataFile: string): TreeWalk[] | string {
  const fd = openSync(dataFile, 'r')
  try {
    const header = read(fd, 0, META_SIZE)
    if (header.length < META_SIZE || readMeta(header).magic !== LMDB_MAGIC) return 'it is not an LMDB database file'
    const { pageSize } = readMeta(header)
    const metas = [readMeta(header), readMeta(read(fd, pageSize, META_SIZE))]
    const meta = metas.reduce((a, b) => (b.magic === LMDB_MAGIC && b.txnId > a.txnId ? b : a))
    const readPage = (pgno: bigint): Buffer => read(fd, Number(pgno) * pageSize, pageSize)
    const seen = new Set<bigint>()
    const results: TreeWalk[] = []
    const subDatabases: { name: string; tree: TreeRecord }[] = []
    results.push(walkTree(meta, readPage, seen, 'the main tree', meta.mainTree, (key, data, flags) => {
      if ((flags & NODE_SUB_DATABASE) === 0) return undefined
      if (data.length !== TREE_RECORD_SIZE) return `the record of sub-database "${key}" has ${String(data.length)} bytes`
      subDatabases.push({ name: key, tree: readTreeRecord(data, 0) })
      return undefined
    }))
    results.push(walkTree(meta, readPage, seen, 'the free-page tree', meta.freeTree))
    for (const { name, tree } of subDatabases) results.push(walkTree(meta, readPage, seen, name, tree))
    return results
  } finally {
    closeSync(fd)
  }
}

type LeafVisitor = (key: string, data: Buffer, flags: number) => string | undefined

function walkTree(meta: MetaRecord, readPage: (pgno: bigint) => Buffer, seen: Set<bigint>, name: string, tree: TreeRecord, visit?: LeafVisitor): TreeWalk {
  if (tree.root === NO_PAGE) return tree.entries === 0n ? { name, entries: 0, pages: 0 } : { name, entries: 0, pages: 0, problem: `it has no root page but claims ${String(tree.entries)} entries` }
  const walk: Walk = { meta, readPage, budget: Number.POSITIVE_INFINITY }
  let entries = 0
  let pages = 0
  const pending = [tree.root]
  const fail = (problem: string): TreeWalk => ({ name, entries, pages, problem })
  for (let pgno = pending.pop(); pgno !== undefined; pgno = pending.pop()) {
    if (seen.has(pgno)) return fail(`page ${String(pgno)} is reached twice`)
    seen.add(pgno)
    pages += 1
    const page = checkTreePage(walk, pgno, `a page of ${name}`)
    if (typeof page === 'string') return fail(page)
    if (page.branch) {
      for (const node of page.nodes) if (node.page !== undefined) pending.push(node.page)
      continue
    }
    // LEAF2 pages (fixed-size keys of duplicate-sort trees) hold their count in the header only.
    entries += page.nodes.length === 0 ? page.count : page.nodes.length
    for (const node of page.nodes) {
      if ((node.flags & NODE_BIG_DATA) !== 0 && node.page !== undefined) {
        const problem = checkOverflow(walk, node.page, node.pages, `a large value of ${name}`)
        if (problem !== undefined) return fail(problem)
        for (let p = 0; p < node.pages; p++) seen.add(node.page + BigInt(p))
        pages += node.pages
      }
      const problem = visit?.(node.key.toString('utf8').replace(/\0$/, ''), node.data, node.flags)
      if (problem !== undefined) return fail(problem)
    }
  }
  if (BigInt(entries) !== tree.entries) return fail(`it holds ${String(entries)} entries but claims ${String(tree.entries)}`)
  return { name, entries, pages }
}

function read(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length)
  const got = readSync(fd, buffer, 0, length, position)
  return buffer.subarray(0, got)
}

