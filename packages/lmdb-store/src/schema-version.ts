import { randomUUID } from 'node:crypto'
import { SCHEMA_VERSION, describeValue } from '@agent-tracker/core'
import type { Database } from 'lmdb'
import { LmdbStoreError } from './errors.js'
import { DATABASE_ID_KEY, SCHEMA_VERSION_KEY } from './layout.js'

/**
 * The schema version stored in `meta`, or undefined when none is stored yet (a new database).
 * @throws {LmdbStoreError} DATABASE_UNREADABLE when the stored value is not a whole number ≥ 1.
 */
export function storedSchemaVersion(meta: Database<unknown>, path: string): number | undefined {
  const value = meta.get(SCHEMA_VERSION_KEY)
  if (value === undefined) return undefined
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
  throw new LmdbStoreError('DATABASE_UNREADABLE', `The agent-tracker database ${path} has an unreadable schema version (${describeValue(value)}); a whole number ≥ 1 is expected. Nothing was changed.`, { path, reason: 'schema' })
}

/**
 * Checks the stored schema version on open and, unless read-only, records this release's version
 * in a database that has none yet (`write` runs its callback in a write transaction).
 * @throws {LmdbStoreError} DATABASE_TOO_NEW for a newer schema; DATABASE_UNREADABLE for a garbled one.
 */
export function checkSchemaVersion(meta: Database<unknown>, path: string, readOnly: boolean, write: (body: () => void) => void): void {
  const stored = storedSchemaVersion(meta, path)
  if (stored !== undefined && stored > SCHEMA_VERSION) {
    throw new LmdbStoreError('DATABASE_TOO_NEW', `The agent-tracker database ${path} has schema version ${String(stored)}, newer than this release understands (${String(SCHEMA_VERSION)}). Upgrade agent-tracker.`, { path, schemaVersion: stored, supportedVersion: SCHEMA_VERSION })
  }
  if (stored !== undefined || readOnly) return
  write(() => {
    // Another process may have created the database meanwhile: only the first one writes.
    if (meta.get(SCHEMA_VERSION_KEY) !== undefined) return
    meta.putSync(SCHEMA_VERSION_KEY, SCHEMA_VERSION)
    meta.putSync(DATABASE_ID_KEY, randomUUID())
  })
}
