import type { MigrationRecord, TrackerStore } from '@agent-tracker/core'

/** The id a migration of `source` is recorded under in the store's meta: one record per kind and source. */
export function migrationId(kind: MigrationRecord['kind'], source: string): string {
  return `${kind}:${source}`
}

/**
 * Records one run of a migration without losing earlier runs: the stored record's `migrated` and
 * `combinedSetups` cover every run of that source; `at`, `skipped`, `errors` and `setup` describe
 * the latest run; `timeZone` the latest run that migrated anything, the zone the records were read
 * in. (The store keeps one record per id, and a re-run migrates nothing new: run without
 * `--timezone`, it would otherwise say the earlier import's times were read as UTC.)
 * @throws whatever the store's `listMigrations` or `recordMigration` throws.
 */
export async function recordMigrationRun(target: TrackerStore, run: MigrationRecord): Promise<void> {
  const previous = (await target.listMigrations()).find((record) => record.id === run.id)
  const combined = [...new Set([...(previous?.combinedSetups ?? []), ...(run.combinedSetups ?? [])])]
  const { timeZone: given, ...rest } = run
  // Records already read are never read again in another zone (see `withoutZoneShiftedCopies`).
  const timeZone = run.migrated > 0 || previous === undefined ? given : previous.timeZone
  await target.recordMigration({
    ...rest,
    ...(timeZone === undefined ? {} : { timeZone }),
    migrated: (previous?.migrated ?? 0) + run.migrated,
    ...(combined.length === 0 ? {} : { combinedSetups: combined }),
  })
}
