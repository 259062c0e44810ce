import type { Grade } from '../facts/grade.js'
import type { ActivityRecord, BugRecord, CommitRecord, RetrospectiveRecord } from '../store/records.js'
import type { RecordKey } from '../store/records.js'
import { terms } from './search-terms.js'

/** The collections a prior-art search reads. */
export const SEARCHED_COLLECTIONS = ['retrospectives', 'activities', 'commits', 'bugs'] as const

/** A collection a prior-art search reads. */
export type SearchedCollection = (typeof SEARCHED_COLLECTIONS)[number]

/** Whether a collection is one a prior-art search reads (and a store keeps search entries of). */
export function isSearched(collection: string): collection is SearchedCollection {
  return (SEARCHED_COLLECTIONS as readonly string[]).includes(collection)
}

/** A record of a searched collection. */
export type SearchedRecord = RetrospectiveRecord | ActivityRecord | CommitRecord | BugRecord

/**
 * One record as a prior-art search first sees it, beside its digest (see {@link searchDigest}):
 * the rest only when asked — a store that keeps digests reads its strings for the few records
 * that match (its project is in the digest, as a hash). `record` is there when the entry was made
 * from the record itself.
 */
export interface SearchEntry {
  /** Its key in its collection. */
  key(): RecordKey
  at(): string
  readonly record?: SearchedRecord
}

/** A search entry holding its digest (empty for an entry made from its record). */
export interface DigestedEntry extends SearchEntry {
  readonly digest: Uint8Array
}

/**
 * Is given each search entry a store reads, in turn, with its digest (empty for an entry holding
 * its record). The digest's bytes may be the store's read buffer, good only until the call
 * returns: a visitor that keeps them copies them.
 */
export type SearchEntryVisitor = (entry: SearchEntry, digest: Uint8Array) => void

/**
 * A record's search digest: the words of its own searchable text, and what joins it to the
 * records beside it and ranks it — all a search needs to score it, in a few bytes, no string
 * among them. Words are the search's terms (lower-case stems, no stopwords, as `terms` of
 * `SEARCH_WORDS_VERSION` cuts them; `hashWords` gives another cut, for tests of what an earlier
 * release wrote), each kept as a 32-bit hash (FNV-1a), once per time it occurs; two different
 * words share a hash about once in four billion pairs. The text it draws from, by kind:
 * - a retrospective: its task (else its commit's hash, the title it shows without one), then its notes;
 * - an activity: task, actions, outcome and decisions;
 * - a commit: its message, then its task;
 * - a bug: its note.
 *
 * Layout (little-endian): format (1 byte), flags (1), user grade and agent grade (1 each: the grade
 * + 128, 0 for none), the hash of its project and commit (4), the hash of its setup and commit
 * (4), the hash of its project (4), the number of hashes in its first and second word lists (4
 * each), then the two lists.
 */
export function searchDigest(collection: SearchedCollection, record: SearchedRecord, hashWords: (text: string) => number[] = wordHashes): Uint8Array {
  switch (collection) {
    case 'retrospectives': {
      const r = record as RetrospectiveRecord
      const flags = r.task === undefined ? 0 : HAS_TITLE
      return encode(flags, r.userGrade, r.agentGrade, pairHash(r.project, r.commit), pairHash(r.setup, r.commit), hashOf(r.project), hashWords(r.task ?? r.commit), [...hashWords(r.userNote ?? ''), ...hashWords(r.agentNote ?? '')])
    }
    case 'activities': {
      const a = record as ActivityRecord
      const words = [a.task, a.actions, a.outcome, a.decisions].flatMap(hashWords)
      return encode(FAILURE.test(a.outcome) ? FAILED : 0, undefined, undefined, 0, 0, hashOf(a.project), words, [])
    }
    case 'commits': {
      const c = record as CommitRecord
      return encode(0, undefined, undefined, pairHash(c.project, c.hash), pairHash(c.setup, c.hash), hashOf(c.project), hashWords(c.message), hashWords(c.task ?? ''))
    }
    case 'bugs': {
      const b = record as BugRecord
      const flags = (b.note === undefined ? 0 : HAS_TITLE) | (b.commit === undefined ? 0 : HAS_COMMIT)
      return encode(flags, undefined, undefined, b.commit === undefined ? 0 : pairHash(b.project, b.commit), 0, hashOf(b.project), hashWords(b.note ?? ''), [])
    }
  }
}

/** A retrospective with a task, or a bug with a note. */
export const HAS_TITLE = 1
/** An activity whose outcome says something failed. */
export const FAILED = 2
/** A bug that names a commit. */
export const HAS_COMMIT = 4

