import { closeSync, openSync, readSync } from 'node:fs'
import type { DataFileCheck } from './data-file.js'
import { checkDataFile, locateDataFile, readSettled } from './data-file.js'
import type { PageNode, TreeRecord } from './lmdb-format.js'
import { META_SIZE, NODE_SUB_DATABASE, NO_PAGE, PAGE_BRANCH, PAGE_LEAF, pageType, readMeta, readNodes, readPageHeader, readTreeRecord } from './lmdb-format.js'
import { ALL_SUB_DATABASES, META, SCHEMA_VERSION_KEY, SUB_DATABASES } from './layout.js'

/**
 * What a file at the database path holds, told from its bytes alone (nothing is mapped, locked or
 * written):
 * - `absent`: no file, an empty file or a folder without `data.mdb` — a new database goes there;
 * - `agent-tracker`: this tool's database (its `meta` sub-database with the schema marker);
 * - `empty`: an LMDB file that holds nothing at all;
 * - `predecessor-central`: the central database of agent-tracker's predecessor
 *   (opencode-agent-tracker 0.0.x): sub-databases `agents`, `commits`, `communication`, … and no `meta`;
 * - `predecessor-project`: the predecessor's older per-project database (one unnamed database with
 *   `agent:`, `commit:` and `communication:` keys);
 * - `foreign`: an LMDB database of some other program;
 * - `unreadable`: not an intact LMDB file (`problem` says why).
 */
export type DatabaseFormat =
  | { readonly kind: 'absent' }
  | { readonly kind: 'agent-tracker'; readonly marked: boolean }
  | { readonly kind: 'empty' }
  | { readonly kind: 'predecessor-central'; readonly subDatabases: readonly string[] }
  | { readonly kind: 'predecessor-project' }
  | { readonly kind: 'foreign'; readonly subDatabases: readonly string[] }
  | { readonly kind: 'unreadable'; readonly problem: string }

/** The kinds of {@link DatabaseFormat}. */
export type DatabaseFormatKind = DatabaseFormat['kind']

/** Sub-databases of the predecessor's central database, over its releases. */
export const PREDECESSOR_SUB_DATABASES: readonly string[] = ['agents', 'commits', 'communication', 'retrospectives', 'activities', 'migrations', 'projects']

const OWN_SUB_DATABASES: ReadonlySet<string> = new Set(ALL_SUB_DATABASES)
const LEGACY_KEY = /^(agent|commit|communication):./
/** Pages read at most per tree: the main tree lists a dozen sub-databases, `meta` a few records. */
const PAGE_BUDGET = 64
/** Keys of the unnamed database looked at to recognise the per-project format. */
const KEYS_SAMPLED = 200

/** Tells what the file at `path` (a file, or a folder with `data.mdb`) holds. Never throws. */
export function recogniseDatabase(path: string): DatabaseFormat {
  const { dataFile } = locateDataFile(path)
  return recogniseDataFile(dataFile, checkDataFile(dataFile))
}

/** {@link recogniseDatabase} of a data file already checked with `checkDataFile`. Never throws. */
export function recogniseDataFile(dataFile: string, check: DataFileCheck): DatabaseFormat {
  if (!check.ok) return { kind: 'unreadable', problem: check.problem }
  if (!check.exists || check.pageSize === undefined) return { kind: 'absent' }
  try {
    return readNewestTree(dataFile, check.pageSize, classify) ?? { kind: 'unreadable', problem: 'its meta pages cannot be read' }
  } catch (error) {
    return { kind: 'unreadable', problem: `it cannot be read (${(error as Error).message})` }
  }
}

/** What the bytes of an agent-tracker database say of its schema (see {@link readStoredSchema}). */
export interface StoredSchema {
  /** `meta["schemaVersion"]`; undefined when none is stored yet, or when it is not a whole number from 0 to 127 (opening it says what is wrong). */
  readonly schemaVersion: number | undefined
  /**
   * Entries in its record tables (indexes and the fact log not counted): its records — what an
   * upgrade from schema 1 rewrites — and, from schema 2 on, each table's shared structures.
   */
  readonly entries: number
}

/**
 * The stored schema version of the agent-tracker database at `path`, and how many entries its
 * record tables hold, read from its bytes as {@link recogniseDatabase} reads them (nothing is mapped, locked or
 * written; a few pages are read): what a host asks before an open that would upgrade it. Undefined
 * when the file is not an agent-tracker database, or cannot be read (opening it says why).
 */
export function readStoredSchema(path: string): StoredSchema | undefined {
  const { dataFile } = locateDataFile(path)
  const check = checkDataFile(dataFile)
  if (!check.ok || !check.exists || check.pageSize === undefined) return undefined
  try {
    return readNewestTree(dataFile, check.pageSize, (mainTree, readPage) => {
      const found = subDatabasesOf(mainTree, readPage)
      if (classifyFound(found, readPage).kind !== 'agent-tracker') return undefined
      const subDatabases = found.trees
      const meta = subDatabases.get(META)
      const stored = meta === undefined ? undefined : treeValue(meta, readPage, SCHEMA_VERSION_KEY)
      // msgpack's positive fixint: the versions there are, and many more.
      const schemaVersion = stored?.length === 1 && (stored[0] ?? 0x80) < 0x80 ? stored[0] : undefined
      const entries = Object.values(SUB_DATABASES).reduce((sum, name) => sum + Number(subDatabases.get(name)?.entries ?? 0n), 0)
      return { schemaVersion, entries }
    })
  } catch {
    return undefined
  }
}

/**
 * Reads the file's newest main tree (by the meta pages' transaction ids) with `read`, again when a
 * commit came in between; undefined when its meta pages cannot be read.
 */
