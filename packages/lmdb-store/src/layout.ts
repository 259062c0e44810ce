import { createHash } from 'node:crypto'
import type { CollectionName, RecordKey } from '@agent-tracker/core'
import { SEARCH_WORDS_VERSION } from '@agent-tracker/core/store'
import type { Key } from 'lmdb'

/**
 * The named sub-database of each collection. Setups live in `agents` and grade events in
 * `communication`, the names the predecessor gave that data; docs/database.md describes them all.
 */
export const SUB_DATABASES: Readonly<Record<CollectionName, string>> = {
  setups: 'agents',
  projects: 'projects',
  commits: 'commits',
  retrospectives: 'retrospectives',
  gradeEvents: 'communication',
  bugs: 'bugs',
  activities: 'activities',
  usage: 'usage',
  evidence: 'evidence',
}

/** Index of commits by setup and time: `[setup, at, project, hash]` → `true`. */
export const COMMITS_BY_SETUP = 'commits-by-setup'

/** The secondary indexes besides {@link COMMITS_BY_SETUP}: each a sub-database of its own (see `indexes.ts`). */
export const INDEX_DATABASES = {
  commitsByTime: 'commits-by-time',
  commitsByProject: 'commits-by-project',
  commitsByHash: 'commits-by-hash',
  retrospectivesBySetup: 'retrospectives-by-setup',
  retrospectivesByTime: 'retrospectives-by-time',
  gradeEventsByTime: 'communication-by-time',
  bugsByTime: 'bugs-by-time',
  activitiesByTime: 'activities-by-time',
} as const

/** The name of a secondary index. */
export type IndexName = keyof typeof INDEX_DATABASES

/** The search index of each searched collection (see `search-index.ts`): raw bytes, keys and values. */
export const SEARCH_DATABASES = {
  retrospectives: 'retrospectives-search',
  activities: 'activities-search',
  commits: 'commits-search',
  bugs: 'bugs-search',
} as const

/** The fact log: the facts of each write as one batch, keyed by the sequence number of its first fact. */
export const FACT_LOG = 'facts'

/** Every fact id the store took: `id` → its sequence number in the fact log. */
export const FACT_IDS = 'fact-ids'

/** Schema version, migration records, the fact log's last sequence number. */
export const META = 'meta'

/** Each setup's day rollups added up (see `SetupTotalsRecord`): `[setup]` → totals. */
export const SETUP_TOTALS = 'usage-by-setup'

/** Meta key set once the setup totals add up every rollup (a database written before them has none). */
export const SETUP_TOTALS_KEY = 'setupTotals'

/** Each project's days of work (see `ProjectDayRecord`): `[project, day]` → `[day number, rollups, commits]` (see `StoredProjectDay`). */
export const PROJECT_DAYS = 'usage-by-project-day'

/** Meta key set once the project days add up every rollup (a database written before them has none). */
export const PROJECT_DAYS_KEY = 'projectDays'

/**
 * Each project's outcome days by month (see `OutcomeDay`): `[project, 'YYYY-MM']` → the setups and
 * one entry per day rollup (see `StoredOutcomeMonth`), what a recommendation reads of the rollups.
 */
export const OUTCOME_DAYS = 'usage-by-project-month'

/** Meta key set once the outcome days hold every rollup's (a database written before them has none). */
export const OUTCOME_DAYS_KEY = 'outcomeDays'

/** Meta key of the sequence number of the newest logged fact. */
export const LAST_FACT_SEQ_KEY = 'lastFactSeq'

/**
 * Meta key of the fact sequence number through which the search indexes hold an entry for every
 * record, its words cut as this release cuts them (`SEARCH_WORDS_VERSION` in core, part of the key):
 * written with each batch of facts by a release that keeps them. A process of an earlier release
 * that had the database open before its upgrade writes facts without it, and a process of a release
 * that cut words another way moves on only its own key (see {@link searchMarkKeys}), so either
 * leaves the search indexes known to be behind (see `searchIndexesInStep`).
 */
export const SEARCHED_THROUGH_KEY = searchMarkKeys(SEARCH_WORDS_VERSION).searchedThrough

/**
 * Meta key of a search-index build under way (see `startSearchBuild`): where it stopped, so that it
 * goes on in short write transactions, in the background, instead of one long one at the upgrade.
 * Versioned as {@link SEARCHED_THROUGH_KEY} is: a build another release started is not taken up.
 */
export const SEARCH_BUILD_KEY = searchMarkKeys(SEARCH_WORDS_VERSION).searchBuild

/**
 * The meta keys of the search indexes' mark and build, as the releases of a version of the search
 * words keep them: version 1 (words split at combining marks, nothing normalised) as
 * `searchedThrough` and `searchBuild`, each later one with `@` and its version after.
 */
