import { open } from 'lmdb'
import { META, SCHEMA_VERSION_KEY, SEARCH_DATABASES } from './layout.js'

/**
 * For tests of upgrades: turns a database this release wrote back into one of schema 2, as the
 * release before the search indexes left it — the same records and indexes, no search indexes.
 * The database must not be open in this process.
 */
export async function asSchema2(databasePath: string): Promise<void> {
  const root = open({ path: databasePath, maxDbs: 32 })
  try {
    root.transactionSync(() => {
      for (const name of Object.values(SEARCH_DATABASES)) root.openDB({ name, keyEncoding: 'binary', encoding: 'binary' }).dropSync()
      root.openDB({ name: META }).putSync(SCHEMA_VERSION_KEY, 2)
    })
  } finally {
    await root.close()
  }
}

export type { Schema1Content } from './schema-1-database.js'
export { writeSchema1Database } from './schema-1-database.js'
