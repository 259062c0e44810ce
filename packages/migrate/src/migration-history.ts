import type { MigrationRecord, TrackerStore } from '@agent-tracker/core'

/** The id a migration of `source` is recorded under in the store's meta: one record per kind and source. */
export function migrationId(kind: MigrationRecord['kind'], source: string): string {
  return `${kind}:${source}`
}

/**
 * Records one run of a migration without losing earlier runs: the stored record's `migrated` and
 * `combinedSetups` cover every run of that source; `at`, `skipped`, `errors`, `timeZone` and
 * `setup` describe the latest run. (The store keeps one record per id, and a re-run migrates
 * nothing new.)
 * @throws whatever the store's `listMigrations` or `recordMigration` throws.
 */
export async function recordMigrationRun(target: TrackerStore, run: MigrationRecord): Promise<void> {
  const previous = (await target.listMigrations()).find((record) => record.id === run.id)
  const combined = [...new Set([...(previous?.combinedSetups ?? []), ...(run.combinedSetups ?? [])])]
  await target.recordMigration({ ...run, migrated: (previous?.migrated ?? 0) + run.migrated, ...(combined.length === 0 ? {} : { combinedSetups: combined }) })
}
