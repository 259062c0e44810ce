import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { checkDataFile, locateDataFile } from './data-file.js'
import type { TreeWalk } from './deep-walk.js'
import { walkEveryTree } from './deep-walk.js'
import { SECONDARY_INDEXES } from './indexes.js'
import { COMMITS_BY_SETUP, FACT_LOG, INDEX_DATABASES, SEARCH_DATABASES, SUB_DATABASES } from './layout.js'
import { readableProblem } from './readable-problem.js'

/** The verdict on one tree of a deep check. */
export interface TreeCheck {
  readonly name: string
  readonly entries: number
  /** What is wrong with it; absent when every page and every value read back. */
  readonly problem?: string
}

/** What {@link deepCheck} found: the file's own problem, or one verdict per tree. */
export interface DeepCheck {
  readonly dataFile: string
  readonly intact: boolean
  /** A problem with the file as a whole (not LMDB, truncated, unreadable). */
  readonly problem?: string
  /** False when `problem` is no damage: the file is sound but not a database to check (another kind of file, a folder, no permission). */
  readonly damaged?: boolean
  readonly trees: readonly TreeCheck[]
}

/** Sub-databases whose values use shared msgpack structures (record tables and the fact log). */
const STRUCTURED: ReadonlySet<string> = new Set([...Object.values(SUB_DATABASES), FACT_LOG])

/** Sub-databases of raw bytes, keys and values (the search indexes). */
const BINARY: ReadonlySet<string> = new Set(Object.values(SEARCH_DATABASES))

/**
 * An index to check against its table: which parts of an index key make the key of its record
 * there, or (`parts` empty) a search index, whose keys hold the record's key after its time.
 */
interface IndexCheck {
  readonly index: string
  readonly table: string
  readonly parts: readonly number[]
}

/** Every secondary and search index, by sub-database, with its table and how its keys name a record there. */
const INDEX_CHECKS: readonly IndexCheck[] = [
  ...Object.values(SECONDARY_INDEXES).flat().map((index) => ({
    index: index.name === 'commitsBySetup' ? COMMITS_BY_SETUP : INDEX_DATABASES[index.name],
    table: SUB_DATABASES[index.collection],
    // A key of numbered parts shows which of them the record's key is made of, in its order.
    parts: index.entry(['0', '1', '2', '3'], []).primaryKey.map(Number),
  })),
  ...Object.entries(SEARCH_DATABASES).map(([collection, index]) => ({ index, table: SUB_DATABASES[collection as keyof typeof SEARCH_DATABASES], parts: [] })),
]

/** How long the child reading every value may take before it counts as stuck. */
const READ_TIMEOUT_MS = 10 * 60_000

/**
 * Checks every page and every value of a database without risking the calling process: first
 * every page of every tree is walked with plain file reads ({@link walkEveryTree}); then a child
 * process opens the database read-only with LMDB and decodes every value of each tree whose pages
 * were sound, and finds in its table the record of every entry of each sound index. A tree it cannot read — an exception, or the child dying by a signal inside it — is
 * reported as damaged, by name. Never throws for a damaged file.
 */
export async function deepCheck(path: string): Promise<DeepCheck> {
  const { dataFile, noSubdir } = locateDataFile(path)
  const quick = checkDataFile(dataFile)
  if (!quick.ok) return { dataFile, intact: false, problem: quick.problem, damaged: quick.damaged, trees: [] }
  if (!quick.exists) return { dataFile, intact: true, trees: [] }
  let walked: TreeWalk[] | string
  try {
    walked = walkEveryTree(dataFile)
  } catch (error) {
    walked = `it cannot be read (${(error as Error).message})`
  }
  if (typeof walked === 'string') return { dataFile, intact: false, problem: walked, trees: [] }
  const sound = walked.filter((tree) => tree.problem === undefined && tree.name !== 'the main tree' && tree.name !== 'the free-page tree')
  const read = await readInChildren(VALUES_CHILD, path, noSubdir, sound.map((tree) => tree.name), JSON.stringify({ structured: [...STRUCTURED], binary: [...BINARY] }), (detail) => `its values cannot be read: ${detail}`)
  // Then every index entry's record, in each index whose pages and values and whose table's read back:
  // a record LMDB cannot find (a garbled key) is left out of every read through the index without a word.
  const readable = new Set(sound.map((tree) => tree.name).filter((name) => !read.has(name)))
  const checks = INDEX_CHECKS.filter((check) => readable.has(check.index) && readable.has(check.table))
  const indexed = await readInChildren(INDEX_CHILD, path, noSubdir, checks.map((check) => check.index), JSON.stringify(Object.fromEntries(checks.map((check) => [check.index, check]))), (detail) => detail)
  const trees = walked.map((tree): TreeCheck => {
    const problem = tree.problem ?? read.get(tree.name) ?? indexed.get(tree.name)
    return problem === undefined ? { name: tree.name, entries: tree.entries } : { name: tree.name, entries: tree.entries, problem }
  })
  return { dataFile, intact: trees.every((tree) => tree.problem === undefined), trees }
}