export function searchMarkKeys(version: number): { readonly searchedThrough: string; readonly searchBuild: string } {
  return version === 1 ? { searchedThrough: 'searchedThrough', searchBuild: 'searchBuild' } : { searchedThrough: `searchedThrough@${String(version)}`, searchBuild: `searchBuild@${String(version)}` }
}

/** The meta keys releases of earlier versions of the search words marked their search indexes with. */
export const EARLIER_SEARCH_MARK_KEYS: readonly string[] = Array.from({ length: SEARCH_WORDS_VERSION - 1 }, (_, index) => Object.values(searchMarkKeys(index + 1))).flat()

/** Meta key of the schema version. */
export const SCHEMA_VERSION_KEY = 'schemaVersion'

/**
 * The key under which every record table and the fact log keep their msgpack shared structures
 * (the field names of each record shape, stored once per table). Every process and release must
 * use this same key, or it would not find the structures the records refer to.
 */
export const STRUCTURES_KEY = Symbol.for('structures')

/** Every sub-database of schema 3 (schema 2 lacks the search indexes), for recognising a database as ours. */
export const ALL_SUB_DATABASES: readonly string[] = [
  ...Object.values(SUB_DATABASES),
  COMMITS_BY_SETUP,
  ...Object.values(INDEX_DATABASES),
  ...Object.values(SEARCH_DATABASES),
  FACT_LOG,
  FACT_IDS,
  META,
  SETUP_TOTALS,
  PROJECT_DAYS,
  OUTCOME_DAYS,
]

/** Meta key of the database's own id, which names it as a source when it is merged elsewhere. */
export const DATABASE_ID_KEY = 'databaseId'

/**
 * Meta key prefix of reattributions, in the order they were made: `['reattribution', n]`, n = 1, 2, …
 * (see `LoggedReattribution`): how the fact log reads facts whose records moved to another setup.
 */
export const REATTRIBUTION_PREFIX = 'reattribution'

/** Meta key prefix of migration records: `['migration', id]`. */
export const MIGRATION_PREFIX = 'migration'

/** A string above every real string in a key part, to bound prefix ranges. */
export const ABOVE_ANY_STRING = '\u{10ffff}'

/** The range of every key that starts with `prefix` (its parts as {@link keyPart} stores them). */
export function prefixRange(prefix: readonly string[]): { start: Key; end: Key } {
  const parts = prefix.map(keyPart)
  return { start: parts, end: [...parts, ABOVE_ANY_STRING] }
}

/**
 * Key parts up to this many UTF-8 bytes are stored as they are; a key has at most four parts, so
 * every key stays under LMDB's limit of 1,978 bytes.
 */
export const LONGEST_KEY_PART = 400

/** Marks a key part stored as its digest. */
const DIGEST_MARK = '#sha256:'

/** Meta key prefix of the full values of key parts stored as digests: `['longKey', digest]` → the value. */
export const LONG_KEY_PREFIX = 'longKey'

/**
 * A key part as it is stored: itself, or — past {@link LONGEST_KEY_PART} bytes (a project path
 * thousands of characters long, an absurd setup id or hash) — `#sha256:` and its digest. The
 * record under the key keeps the full value; {@link rememberLongParts} keeps the way back.
 */
export function keyPart<T>(part: T): T | string {
  return typeof part === 'string' && part.length > LONGEST_KEY_PART / 4 && Buffer.byteLength(part) > LONGEST_KEY_PART ? `${DIGEST_MARK}${createHash('sha256').update(part).digest('hex')}` : part
}

/** Whether a key part read back is a digest that stands for a longer value. */
export function isDigestPart(part: unknown): part is string {
  return typeof part === 'string' && part.startsWith(DIGEST_MARK)
}

/** A core record key as an LMDB key: each part as {@link keyPart} stores it. */
export function toLmdbKey(key: RecordKey): Key {
  return key.map(keyPart)
}

/** Inside a write transaction: keeps the full value of each part of `key` that is stored as a digest. */
export function rememberLongParts(meta: { putSync(key: Key, value: unknown): unknown }, key: RecordKey): void {
  for (const part of key) {
    const stored = keyPart(part)
    if (stored !== part) meta.putSync([LONG_KEY_PREFIX, stored], part)
  }
}

/** The full value of a key part read back from a key (a digest is looked up; any other part is itself). */
export function fullKeyPart(meta: { get(key: Key): unknown }, part: string): string {
  if (!isDigestPart(part)) return part
  const full = meta.get([LONG_KEY_PREFIX, part])
  return typeof full === 'string' ? full : part
}

/** Ids up to this many characters are their own key; longer ones are keyed by their digest. */
const LONGEST_PLAIN_ID = 256

/**
 * The key of a fact id in the id index: the id itself, or — past {@link LONGEST_PLAIN_ID}
 * characters, where LMDB's key size limit looms — `#sha256:` and its digest.
 */
export function factIdKey(id: string): string {
  return id.length <= LONGEST_PLAIN_ID ? id : `#sha256:${createHash('sha256').update(id).digest('hex')}`
}
