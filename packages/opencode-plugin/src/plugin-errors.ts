import { formatBytes, isLmdbStoreError } from '@agent-tracker/lmdb-store/config'
import { flushOptionMessage } from '@agent-tracker/node-host/opencode-options'

/**
 * An error as the plugin tells its user: what went wrong, and the fix in terms of the plugin's
 * options (`databasePath`, `maxDatabaseSize`, `flush.*`), phrased from the error's code and data
 * (or its cause's: a flush that failed on a full database says how to get room).
 */
export function inPluginTerms(error: unknown): string {
  const flushOption = flushOptionMessage(error)
  if (flushOption !== undefined) return flushOption
  const message = error instanceof Error ? error.message : String(error)
  const fix = fixFor(error) ?? fixFor((error as { cause?: unknown } | null)?.cause)
  return fix === undefined ? message : `${message} ${fix}`
}

function fixFor(error: unknown): string | undefined {
  if (isLmdbStoreError(error, 'NOT_AGENT_TRACKER_DATABASE')) {
    const { kind } = error.details.format
    return kind === 'predecessor-central'
      ? 'Turn the upgradeOnStart option back on, or run agent-tracker upgrade, to move it aside and import everything it holds; or set databasePath to another file.'
      : 'Move it aside, or set the databasePath option to another file.'
  }
  if (isLmdbStoreError(error, 'DATABASE_FULL')) {
    const { limitBytes, maximumBytes } = error.details
    return limitBytes >= maximumBytes
      ? `maxDatabaseSize is already at its ${formatBytes(maximumBytes)} maximum: set databasePath to a new database (this one stays readable with agent-tracker --db).`
      : `Raise the maxDatabaseSize option (up to ${formatBytes(maximumBytes)}).`
  }
  if (isLmdbStoreError(error, 'DATABASE_UNREADABLE') && (error.details.reason === 'damaged' || error.details.reason === 'open')) {
    return 'Move the file aside, or set the databasePath option to another file.'
  }
  if (isLmdbStoreError(error, 'DATABASE_UNWRITABLE') && (error.details.reason === 'create' || error.details.reason === 'permission' || error.details.reason === 'folder')) {
    return 'Check its permissions, or set the databasePath option to a writable place.'
  }
  return undefined
}
