/**
 * Opening the central database by the shared path rules, and nothing else of the kit: for a host
 * (a CLI command) that only reads or writes the database and should load no more than that.
 */
export type { DatabasePathOrigin, DatabasePathSources } from './database/database-path.js'
export { DATABASE_PATH_VARIABLE, defaultDatabasePath, locateDatabase, resolveDatabasePath } from './database/database-path.js'
export type { DatabaseOptions } from './database/open-database.js'
export { openDatabase } from './database/open-database.js'
export type { LongUpgrade } from './database/long-upgrade.js'
export { longUpgradeOf } from './database/long-upgrade.js'