function readNewestTree<T>(dataFile: string, pageSize: number, read: (mainTree: TreeRecord, readPage: (pgno: bigint) => Buffer) => T): T | undefined {
  const fd = openSync(dataFile, 'r')
  try {
    const readPage = (pgno: bigint): Buffer => {
      const page = Buffer.alloc(pageSize)
      readSync(fd, page, 0, pageSize, Number(pgno) * pageSize)
      return page
    }
    return readSettled(fd, () => {
      const metas = [readPage(0n).subarray(0, META_SIZE), readPage(1n).subarray(0, META_SIZE)].map(readMeta)
      const newest = (metas[1]?.txnId ?? 0n) > (metas[0]?.txnId ?? 0n) ? metas[1] : metas[0]
      return newest === undefined ? undefined : read(newest.mainTree, readPage)
    })
  } finally {
    closeSync(fd)
  }
}

/** What a main tree holds: its named sub-databases, and a sample of its plain keys (with their count). */
interface MainTreeContent {
  readonly trees: Map<string, TreeRecord>
  readonly keys: readonly string[]
  readonly plainKeys: number
}

/** Reads what a main tree holds (see {@link MainTreeContent}), within the page budget. */
function subDatabasesOf(mainTree: TreeRecord, readPage: (pgno: bigint) => Buffer): MainTreeContent {
  const trees = new Map<string, TreeRecord>()
  const keys: string[] = []
  let plainKeys = 0
  walkLeaves(mainTree, readPage, (node) => {
    if ((node.flags & NODE_SUB_DATABASE) !== 0) {
      // lmdb-js stores names with their terminating NUL.
      trees.set(node.key.toString('utf8').replace(/\0$/, ''), readTreeRecord(node.data, 0))
      return
    }
    plainKeys += 1
    if (keys.length < KEYS_SAMPLED) keys.push(node.key.toString('utf8'))
  })
  return { trees, keys, plainKeys }
}

function classify(mainTree: TreeRecord, readPage: (pgno: bigint) => Buffer): DatabaseFormat {
  return classifyFound(subDatabasesOf(mainTree, readPage), readPage)
}

function classifyFound({ trees: subDatabases, keys, plainKeys }: MainTreeContent, readPage: (pgno: bigint) => Buffer): DatabaseFormat {
  const names = [...subDatabases.keys()].sort()
  if (names.length === 0 && plainKeys === 0) return { kind: 'empty' }
  const meta = subDatabases.get(META)
  if (meta !== undefined) {
    const marked = treeHasKey(meta, readPage, SCHEMA_VERSION_KEY)
    // A `meta` of another program is not our marker; our own, before its first write, holds only our names.
    if (marked || names.every((name) => OWN_SUB_DATABASES.has(name))) return { kind: 'agent-tracker', marked }
  }
  if (names.length === 0 && keys.some((key) => LEGACY_KEY.test(key))) return { kind: 'predecessor-project' }
  if (subDatabases.has('agents') && meta === undefined && names.every((name) => PREDECESSOR_SUB_DATABASES.includes(name))) {
    return { kind: 'predecessor-central', subDatabases: names }
  }
  return { kind: 'foreign', subDatabases: names }
}

function treeHasKey(tree: TreeRecord, readPage: (pgno: bigint) => Buffer, key: string): boolean {
  return treeValue(tree, readPage, key) !== undefined
}

/** The value stored under `key` in a small tree (inline values only: a big one reads as its overflow reference). */
function treeValue(tree: TreeRecord, readPage: (pgno: bigint) => Buffer, key: string): Buffer | undefined {
  const wanted = Buffer.from(key, 'utf8')
  let found: Buffer | undefined
  walkLeaves(tree, readPage, (node) => {
    if (node.key.equals(wanted)) found = node.data
  })
  return found
}

/** Visits the leaf nodes of a tree, reading at most {@link PAGE_BUDGET} pages; stops at damage. */
function walkLeaves(tree: TreeRecord, readPage: (pgno: bigint) => Buffer, visit: (node: PageNode) => void): void {
  if (tree.root === NO_PAGE) return
  const pending = [tree.root]
  let budget = PAGE_BUDGET
  for (let pgno = pending.shift(); pgno !== undefined && budget > 0; pgno = pending.shift()) {
    budget -= 1
    const page = readPage(pgno)
    const header = readPageHeader(page)
    const type = pageType(header.flags)
    if (header.pgno !== pgno || (type !== PAGE_BRANCH && type !== PAGE_LEAF)) return
    const nodes = readNodes(page, header)
    if (typeof nodes === 'string') return
    for (const node of nodes) {
      if (type === PAGE_BRANCH) {
        if (node.page !== undefined) pending.push(node.page)
      } else {
        visit(node)
      }
    }
  }
}

/** What a format is, in a few words: "the central database of agent-tracker's predecessor (…)". */
export function describeDatabaseFormat(format: DatabaseFormat): string {
  switch (format.kind) {
    case 'absent':
      return 'no database yet'
    case 'agent-tracker':
      return 'an agent-tracker database'
    case 'empty':
      return 'an empty LMDB database (it holds no data)'
    case 'predecessor-central':
      return `the central database of agent-tracker's predecessor, opencode-agent-tracker (sub-databases ${format.subDatabases.join(', ')})`
    case 'predecessor-project':
      return "a per-project database of agent-tracker's predecessor, opencode-agent-tracker (agent:, commit: and communication: keys)"
    case 'foreign':
      return format.subDatabases.length === 0 ? 'an LMDB database of another program' : `an LMDB database of another program (sub-databases ${format.subDatabases.join(', ')})`
    case 'unreadable':
      return `an unreadable file: ${format.problem}`
  }
}
