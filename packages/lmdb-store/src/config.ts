/** Path and size rules of the database, without loading LMDB (for hosts that must start fast). */
export type { DatabasePathSources } from './database-path.js'
export { DATABASE_PATH_VARIABLE, MEMORY_PATH, resolveDatabasePath } from './database-path.js'
export { DEFAULT_DATABASE_SIZE, MAX_DATABASE_SIZE, MIN_DATABASE_SIZE, formatBytes, validateMaxDatabaseSize } from './database-size.js'
export type { LmdbStoreErrorCode } from './errors.js'
export { LmdbStoreError, isLmdbStoreError } from './errors.js'