/** A child's script: opens read-only, decodes every value of each named tree, one line per tree. */
const VALUES_CHILD = `
const { open } = require(process.argv[1]);
const [path, noSubdir, names] = [process.argv[2], process.argv[3] === 'true', JSON.parse(process.argv[4])];
const kinds = JSON.parse(process.argv[5]);
const [structured, binary] = [new Set(kinds.structured), new Set(kinds.binary)];
const root = open({ path, noSubdir: noSubdir, readOnly: true, maxDbs: 32 });
for (const name of names) {
  process.stdout.write('start\\t' + name + '\\n');
  try {
    const db = root.openDB(structured.has(name) ? { name, sharedStructuresKey: Symbol.for('structures') } : binary.has(name) ? { name, keyEncoding: 'binary', encoding: 'binary' } : { name });
    let count = 0;
    // A search digest: format 1, then its two word counts (at 16 and 20, little-endian) say its length.
    const digestProblem = (value) => value.length < 24 || value[0] !== 1 ? 'a search digest is not of format 1' : value.length !== 24 + 4 * (value.readUInt32LE(16) + value.readUInt32LE(20)) ? 'a search digest is cut short or too long' : undefined;
    for (const { key, value } of db.getRange({ snapshot: true })) {
      if (value === undefined && key === undefined) throw new Error('empty entry');
      const problem = binary.has(name) ? digestProblem(Buffer.from(value)) : undefined;
      if (problem !== undefined) throw new Error(problem + ' (entry ' + (count + 1) + ')');
      count++;
    }
    process.stdout.write('done\\t' + name + '\\t' + count + '\\n');
  } catch (error) {
    process.stdout.write('error\\t' + name + '\\t' + String(error && error.message || error).replace(/\\s+/g, ' ') + '\\n');
  }
}
`

/**
 * A child's script: opens read-only and looks up, for every key of each named index, the record it
 * names in its table (see {@link INDEX_CHECKS}), one line per index.
 */
const INDEX_CHILD = `
const { open } = require(process.argv[1]);
const [path, noSubdir, names, checks] = [process.argv[2], process.argv[3] === 'true', JSON.parse(process.argv[4]), JSON.parse(process.argv[5])];
const root = open({ path, noSubdir: noSubdir, readOnly: true, maxDbs: 32 });
const shown = (part) => { const text = String(part); return text.length > 120 ? text.slice(0, 120) + '…' : text; };
for (const name of names) {
  process.stdout.write('start\\t' + name + '\\n');
  try {
    const { table, parts } = checks[name];
    const search = parts.length === 0;
    const index = root.openDB(search ? { name, keyEncoding: 'binary', encoding: 'binary' } : { name });
    const records = root.openDB({ name: table, sharedStructuresKey: Symbol.for('structures') });
    // A search key: 8 bytes of time, a form byte, then each part of the record's key, bytes 0 and 1
    // written as 1 1 and 1 2, then a 0; form 1 leaves out a [setup, at, id] key's time, which the first bytes give.
    const searchParts = (key) => {
      const found = []; let part = [];
      for (let at = 9; at < key.length; at++) { const byte = key[at]; if (byte === 0) { found.push(Buffer.from(part).toString('utf8')); part = []; } else if (byte === 1) part.push(key[++at] - 1); else part.push(byte); }
      if (key[8] === 1) found.splice(1, 0, new Date(Number(Buffer.from(key).readBigUInt64BE(0) - 8640000000000000n)).toISOString());
      return found;
    };
    let count = 0, missing = 0, first;
    for (const key of index.getKeys({ snapshot: true })) {
      count++;
      const primary = search ? searchParts(key) : parts.map((at) => key[at]);
      if (!records.doesExist(primary)) { missing++; if (first === undefined) first = primary; }
    }
    if (missing === 0) process.stdout.write('done\\t' + name + '\\t' + count + '\\n');
    else process.stdout.write('error\\t' + name + '\\t' + 'it lists ' + missing + ' of its ' + count + ' records that ' + table + ' does not give back (the first: ' + first.map(shown).join(' ') + ')\\n');
  } catch (error) {
    process.stdout.write('error\\t' + name + '\\t' + 'it cannot be read against its table: ' + String(error && error.message || error).replace(/\\s+/g, ' ') + '\\n');
  }
}
`

/**
 * Runs `script` in child processes over the named trees, a new child going on after one that
 * died inside a tree; returns each tree's problem (`describe` phrases what a child said of it).
 */
async function readInChildren(script: string, path: string, noSubdir: boolean, names: readonly string[], extra: string, describe: (detail: string) => string): Promise<Map<string, string>> {
  const problems = new Map<string, string>()
  let remaining = [...names]
  // A child that dies inside one tree leaves the rest unread: a new child goes on after it.
  while (remaining.length > 0) {
    const { stdout, signal, failure } = await readInChild(script, path, noSubdir, remaining, extra)
    let current: string | undefined
    const finished = new Set<string>()
    for (const line of stdout.split('\n')) {
      const [kind, name = '', detail = ''] = line.split('\t')
      if (kind === 'start') current = name
      if (kind === 'done') finished.add(name)
      if (kind === 'error') {
        problems.set(name, describe(readableProblem(detail)))
        finished.add(name)
      }
    }
    if (current === undefined) {
      // The environment itself would not open.
      for (const name of remaining) problems.set(name, `the database would not open to read it: ${readableProblem(failure ?? 'no output')}`)
      break
    }
    const stopped = remaining.indexOf(current)
    if (!finished.has(current)) problems.set(current, signal === null ? `reading it failed: ${readableProblem(failure ?? 'the reader stopped')}` : `reading it crashed the reader (${signal})`)
    remaining = remaining.slice(stopped + 1)
  }
  return problems
}

function readInChild(script: string, path: string, noSubdir: boolean, names: readonly string[], extra: string): Promise<{ stdout: string; signal: string | null; failure?: string }> {
  const lmdb = createRequire(import.meta.url).resolve('lmdb')
  const args = ['-e', script, lmdb, path, String(noSubdir), JSON.stringify(names), extra]
  return new Promise((resolve) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024, timeout: READ_TIMEOUT_MS }, (error, out, err) => {
      const failed = error as (Error & { signal?: string | null }) | null
      resolve({ stdout: out, signal: failed?.signal ?? null, ...(failed === null ? {} : { failure: err.trim() || failed.message }) })
    })
  })
}