/** Says when an outcome tells of a failure: a failed activity is a mistake to avoid. */
export const FAILURE = /\b(fail(ed|s|ure)?|broke|broken|revert(ed)?|regress(ion|ed)?|wrong|crash(ed)?)\b/i

const FORMAT = 1
const HEADER = 24

/** A digest's fields, read without copying its word lists. */
export interface DigestView {
  readonly flags: number
  readonly userGrade: Grade | undefined
  readonly agentGrade: Grade | undefined
  /** Hash of project and commit (0 for an activity, or a bug without a commit). */
  readonly commitLink: number
  /** Hash of setup and commit (retrospectives and commits). */
  readonly setupLink: number
  /** Hash of its project's path (see {@link hashOf}). */
  readonly projectLink: number
  /** Where the first word list starts, and how many hashes each list holds. */
  readonly first: number
  readonly firstCount: number
  readonly secondCount: number
}

/**
 * Reads a digest's header.
 * @throws {RangeError} for bytes that are no digest of this format (a damaged index entry).
 */
export function readDigest(bytes: Uint8Array): DigestView {
  const problem = digestProblem(bytes)
  if (problem !== undefined) throw new RangeError(problem)
  return {
    flags: bytes[1] ?? 0,
    userGrade: gradeOf(bytes[2] ?? 0),
    agentGrade: gradeOf(bytes[3] ?? 0),
    commitLink: u32(bytes, 4),
    setupLink: u32(bytes, 8),
    projectLink: u32(bytes, 12),
    first: HEADER,
    firstCount: u32(bytes, 16),
    secondCount: u32(bytes, 20),
  }
}

/**
 * What a search keeps of each of a collection's entries, a row each: the entry, its header (see
 * {@link DigestView}; links as keys, see {@link hashKey}) in typed-array columns, and how often its
 * first and second word lists hold each wanted term (undefined: none) — not its digest, which is
 * read once, as it is taken, and let go. Each entry is kept until the search ranks: an object of
 * nine fields, or a digest, for each of 8,000 entries made every young-generation collection
 * meanwhile copy them. Rows are put in any order; the columns grow as needed.
 */
export class SearchRows {
  /** One more than the last row put. */
  size = 0
  #flags: Uint8Array
  /** User then agent grade of each row, as a digest keeps them: the grade + 128, 0 for none. */
  #grades: Uint8Array
  /** Commit, setup and project link of each row, as keys (see {@link hashKey}). */
  #links: Int32Array
  readonly #entries: SearchEntry[] = []
  readonly #first: (readonly number[] | undefined)[] = []
  readonly #second: (readonly number[] | undefined)[] = []

  constructor(capacity = 64) {
    this.#flags = new Uint8Array(capacity)
    this.#grades = new Uint8Array(2 * capacity)
    this.#links = new Int32Array(3 * capacity)
  }

