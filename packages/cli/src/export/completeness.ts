import type { CollectionName } from '@agent-tracker/core'

/** A collection an export holds fewer records of than the database counts. */
export interface ShortCollection {
  readonly collection: CollectionName
  readonly exported: number
  readonly stored: number
}

/**
 * The collections of `collections` an export of the whole database holds fewer records of than
 * LMDB counts in them (`stored`, from each tree's own count). Only meaningful when nothing was
 * written while the export read (the same last transaction before and after) and no filter
 * narrowed it: then every record counted should have been exported.
 */
export function shortCollections(exported: ReadonlyMap<CollectionName, number>, stored: Readonly<Record<CollectionName, number>>, collections: readonly CollectionName[]): ShortCollection[] {
  return collections
    .map((collection) => ({ collection, exported: exported.get(collection) ?? 0, stored: stored[collection] }))
    .filter((entry) => entry.exported < entry.stored)
}

/** `commits: 279 of 288 records, bugs: 0 of 31 records`. */
export function describeShortCollections(short: readonly ShortCollection[]): string {
  return short.map((entry) => `${entry.collection}: ${String(entry.exported)} of ${String(entry.stored)} records`).join(', ')
}
