import type { MetaRecord, PageHeader, PageNode, TreeRecord } from './lmdb-format.js'
import {
  NODE_BIG_DATA,
  NODE_SUB_DATABASE,
  NO_PAGE,
  PAGE_BRANCH,
  PAGE_HEADER_SIZE,
  PAGE_LEAF,
  PAGE_LEAF2,
  PAGE_OVERFLOW,
  TREE_RECORD_SIZE,
  pageType,
  readNodes,
  readPageHeader,
  readTreeRecord,
} from './lmdb-format.js'

/** Reads one whole page of the data file by its number. */
export type PageReader = (pgno: bigint) => Buffer

/** Pages of the main tree read at most: it holds one record per sub-database, so a page or two. */
const MAIN_TREE_PAGE_BUDGET = 32

export interface Walk {
  readonly meta: MetaRecord
  readonly readPage: PageReader
  budget: number
}

/**
 * Checks the pages LMDB reads first, from the meta page it will use: the roots of the free-page
 * tree and of the main tree, every page of the (small) main tree, and the root of each named
 * sub-database it lists. Each must carry its own page number, a branch or leaf type, sane
 * free-space bounds and nodes inside the page that point at pages inside the file. A handful of
 * page reads, whatever the size of the database. Returns what is wrong, or undefined.
 */
export function checkTrees(meta: MetaRecord, readPage: PageReader): string | undefined {
  const walk: Walk = { meta, readPage, budget: MAIN_TREE_PAGE_BUDGET }
  const free = checkRoot(walk, meta.freeTree, 'the free-page tree')
  if (typeof free === 'string') return free
  return checkMainTree(walk, meta.mainTree)
}

function checkMainTree(walk: Walk, tree: TreeRecord): string | undefined {
  const root = checkRoot(walk, tree, 'the main tree')
  if (typeof root === 'string' || root === undefined) return root
  const pending = [root]
  for (let page = pending.pop(); page !== undefined; page = pending.pop()) {
    for (const node of page.nodes) {
      const problem = page.branch ? visitChild(walk, node, pending) : checkMainLeafNode(walk, node)
      if (problem !== undefined) return problem
    }
  }
  return undefined
}

function visitChild(walk: Walk, node: PageNode, pending: CheckedPage[]): string | undefined {
  if (walk.budget <= 0 || node.page === undefined) return undefined
  walk.budget -= 1
  const child = checkTreePage(walk, node.page, 'a page of the main tree')
  if (typeof child === 'string') return child
  pending.push(child)
  return undefined
}

function checkMainLeafNode(walk: Walk, node: PageNode): string | undefined {
  if ((node.flags & NODE_SUB_DATABASE) !== 0) {
    // lmdb-js stores names with their terminating NUL.
    const name = `sub-database "${node.key.toString('utf8').replace(/\0$/, '')}"`
    if (node.data.length !== TREE_RECORD_SIZE) return `the record of ${name} has ${String(node.data.length)} bytes instead of ${String(TREE_RECORD_SIZE)}`
    const root = checkRoot(walk, readTreeRecord(node.data, 0), name)
    return typeof root === 'string' ? root : undefined
  }
  if ((node.flags & NODE_BIG_DATA) !== 0 && node.page !== undefined) return checkOverflow(walk, node.page, node.pages)
  return undefined
}

export interface CheckedPage {
  readonly branch: boolean
  readonly count: number
  readonly nodes: readonly PageNode[]
}

/** Checks the root page of the tree called `name`; undefined for an empty tree. */
function checkRoot(walk: Walk, tree: TreeRecord, name: string): CheckedPage | string | undefined {
  if (tree.root === NO_PAGE) return tree.entries === 0n ? undefined : `${name} has no root page but claims ${String(tree.entries)} entries`
  const what = `the root of ${name}`
  const page = checkTreePage(walk, tree.root, what)
  if (typeof page === 'string') return page
  if (page.count === 0 && tree.entries > 0n) return `page ${String(tree.root)} (${what}) is damaged: it holds no entries, but the tree claims ${String(tree.entries)}`
  return page
}

export function checkTreePage(walk: Walk, pgno: bigint, what: string): CheckedPage | string {
  const located = locate(walk, pgno, what)
  if (typeof located === 'string') return located
  const page = walk.readPage(pgno)
  const header = readPageHeader(page)
  const damaged = `page ${String(pgno)} (${what}) is damaged`
  if (header.pgno !== pgno) return `${damaged}: it says it is page ${String(header.pgno)}`
  const type = pageType(header.flags)
  if (type !== PAGE_BRANCH && type !== PAGE_LEAF && type !== (PAGE_LEAF | PAGE_LEAF2)) return `${damaged}: flags 0x${header.flags.toString(16)} are not those of a branch or leaf page`
  if (!boundsAreSane(header, page.length)) return `${damaged}: impossible free-space bounds (lower ${String(header.lower)}, upper ${String(header.upper)})`
  if ((type & PAGE_LEAF2) !== 0) return { branch: false, count: header.lower / 2, nodes: [] }
  const nodes = readNodes(page, header)
  if (typeof nodes === 'string') return `${damaged}: ${nodes}`
  const branch = type === PAGE_BRANCH
  for (const node of nodes) {
    if (branch && node.page !== undefined && (node.page < 2n || node.page > walk.meta.lastPage)) return `${damaged}: it points at page ${String(node.page)}, outside the file's ${String(walk.meta.lastPage + 1n)} pages`
  }
  return { branch, count: nodes.length, nodes }
}

export function checkOverflow(walk: Walk, pgno: bigint, pages: number, what = 'a large value of the main tree'): string | undefined {
  const located = locate(walk, pgno, what)
  if (typeof located === 'string') return located
  const header = readPageHeader(walk.readPage(pgno))
  const damaged = `page ${String(pgno)} (${what}) is damaged`
  if (header.pgno !== pgno) return `${damaged}: it says it is page ${String(header.pgno)}`
  if (pageType(header.flags) !== PAGE_OVERFLOW) return `${damaged}: flags 0x${header.flags.toString(16)} are not those of an overflow page`
  if (header.pages !== pages || pages < 1 || pgno + BigInt(pages) - 1n > walk.meta.lastPage) return `${damaged}: it spans ${String(header.pages)} pages`
  return undefined
}

function locate(walk: Walk, pgno: bigint, what: string): string | undefined {
  if (pgno < 2n || pgno > walk.meta.lastPage) return `${what} points at page ${String(pgno)}, outside the file's ${String(walk.meta.lastPage + 1n)} pages`
  return undefined
}

/** `lower` counts two bytes per node after the header; `upper` is where the nodes start. */
function boundsAreSane(header: PageHeader, pageSize: number): boolean {
  return header.lower % 2 === 0 && header.lower <= header.upper && header.upper <= pageSize - PAGE_HEADER_SIZE
}