  /**
   * Puts an entry in row `row`, its header read from its digest and its word lists counted by
   * `reader` (the digest's bytes are not kept).
   * @throws {RangeError} for bytes that are no digest of this format (a damaged index entry).
   */
  putDigest(row: number, entry: SearchEntry, bytes: Uint8Array, reader: DigestReader): void {
    if (bytes.length < HEADER || bytes[0] !== FORMAT) throw new RangeError(digestProblem(bytes))
    const words = reader.load(bytes)
    const at = reader.base
    const firstCount = (words[at + 4] ?? 0) >>> 0
    const secondCount = (words[at + 5] ?? 0) >>> 0
    if (bytes.length !== HEADER + 4 * (firstCount + secondCount)) throw new RangeError(digestProblem(bytes))
    if (row >= this.#flags.length) this.#grow(row + 1)
    if (row >= this.size) this.size = row + 1
    this.#flags[row] = bytes[1] ?? 0
    this.#grades[2 * row] = bytes[2] ?? 0
    this.#grades[2 * row + 1] = bytes[3] ?? 0
    this.#links[3 * row] = words[at + 1] ?? 0
    this.#links[3 * row + 1] = words[at + 2] ?? 0
    this.#links[3 * row + 2] = words[at + 3] ?? 0
    this.#entries[row] = entry
    this.#first[row] = firstCount === 0 ? undefined : reader.count(words, at + HEADER / 4, firstCount)
    this.#second[row] = secondCount === 0 ? undefined : reader.count(words, at + HEADER / 4 + firstCount, secondCount)
  }

  /** Puts an entry in row `row`, with its header worked out from a record (grades as a digest keeps them, links as keys) and its word lists' counts. */
  put(row: number, entry: SearchEntry, flags: number, userGrade: number, agentGrade: number, commitLink: number, setupLink: number, projectLink: number, first: readonly number[] | undefined, second: readonly number[] | undefined): void {
    if (row >= this.#flags.length) this.#grow(row + 1)
    if (row >= this.size) this.size = row + 1
    this.#flags[row] = flags
    this.#grades[2 * row] = userGrade
    this.#grades[2 * row + 1] = agentGrade
    this.#links[3 * row] = commitLink
    this.#links[3 * row + 1] = setupLink
    this.#links[3 * row + 2] = projectLink
    this.#entries[row] = entry
    this.#first[row] = first
    this.#second[row] = second
  }

  #grow(needed: number): void {
    const capacity = Math.max(needed, 2 * this.#flags.length)
    const grown = <T extends Uint8Array | Int32Array>(column: T, make: (size: number) => T, width: number): T => {
      const wider = make(width * capacity)
      wider.set(column)
      return wider
    }
    this.#flags = grown(this.#flags, (size) => new Uint8Array(size), 1)
    this.#grades = grown(this.#grades, (size) => new Uint8Array(size), 2)
    this.#links = grown(this.#links, (size) => new Int32Array(size), 3)
  }

  /**
   * The entry in row `row`.
   * @throws {RangeError} when none was put there.
   */
  entry(row: number): SearchEntry {
    const entry = this.#entries[row]
    if (entry === undefined) throw new RangeError(`There is no document ${String(row)}.`)
    return entry
  }

  flags(row: number): number {
    return this.#flags[row] ?? 0
  }

  userGrade(row: number): Grade | undefined {
    return gradeOf(this.#grades[2 * row] ?? 0)
  }

  agentGrade(row: number): Grade | undefined {
    return gradeOf(this.#grades[2 * row + 1] ?? 0)
  }

  commitLink(row: number): number {
    return this.#links[3 * row] ?? 0
  }

  setupLink(row: number): number {
    return this.#links[3 * row + 1] ?? 0
  }

  projectLink(row: number): number {
    return this.#links[3 * row + 2] ?? 0
  }

  /** How often the row's first word list holds each wanted term; undefined when it holds none. */
  first(row: number): readonly number[] | undefined {
    return this.#first[row]
  }

  /** The same of its second word list. */
  second(row: number): readonly number[] | undefined {
    return this.#second[row]
  }
}

/**
 * Reads digests for a search: their words as numbers, and how often a word list holds each wanted
 * term (by their hashes as keys, see {@link hashKey}, in order: a word whose hash two terms share
 * counts for the first). A digest that starts on a multiple of four bytes is read in place,
 * through one Int32Array over its buffer (on a little-endian machine, as digests are written); any
 * other is copied into one first. A word passes a filter of 1,024 slots, by its low bits,
 * before it is compared with them (few terms) or looked up (many): most pass none.
 */
export class DigestReader {
  /** Where the digest last loaded starts in the words {@link load} gave. */
  base = 0
  readonly #terms: number
  readonly #hashes: Int32Array
  readonly #filter = new Uint8Array(FILTER_SIZE)
  /** Each wanted hash's first term, when there are many. */
  readonly #termOfHash: Map<number, number> | undefined
  #buffer: ArrayBufferLike | undefined
  #words: Int32Array = new Int32Array(0)
  #copy: Int32Array = new Int32Array(0)

  constructor(wanted: readonly number[]) {
    this.#terms = wanted.length
    this.#hashes = Int32Array.from(wanted)
    for (const hash of wanted) this.#filter[hash & (FILTER_SIZE - 1)] = 1
    if (wanted.length > FEW_TERMS) {
      const termOfHash = new Map<number, number>()
      wanted.forEach((hash, index) => {
        if (!termOfHash.has(hash)) termOfHash.set(hash, index)
      })
      this.#termOfHash = termOfHash
    }
  }

  /** The words of a digest (its length a multiple of four) from index {@link base} on: its buffer's own, or a copy. */
  load(bytes: Uint8Array): Int32Array {
    if (LITTLE_ENDIAN && (bytes.byteOffset & 3) === 0) {
      const buffer = bytes.buffer
      if (buffer !== this.#buffer) {
        this.#buffer = buffer
        this.#words = new Int32Array(buffer, 0, buffer.byteLength >> 2)
      }
      this.base = bytes.byteOffset >> 2
      return this.#words
    }
    const count = bytes.length >> 2
    if (this.#copy.length < count) this.#copy = new Int32Array(Math.max(count, 2 * this.#copy.length))
    const copy = this.#copy
    for (let word = 0; word < count; word++) copy[word] = i32(bytes, 4 * word)
    this.base = 0
    return copy
  }

  /** How often the `count` words from index `from` of `words` hold each wanted term; undefined when they hold none. */
  count(words: Int32Array, from: number, count: number): number[] | undefined {
    const filter = this.#filter
    let counts: number[] | undefined
    for (let word = from, end = from + count; word < end; word++) {
      const hash = words[word] ?? 0
      if (filter[hash & (FILTER_SIZE - 1)] === 0) continue
      const term = this.#termOf(hash)
      if (term < 0) continue
      if (counts === undefined) {
        counts = []
        for (let index = 0; index < this.#terms; index++) counts.push(0)
      }
      counts[term] = (counts[term] ?? 0) + 1
    }
    return counts
  }

  #termOf(hash: number): number {
    if (this.#termOfHash !== undefined) return this.#termOfHash.get(hash) ?? -1
    for (let index = 0; index < this.#terms; index++) if (this.#hashes[index] === hash) return index
    return -1
  }
}

/** Slots in a reader's filter of wanted hashes (a power of two). */
const FILTER_SIZE = 1024

/** Whether this machine keeps numbers little-endian, as a digest does. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1

/** Wanted terms compared in turn with each word of a digest; more are looked up in a map. */
const FEW_TERMS = 8

/** What is wrong with bytes read as a digest (a damaged index entry), or undefined when they are one. */
export function digestProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length < HEADER || bytes[0] !== FORMAT) return `a search digest of ${String(bytes.length)} bytes is not of format ${String(FORMAT)}`
  const words = u32(bytes, 16) + u32(bytes, 20)
  if (bytes.length !== HEADER + 4 * words) return `a search digest of ${String(bytes.length)} bytes lists ${String(words)} words`
  return undefined
}

/**
 * A hash as a search compares it: the same 32 bits, signed (`hash | 0`). V8 keeps a signed 32-bit
 * integer as a small integer, where an unsigned hash of 2³¹ or more — half of them — is a heap
 * number: one allocation per word read, and a slower key in a Map or Set.
 */
export function hashKey(hash: number): number {
  return hash | 0
}

/** The hashes of a text's terms, in order, once per occurrence. */
export function wordHashes(text: string): number[] {
  return text === '' ? [] : terms(text).map(hashOf)
}

/** FNV-1a over a string's UTF-16 code units: the hash a digest keeps of a word. */
export function hashOf(text: string): number {
  return fnv(OFFSET_BASIS, text) >>> 0
}

/** The hash of a pair of strings (a project or setup, and a commit): what joins records in a search. FNV-1a over the first, a 0, then the second. */
export function pairHash(first: string, second: string): number {
  return fnv(Math.imul(fnv(OFFSET_BASIS, first), PRIME), second) >>> 0
}

const OFFSET_BASIS = 0x811c9dc5
const PRIME = 0x01000193

/** FNV-1a's steps over a string's code units, from a running hash (a search makes thousands: no string is built). */
function fnv(start: number, text: string): number {
  let hash = start
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, PRIME)
  }
  return hash
}

function encode(flags: number, userGrade: Grade | undefined, agentGrade: Grade | undefined, commitLink: number, setupLink: number, projectLink: number, first: readonly number[], second: readonly number[]): Uint8Array {
  const firstCount = first.length
  const secondCount = second.length
  const bytes = new Uint8Array(HEADER + 4 * (firstCount + secondCount))
  bytes[0] = FORMAT
  bytes[1] = flags
  bytes[2] = userGrade === undefined ? 0 : userGrade + 128
  bytes[3] = agentGrade === undefined ? 0 : agentGrade + 128
  putU32(bytes, 4, commitLink)
  putU32(bytes, 8, setupLink)
  putU32(bytes, 12, projectLink)
  putU32(bytes, 16, firstCount)
  putU32(bytes, 20, secondCount)
  let at = HEADER
  for (let index = 0; index < firstCount; index++, at += 4) putU32(bytes, at, first[index] ?? 0)
  for (let index = 0; index < secondCount; index++, at += 4) putU32(bytes, at, second[index] ?? 0)
  return bytes
}

function gradeOf(code: number): Grade | undefined {
  return code === 0 ? undefined : ((code - 128) as Grade)
}

function u32(bytes: Uint8Array, at: number): number {
  return i32(bytes, at) >>> 0
}

function i32(bytes: Uint8Array, at: number): number {
  return (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8) | ((bytes[at + 2] ?? 0) << 16) | ((bytes[at + 3] ?? 0) << 24)
}

function putU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff
  bytes[at + 1] = (value >>> 8) & 0xff
  bytes[at + 2] = (value >>> 16) & 0xff
  bytes[at + 3] = (value >>> 24) & 0xff
}
