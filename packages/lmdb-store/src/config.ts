/** Size rules, the throw-away path and the errors of the database, without loading LMDB (for hosts that must start fast). */
export { DEFAULT_DATABASE_SIZE, MAX_DATABASE_SIZE, MIN_DATABASE_SIZE, formatBytes, validateMaxDatabaseSize } from './database-size.js'
export type { LmdbStoreErrorCode, LmdbStoreErrorDetails } from './errors.js'
export { LmdbStoreError, isLmdbStoreError } from './errors.js'
export { MEMORY_PATH } from './memory-path.js'
