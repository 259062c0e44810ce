import { createHash } from 'node:crypto'
import type { CollectionName, CollectionRecords, RecordKey } from '@agent-tracker/core'
import type { Key } from 'lmdb'

/** The named sub-database of each collection (SPEC §4.2 names where the spec gives them). */
export const SUB_DATABASES: Readonly<Record<CollectionName, string>> = {
  setups: 'agents',
  projects: 'projects',
  commits: 'commits',
  retrospectives: 'retrospectives',
  gradeEvents: 'communication',
  bugs: 'bugs',
  activities: 'activities',
  usage: 'usage',
}

/** Index of commits by setup and time: `[setup, at, project, hash]` → `true`. */
export const COMMITS_BY_SETUP = 'commits-by-setup'

/** The fact log: the facts of each write as one batch, keyed by the sequence number of its first fact. */
export const FACT_LOG = 'facts'

/** Every fact id the store took: `id` → its sequence number in the fact log. */
export const FACT_IDS = 'fact-ids'

/** Schema version, migration records, the fact log's last sequence number. */
export const META = 'meta'

/** Meta key of the sequence number of the newest logged fact. */
export const LAST_FACT_SEQ_KEY = 'lastFactSeq'

/** Meta key of the schema version. */
export const SCHEMA_VERSION_KEY = 'schemaVersion'

/** Meta key prefix of migration records: `['migration', id]`. */
export const MIGRATION_PREFIX = 'migration'

/** A string above every real string in a key part, to bound prefix ranges. */
const ABOVE_ANY_STRING = '\u{10ffff}'

/** The range of every key that starts with `prefix`. */
export function prefixRange(prefix: readonly string[]): { start: Key; end: Key } {
  return { start: [...prefix], end: [...prefix, ABOVE_ANY_STRING] }
}

/** The key of a commit in the by-setup index. */
export function commitIndexKey(commit: CollectionRecords['commits']): Key {
  return [commit.setup, commit.at, commit.project, commit.hash]
}

/** A core record key as an LMDB key. */
export function toLmdbKey(key: RecordKey): Key {
  return [...key]
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
