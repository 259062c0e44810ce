import { checkDataFile, checkLockFile, locateDataFile } from '@agent-tracker/lmdb-store'
import type { Database, RootDatabase } from 'lmdb'
import { open } from 'lmdb'
import { parseLegacyKey } from './legacy-database-records.js'

/** The sub-database every agent-tracker database has (it holds the schema version). */
const META_DATABASE = 'meta'

/** Root keys looked at to recognise a legacy per-project database. */
const KEYS_SAMPLED = 1000

/**
 * Why an intact LMDB file at `path` is not an agent-tracker database (it lacks the `meta`
 * sub-database), naming a legacy per-project database as such; undefined when it is one, or when
 * it is absent or damaged (opening the store reports those). Checks the file before mapping it;
 * never throws.
 */
export async function notAnAgentTrackerDatabase(path: string): Promise<string | undefined> {
  let root: RootDatabase
  try {
    const { dataFile, lockFile, noSubdir } = locateDataFile(path)
    const check = checkDataFile(dataFile)
    if (!check.ok || !check.exists || checkLockFile(lockFile) !== undefined) return undefined
    root = open({ path, noSubdir, readOnly: true, maxDbs: 16 })
  } catch {
    return undefined
  }
  try {
    // Read-only, lmdb-js returns undefined for a sub-database that does not exist (its types do not say so).
    const meta = root.openDB({ name: META_DATABASE }) as Database | undefined
    if (meta !== undefined) return undefined
    const what = `${path} is not an agent-tracker database (it has no "${META_DATABASE}" sub-database)`
    const legacy = [...root.getKeys({ limit: KEYS_SAMPLED })].some((key) => parseLegacyKey(key) !== undefined)
    return legacy
      ? `${what}: its agent:, commit: and communication: keys make it a legacy per-project database. merge is for agent-tracker databases from other machines; bring legacy ones in with \`agent-tracker migrate <project folder>\`.`
      : `${what}, so there is nothing to merge from it.`
  } catch {
    return undefined
  } finally {
    await root.close().catch(() => undefined)
  }
}
