import type { CollectionName, CollectionRecords, RecordKey } from '@agent-tracker/core'
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
}

/** Index of commits by setup and time: `[setup, at, project, hash]` → `true`. */
export const COMMITS_BY_SETUP = 'commits-by-setup'

/** Schema version, migration records. */
export const META = 'meta'

/** Meta key of the schema version. */
export const SCHEMA_VERSION_KEY = 'schemaVersion'

/** Meta key of the database's own id, which names it as a source when it is merged elsewhere. */
export const DATABASE_ID_KEY = 'databaseId'

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
