import type { LoggedFact, RefusedItem, TrackerStore } from '@agent-tracker/core'
import { PostgresStoreError } from './errors.js'
import type { Acknowledged, PostgresStore, SyncSource } from './postgres-store.js'

/** Options of {@link syncToTeam}. */
export interface SyncOptions extends SyncSource {
  /** Facts per transaction (default 1 000). */
  readonly batchSize?: number
  /** Called after each acknowledged batch. */
  readonly onBatch?: (progress: SyncProgress) => void
  /**
   * Stops the sync: once aborted, it reads nothing more of the local store and rejects at once
   * with SYNC_STOPPED, without waiting for the team's answer to a statement under way (which
   * commits or rolls back on the server as it would have; close the team store to end it). A host
   * that closes its local store aborts first, so that no read reaches a closed store.
   */
  readonly signal?: AbortSignal
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
 * @throws {PostgresStoreError} TEAM_UNREACHABLE (and others) when the server fails; SYNC_STOPPED when `signal` stopped it; batches acknowledged before stay.
 */
export async function syncToTeam(local: TrackerStore, team: PostgresStore, options: SyncOptions): Promise<SyncProgress> {
  const batchSize = options.batchSize ?? 1000
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new PostgresStoreError('INVALID_OPTION', `Invalid sync batch size ${String(batchSize)}: a whole number ≥ 1 is required.`, { option: 'batchSize', value: batchSize })
  }
  const from: SyncSource = { source: options.source, member: options.member, machine: options.machine, ...(options.database === undefined ? {} : { database: options.database }) }
  let acknowledged = 0
  // Every call to the team and every local read goes through these: once stopped, nothing more is read locally.
  const steps = stopper(options.signal, () => acknowledged)
  const mark = await steps.team(() => team.acknowledged(from.source))
  acknowledged = mark.seq
  // Synced before as another member: the new member's share gets the whole log (the team's skips
  // every fact it has by id); the earlier member's keeps what it was sent.
  const movedFrom = mark.member !== undefined && mark.member !== from.member ? mark.member : undefined
  if (acknowledged > 0 && (movedFrom !== undefined || await replaced(local, mark, from.database, steps))) {
    // Or the database was replaced (restored from a backup, recreated) since the team acknowledged
    // it: another database, its log shorter, or another fact at that place. Send it all again.
    await steps.team(() => team.resetSource(from.source))
    acknowledged = 0
  }
  let sent = 0
  let applied = 0
  let repeats = 0
  let refusedCount = 0
  const refused: RefusedItem[] = []
  const progress = async (): Promise<SyncProgress> => ({
    sent, applied, repeats, acknowledged, local: await steps.local(() => local.lastFactSeq()), refusedCount, refused: [...refused],
    ...(movedFrom === undefined ? {} : { movedFrom }),
  })
  for (;;) {
    const batch = await steps.local(() => readBatch(local, acknowledged, batchSize))
    if (batch.length === 0) {
      await syncProfiles(local, team, from.member, steps)
      return progress()
    }
    const received = await steps.team(() => team.receive(from, batch))
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
async function replaced(local: TrackerStore, mark: Acknowledged, database: string | undefined, steps: Steps): Promise<boolean> {
  if (database !== undefined && mark.database !== undefined && database !== mark.database) return true
  if ((await steps.local(() => local.lastFactSeq())) < mark.seq) return true
  if (mark.id === undefined) return false
  const [entry] = await steps.local(() => readBatch(local, mark.seq - 1, 1))
  return entry?.seq !== mark.seq || entry.fact.id !== mark.id
}

/** Up to `limit` entries of the local fact log after `after`. */
function readBatch(local: TrackerStore, after: number, limit: number): Promise<LoggedFact[]> {
  return readAll(local.readFactLog({ after, limit }))
}

async function readAll<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

/**
 * The steps of a sync that can be stopped: `local` reads of the local store, which start only
 * while the sync is not stopped and are always waited for to the end (they are short, and the host
 * closes its store once the stopped sync has settled: no read is left under way on a closed
 * store), and `team` calls, which reject with SYNC_STOPPED as soon as the sync is stopped, without
 * waiting for a statement the team has not answered.
 */
interface Steps {
  local<T>(read: () => Promise<T>): Promise<T>
  team<T>(call: () => Promise<T>): Promise<T>
}

function stopper(signal: AbortSignal | undefined, acknowledged: () => number): Steps {
  const stopped = (): PostgresStoreError => new PostgresStoreError('SYNC_STOPPED', `The sync to the team database was stopped before it ended; the team has acknowledged the local log up to ${String(acknowledged())}, and the next sync sends the rest.`, { acknowledged: acknowledged() })
  const check = (): void => {
    if (signal?.aborted === true) throw stopped()
  }
  return {
    local: async (read) => {
      check()
      const result = await read()
      check()
      return result
    },
    team: async (call) => {
      check()
      if (signal === undefined) return call()
      const running = call()
      // Left behind when stopped: its own failure is no one's concern any more.
      running.catch(() => undefined)
      let onAbort: (() => void) | undefined
      const aborted = new Promise<never>((_resolve, reject) => {
        onAbort = () => {
          reject(stopped())
        }
        signal.addEventListener('abort', onAbort, { once: true })
      })
      try {
        return await Promise.race([running, aborted])
      } finally {
        if (onAbort !== undefined) signal.removeEventListener('abort', onAbort)
      }
    },
  }
}

/**
 * Project profiles are not facts: they are read from project folders, which only the member's
 * machine has. Each profile the team database lacks, or has older, is sent along.
 */
async function syncProfiles(local: TrackerStore, team: PostgresStore, member: string, steps: Steps): Promise<void> {
  const share = team.forMember(member)
  // Read whole before the team is asked anything: a stop leaves no local read under way.
  const projects = await steps.local(() => readAll(local.scan('projects')))
  for (const project of projects) {
    const profile = project.profile
    if (profile === undefined) continue
    for (const store of [team, share]) {
      const stored = (await steps.team(() => store.get('projects', [project.path])))?.profile
      if (stored === undefined || (stored.fingerprint !== profile.fingerprint && stored.profiledAt < profile.profiledAt)) {
        await steps.team(() => store.saveProjectProfile(project.path, profile))
      }
    }
  }
}
