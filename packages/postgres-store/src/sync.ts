import type { LoggedFact, RefusedItem, TrackerStore } from '@agent-tracker/core'
import { PostgresStoreError } from './errors.js'
import type { Acknowledged, PostgresStore, SyncSource } from './postgres-store.js'

/** Options of {@link syncToTeam}. */
export interface SyncOptions extends SyncSource {
  /** Facts per transaction (default 1 000). */
  readonly batchSize?: number
  /** Called after each acknowledged batch. */
  readonly onBatch?: (progress: SyncProgress) => void
}

/** How far a sync got. */
export interface SyncProgress {
  /** Facts sent and acknowledged by this run. */
  readonly sent: number
  /** Of those, facts that changed the team's records. */
  readonly applied: number
  /** Of those, facts the team database had already. */
  readonly repeats: number
  /** The local sequence number the team database has acknowledged. */
  readonly acknowledged: number
  /** The local fact log's last sequence number when the run ended. */
  readonly local: number
  /** Facts the team's door refused (skipped, and not sent again): how many, and the first {@link MAX_LISTED_REFUSALS}. */
  readonly refusedCount: number
  readonly refused: readonly RefusedItem[]
  /**
   * The member this source synced as before, when it now syncs as another: its whole log was sent
   * again to the new member's share; the earlier member's share keeps what it was sent then.
   */
  readonly movedFrom?: string
}

/** Refusals a sync lists; the rest are counted. */
export const MAX_LISTED_REFUSALS = 50

/**
 * Sends the local fact log, from where the team database last acknowledged this source, in
 * batches: each batch is applied and acknowledged in one transaction on the server, so a sync
 * cut short (the server went down, the process was killed) resumes exactly where it stopped on
 * the next run, and a resend changes nothing. Hooks never wait for this: it reads the local log.
 * The whole log is sent again when the database was replaced since (restored from a backup,
 * recreated: see `SyncSource.database`), and when it syncs as another member than before (see
 * `SyncProgress.movedFrom`).
 * @throws {PostgresStoreError} TEAM_UNREACHABLE (and others) when the server fails; batches acknowledged before stay.
 */
export async function syncToTeam(local: TrackerStore, team: PostgresStore, options: SyncOptions): Promise<SyncProgress> {
  const batchSize = options.batchSize ?? 1000
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new PostgresStoreError('INVALID_OPTION', `Invalid sync batch size ${String(batchSize)}: a whole number ≥ 1 is required.`, { option: 'batchSize', value: batchSize })
  }
  const from: SyncSource = { source: options.source, member: options.member, machine: options.machine, ...(options.database === undefined ? {} : { database: options.database }) }
  const mark = await team.acknowledged(from.source)
  let acknowledged = mark.seq
  // Synced before as another member: the new member's share gets the whole log (the team's skips
  // every fact it has by id); the earlier member's keeps what it was sent.
  const movedFrom = mark.member !== undefined && mark.member !== from.member ? mark.member : undefined
  if (acknowledged > 0 && (movedFrom !== undefined || await replaced(local, mark, from.database))) {
    // Or the database was replaced (restored from a backup, recreated) since the team acknowledged
    // it: another database, its log shorter, or another fact at that place. Send it all again.
    await team.resetSource(from.source)
    acknowledged = 0
  }
  let sent = 0
  let applied = 0
  let repeats = 0
  let refusedCount = 0
  const refused: RefusedItem[] = []
  const progress = async (): Promise<SyncProgress> => ({
    sent, applied, repeats, acknowledged, local: await local.lastFactSeq(), refusedCount, refused: [...refused],
    ...(movedFrom === undefined ? {} : { movedFrom }),
  })
  for (;;) {
    const batch: LoggedFact[] = []
    for await (const entry of local.readFactLog({ after: acknowledged, limit: batchSize })) batch.push(entry)
    if (batch.length === 0) {
      await syncProfiles(local, team, from.member)
      return progress()
    }
    const received = await team.receive(from, batch)
    acknowledged = received.acknowledged
    sent += received.received
    applied += received.applied
    repeats += received.repeats
    refusedCount += received.refused.length
    refused.push(...received.refused.slice(0, MAX_LISTED_REFUSALS - refused.length))
    options.onBatch?.(await progress())
  }
}

/**
 * True when the local log is not the one the team acknowledged up to `mark`: another database's
 * (deleted and made anew: its log may even hold the same fact at that place, the same history
 * imported again, and the facts after it would never be sent), shorter, or another fact at its place.
 */
async function replaced(local: TrackerStore, mark: Acknowledged, database: string | undefined): Promise<boolean> {
  if (database !== undefined && mark.database !== undefined && database !== mark.database) return true
  if ((await local.lastFactSeq()) < mark.seq) return true
  if (mark.id === undefined) return false
  for await (const entry of local.readFactLog({ after: mark.seq - 1, limit: 1 })) return entry.seq !== mark.seq || entry.fact.id !== mark.id
  return true
}

/**
 * Project profiles are not facts: they are read from project folders, which only the member's
 * machine has. Each profile the team database lacks, or has older, is sent along.
 */
async function syncProfiles(local: TrackerStore, team: PostgresStore, member: string): Promise<void> {
  const share = team.forMember(member)
  for await (const project of local.scan('projects')) {
    const profile = project.profile
    if (profile === undefined) continue
    for (const store of [team, share]) {
      const stored = (await store.get('projects', [project.path]))?.profile
      if (stored === undefined || (stored.fingerprint !== profile.fingerprint && stored.profiledAt < profile.profiledAt)) {
        await store.saveProjectProfile(project.path, profile)
      }
    }
  }
}
