import { hostname } from 'node:os'
import { join, resolve } from 'node:path'
import type { Fact, SetupIdentity, SetupParts, TrackingService } from '@agent-tracker/core'
import { createTrackingService, formatSetupId, validateFact } from '@agent-tracker/core'
import type { LmdbStore, WriteLockHolder } from '@agent-tracker/lmdb-store'
import { isLmdbStoreError } from '@agent-tracker/lmdb-store'
import type { FlushResult, WriteBuffer, WriteBufferOptions } from '@agent-tracker/write-buffer'
import { WriteBufferError, withWriteBuffer, withinTime } from '@agent-tracker/write-buffer'
import { folderLegacyStatus } from '@agent-tracker/migrate'
import type { DatabaseOptions } from '../database/open-database.js'
import { openDatabase } from '../database/open-database.js'
import type { ProjectMigration } from '../projects/migrate-project.js'
import { migrateProject } from '../projects/migrate-project.js'
import { refreshProjectProfile } from '../projects/project-profile.js'
import type { EvidenceScan } from '../evidence/scan-evidence.js'
import { scanEvidence } from '../evidence/scan-evidence.js'
import { isNodeHostError } from '../errors.js'
import type { BackgroundSync, TeamSyncOptions } from '../team/background-sync.js'
import { SYNC_CLOSE_WAIT_MS, createBackgroundSync } from '../team/background-sync.js'
import { flushOnExit } from './exit-flush.js'
import { KEPT_AT_EXIT, PendingFacts, pendingFolder } from './pending-facts.js'
import { timeOrderedId } from './fact-id.js'
import type { StatusExportMode } from './status-export.js'
import { writeStatusExport } from './status-export.js'

/** Options of {@link openTracker}: where the database is, the project the host works in, and how it tracks. */
export interface OpenTrackerOptions extends Omit<DatabaseOptions, 'readOnly' | 'whileLocked'> {
  /** The project folder the host works in (resolved against the working directory). */
  readonly project: string
  /**
   * The folder the host was started in, when a subfolder of `project` (resolved likewise): legacy
   * data is looked for there at {@link Tracker.prepareProject}, as the predecessor kept it in the
   * folder it ran in, and recorded under the project. Default: `project`.
   */
  readonly folder?: string | undefined
  /** How setups are named: `agent+model` (default, `build@anthropic/claude-sonnet-4-5`) or `agent`. */
  readonly identity?: SetupIdentity | undefined
  /** Bring the project's legacy data in at {@link Tracker.prepareProject}; default true. */
  readonly migrateOnStart?: boolean | undefined
  /** Where `.agent/status.json` is refreshed after flushes; default `existing` (only where `.agent/` exists). */
  readonly exportStatusFile?: StatusExportMode | undefined
  /** The write buffer's safety valve and its flush-failure callback. */
  readonly flush?: WriteBufferOptions | undefined
  /**
   * Flush synchronously on process exit, SIGINT and SIGTERM (keeping the host's own signal
   * handling); default true. What that cannot write at once — another write of this process waits
   * for the write lock, which a synchronous write would wait for too — is kept in the pending folder
   * beside the database (see `PendingFacts`) for the next flush of any tracker or Claude Code hook.
   */
  readonly flushOnExit?: boolean | undefined
  /**
   * What a write does while another process holds the database's write lock (a merge, an import, a
   * CLI command stopped with Ctrl-Z): `wait` for it (default), or `keep` the facts — in memory while
   * the host runs (the buffer tries again later), and at {@link Tracker.close} or exit in the
   * pending folder beside the database, for the next flush of any tracker or Claude Code hook. A
   * host that must be able to end at any moment keeps: a write waiting for the lock cannot be
   * called off, and keeps its process from ending. Where the lock's holder cannot be told (only
   * Linux tells), writes wait.
   */
  readonly whileLocked?: 'wait' | 'keep' | undefined
  /** Each flush also writes the facts waiting in the pending folder beside the database (kept at another tracker's exit, or by Claude Code's hooks); default true. */
  readonly writeKeptFacts?: boolean | undefined
  /** Fact ids where the host gives none; default time-ordered UUIDs (version 7), unique across processes. */
  readonly newId?: (() => string) | undefined
  /** The clock; default the system's. */
  readonly now?: (() => Date) | undefined
  /** A team database to sync to in the background after each flush that wrote facts; none by default. */
  readonly team?: TeamSyncOptions | undefined
}

/** What {@link Tracker.prepareProject} did: the legacy migration (when on) and the profile stored. Never a thrown error. */
export interface ProjectPreparation {
  /** The migration of the project's legacy data; undefined with `migrateOnStart: false`. */
  readonly migration?: ProjectMigration
  /** The profile stored now; undefined when AGENTS.md and the manifests did not change. */
  readonly profile?: ProjectMigration['profile']
  /** What failed besides the migration (whose issues it reports itself); tracking goes on regardless. */
  readonly problems: readonly string[]
  /** Why the work was put off, when another process held the write lock (`whileLocked: 'keep'`): the next start does it. */
  readonly deferred?: string
}

/** How long a closing tracker that keeps its facts while another process holds the lock looks again before keeping them. */
const CLOSE_LOCK_GRACE_MS = 1000

/** Records a background step of a search-index build gives their entries: about 10 ms of the host's time (50 ms at worst, measured under load). */
export const SEARCH_BUILD_STEP_RECORDS = 500
/** The pause between two background steps of a search-index build. */
export const SEARCH_BUILD_PAUSE_MS = 25
/** The longest pause of a search-index build waiting for another process's write lock (1 s, doubling). */
const SEARCH_BUILD_BUSY_MAX_MS = 60_000

/** Whether a write was refused because another process holds the write lock (`DATABASE_BUSY`, see `whileLocked`). */
function isBusy(error: unknown): boolean {
  return isLmdbStoreError(error, 'DATABASE_BUSY')
}

/**
 * A host's tracker: the central LMDB store behind a write buffer (hooks only append to memory),
 * the tracking service over the buffer, and the project the host works in. Use {@link openTracker}.
 */
export class Tracker {
  /** The central database itself: its path and size (`info()`); reads here miss what is pending. */
  readonly store: LmdbStore
  /** The store hooks write to: facts wait in memory, reads see them; flushed in one transaction. */
  readonly buffer: WriteBuffer
  /** Records facts and answers status over the buffer. */
  readonly service: TrackingService
  /** The project folder the host works in, absolute. */
  readonly project: string
  /** How setups are named (see {@link Tracker.setupId}). */
  readonly identity: SetupIdentity
  readonly #options: OpenTrackerOptions
  readonly #removeExitFlush: () => void
  /** The background sync to the team database, when one is configured. */
  readonly teamSync: BackgroundSync | undefined
  #evidenceScan: { readonly scan: Promise<EvidenceScan | undefined>; readonly stop: () => void } | undefined
  #searchBuild: { readonly build: Promise<boolean>; readonly stop: () => void } | undefined
  #lastSetup: string | undefined
  /** Ids of the facts taken from the pending folder into the buffer and not written yet. */
  readonly #keptInBuffer = new Set<string>()
  /** The pending-folder files those facts came from (taken: renamed, left until written or kept again). */
  #keptFiles: { readonly done: () => void } | undefined

  /** Use {@link openTracker}. */
  constructor(store: LmdbStore, options: OpenTrackerOptions) {
    this.#options = options
    this.store = store
    this.project = resolve(options.project)
    this.identity = options.identity ?? 'agent+model'
    this.buffer = withWriteBuffer(store, options.flush ?? {})
    this.service = createTrackingService({ store: this.buffer, newId: options.newId ?? (() => timeOrderedId()), ...(options.now === undefined ? {} : { now: options.now }) })
    this.#removeExitFlush = options.flushOnExit === false ? () => undefined : flushOnExit(() => { this.#flushAtExit() })
    this.teamSync = options.team === undefined ? undefined : createBackgroundSync(store, { source: `${hostname()}:${store.path}`, database: store.databaseId }, options.team)
  }

  /** The setup that last worked in the project: the one `.agent/status.json` shows. */
  get lastSetup(): string | undefined {
    return this.#lastSetup
  }

  /** Notes that a setup just worked in the project (its status is what the status file shows). */
  noteWork(setup: string): void {
    this.#lastSetup = setup
  }

  /**
   * The id of the setup running an agent on a provider/model, by this tracker's identity rule.
   * @throws {TrackerError} INVALID_SETUP_ID for an empty agent name or one with `@` or `/`.
   */
  setupId(parts: SetupParts): string {
    return formatSetupId(parts, this.identity)
  }

  /**
   * Brings in the legacy data of the folder the host started in (once; see `migrateProject`: it is
   * recorded under the project) when `migrateOnStart` is on, and stores the project's profile when
   * its AGENTS.md or manifests changed. Hosts run it off their start-up path. Never throws: problems
   * are returned.
   */
  async prepareProject(): Promise<ProjectPreparation> {
    const problems: string[] = []
    let migration: ProjectMigration | undefined
    let profile: ProjectMigration['profile']
    try {
      if (this.#options.migrateOnStart !== false) migration = await migrateProject(resolve(this.#options.folder ?? this.project), this.buffer, { ...(this.#options.now === undefined ? {} : { now: this.#options.now }) })
      profile = migration?.profile ?? (await refreshProjectProfile(this.buffer, this.project, this.#options.now?.()))
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      if (isBusy(error)) return { ...(migration === undefined ? {} : { migration }), problems, deferred: message }
      problems.push(message)
    }
    return { ...(migration === undefined ? {} : { migration }), ...(profile === undefined ? {} : { profile }), problems }
  }

  /**
   * Writes everything pending in one transaction, then refreshes `.agent/status.json` and, with a
   * team database, asks for a background sync (never awaited here). Never throws.
   */
  async flush(): Promise<FlushResult> {
    const kept = this.#options.writeKeptFacts === false ? undefined : this.#takeKeptFacts()
    const result = await this.buffer.flush()
    // Written: their files go. Else they stay for the next flush, which finds them again (their ids count them once).
    if (result.errors.length === 0) {
      kept?.done()
      this.#keptInBuffer.clear()
      this.#keptFiles = undefined
    }
    if (result.errors.length === 0 && result.factsWritten > 0) {
      await this.#exportStatus()
      this.teamSync?.request()
    }
    return result
  }

  /** Writes everything pending synchronously (process exit). Never throws. */
  flushSync(): FlushResult {
    return this.buffer.flushSync()
  }

  /**
   * The exit flush: writes what is pending synchronously, unless another write of this process is
   * under way (`FLUSH_UNDER_WAY`: it may be waiting for another process's write lock, and so would
   * a synchronous write, keeping the process from ending) or the write fails; then the pending
   * facts are kept in the pending folder beside the database for the next flush. Never throws.
   */
  #flushAtExit(): void {
    if (this.buffer.pendingCount === 0) return
    // A synchronous write would wait on the way out for as long as that process holds the lock.
    const result = this.store.writeLockHolder().state === 'held' ? undefined : this.flushSync()
    if (result?.errors.length === 0 || this.buffer.pendingCount === 0) return
    try {
      this.#keep(this.buffer.pendingFacts)
    } catch {
      // Exiting: nothing left to report to; the facts are lost with the process, as without this.
    }
  }

  /** Adds the facts kept in the pending folder to the buffer (a line that is no valid fact is dropped); `done` removes their files once written. */
  #takeKeptFacts(): { readonly done: () => void } | undefined {
    const kept = new PendingFacts(this.store.path).take()
    if (kept.facts.length === 0) return kept
    const facts = kept.facts.flatMap((fact): Fact[] => {
      try {
        return [validateFact(fact)]
      } catch {
        return []
      }
    })
    // A flush that failed left its files taken, and the next takes them again: their facts are in the buffer already.
    const fresh = facts.filter((fact) => !this.#keptInBuffer.has(fact.id))
    try {
      this.buffer.append(fresh)
    } catch {
      // The buffer is closed: they stay for another tracker.
      return undefined
    }
    for (const fact of fresh) this.#keptInBuffer.add(fact.id)
    this.#keptFiles = kept
    return kept
  }

  /**
   * Keeps `facts` in the pending folder for the next flush of any host, and lets go of the files
   * taken from it whose facts are among them (in the buffer since): a fact is kept once, not once
   * more per flush the lock refused. Throws what writing the file throws (the taken files then stay).
   */
  #keep(facts: readonly Fact[]): void {
    new PendingFacts(this.store.path).add(KEPT_AT_EXIT, facts)
    this.#keptFiles?.done()
    this.#keptFiles = undefined
    this.#keptInBuffer.clear()
  }

  /**
   * Scans the project's git history for evidence in the background (see `scanEvidence`), one scan
   * at a time: a scan asked for while one runs is skipped. {@link close} stops a scan under way.
   * Never throws; the promise resolves with the scan, or undefined when skipped, failed (`onError`
   * hears why, unless it was stopped by close, or refused while another process holds the write
   * lock: the next scan goes on) or not a git repository.
   */
  scanEvidenceInBackground(onError: (error: unknown) => void = () => undefined): Promise<EvidenceScan | undefined> {
    if (this.#evidenceScan !== undefined) return Promise.resolve(undefined)
    const controller = new AbortController()
    // Straight to the database, not through the buffer: each batch of evidence is written before
    // the scan records how far it got, so a crash never leaves the cursor ahead of the facts.
    const scan = scanEvidence(this.store, this.project, { signal: controller.signal })
      .catch((error: unknown) => {
        // Refused while another process holds the write lock (`whileLocked: 'keep'`): the next scan goes on from where this one stopped.
        if (!isNodeHostError(error, 'CANCELLED') && !isNodeHostError(error, 'NOT_A_REPOSITORY') && !isNodeHostError(error, 'SHALLOW_CLONE') && !isBusy(error)) onError(error)
        return undefined
      })
      .finally(() => {
        this.#evidenceScan = undefined
      })
    const stop = (): void => {
      controller.abort()
    }
    this.#evidenceScan = { scan, stop }
    return scan
  }

  /**
   * Carries on the search-index build an upgrade started (see `LmdbStore.searchIndexes`), in the
   * background: a step of {@link SEARCH_BUILD_STEP_RECORDS} records in one short write transaction,
   * then a pause of {@link SEARCH_BUILD_PAUSE_MS} on an unref'd timer, so the host's own work comes
   * in between and the process is never kept alive for it; until it is done, searches read whole
   * records. One build at a time; {@link close} stops it (the next open goes on from where it
   * stopped). Never throws: the promise resolves true once the indexes are in step, false when
   * there was nothing to build, it was stopped, or it failed (`onError` hears why: a full database
   * stops it).
   */
  buildSearchIndexInBackground(onError: (error: unknown) => void = () => undefined): Promise<boolean> {
    if (this.#searchBuild !== undefined) return Promise.resolve(false)
    const stopping = new AbortController()
    // The pause under way: stopping ends it at once, so that close() waits for no timer.
    const pause: { current?: { readonly timer: NodeJS.Timeout; readonly end: () => void } | undefined } = {}
    const build = (async (): Promise<boolean> => {
      if (!this.store.searchIndexBuildPending()) return false
      let pauseMs = SEARCH_BUILD_PAUSE_MS
      for (;;) {
        await new Promise<void>((end) => {
          pause.current = { timer: setTimeout(end, pauseMs).unref(), end }
        })
        pause.current = undefined
        if (stopping.signal.aborted) return false
        try {
          if ((await this.store.continueSearchIndexBuild(SEARCH_BUILD_STEP_RECORDS)).done) return true
          pauseMs = SEARCH_BUILD_PAUSE_MS
        } catch (error) {
          // Another process holds the write lock (`whileLocked: 'keep'`): the build waits for it, looking again less and less often.
          if (!isBusy(error)) throw error
          pauseMs = Math.min(SEARCH_BUILD_BUSY_MAX_MS, Math.max(1000, pauseMs * 2))
        }
      }
    })()
      .catch((error: unknown) => {
        if (!stopping.signal.aborted) onError(error)
        return false
      })
      .finally(() => {
        this.#searchBuild = undefined
      })
    const stop = (): void => {
      stopping.abort()
      if (pause.current === undefined) return
      clearTimeout(pause.current.timer)
      pause.current.end()
    }
    this.#searchBuild = { build, stop }
    return build
  }

  /**
   * Flushes, closes the database and stops flushing on exit. Every step waits for what is under
   * way — the evidence scan's and the search build's last write, the flush — and a
   * write waits for the database's write lock, which another process may hold for as long as it
   * likes (a merge, an import, a CLI command stopped with Ctrl-Z). With `waitMs`, the whole close is
   * waited for that long at most: then it gives up, saying how many facts were not written, and no
   * longer flushes on exit (which would wait for the lock on the way out). The team sync the last
   * flush asked for gets {@link SYNC_CLOSE_WAIT_MS} (with `waitMs`, half of it at most) and is then
   * stopped before the database closes: the next sync sends what it did not.
   * @throws {WriteBufferError} FLUSH_FAILED when the last flush fails or the close did not end within `waitMs` (the facts stay pending).
   */
  async close(options: { readonly waitMs?: number } = {}): Promise<void> {
    const { waitMs } = options
    if (waitMs === undefined) return this.#closeAll(undefined)
    const closing = this.#closeAll(waitMs).then(() => true as const)
    if ((await withinTime(closing, waitMs)) === undefined) {
      // Settled later, if ever: its failure is what this error already says.
      closing.catch(() => undefined)
      this.#removeExitFlush()
      const pending = this.buffer.pendingCount
      const error = `the database stayed locked by another process (an agent-tracker merge, import or doctor --repair, or a command stopped with Ctrl-Z) for ${(waitMs / 1000).toFixed(0)} s`
      throw new WriteBufferError('FLUSH_FAILED', `${String(pending)} pending fact${pending === 1 ? ' was' : 's were'} not written: ${error}. They are lost if this process ends before that process lets go of the lock.`, { pending, errors: [error] })
    }
  }

  async #closeAll(waitMs: number | undefined): Promise<void> {
    const evidence = this.#evidenceScan
    evidence?.stop()
    await evidence?.scan
    const searchBuild = this.#searchBuild
    searchBuild?.stop()
    await searchBuild?.build
    await this.flush()
    // Stopped, if it does not end in time, before the database closes: it reads the fact log.
    await this.teamSync?.close(waitMs === undefined ? {} : { waitMs: Math.min(SYNC_CLOSE_WAIT_MS, waitMs / 2) })
    const holder = this.#options.whileLocked === 'keep' && this.buffer.pendingCount > 0 ? await this.#lockHolderAfter(waitMs === undefined ? CLOSE_LOCK_GRACE_MS : Math.min(CLOSE_LOCK_GRACE_MS, waitMs / 2)) : undefined
    if (holder?.state === 'held') {
      // Not written because another process holds the lock: kept beside the database, where the next flush of any host takes them.
      const kept = await this.buffer.closeKeeping()
      this.#removeExitFlush()
      if (kept.length === 0) return
      this.#keep(kept)
      throw new WriteBufferError('FLUSH_FAILED', `${String(kept.length)} pending fact${kept.length === 1 ? ' was' : 's were'} not written: another process (${String(holder.pid)}) holds the database's write lock (an agent-tracker merge, import or doctor --repair, or a command stopped with Ctrl-Z). They are kept in ${pendingFolder(this.store.path)}, and the next write of any agent-tracker host writes them.`, { pending: kept.length, errors: ['the database is busy'] })
    }
    await this.buffer.close()
    this.#removeExitFlush()
  }

  /** Who holds the write lock after looking again for up to `ms` (see `LmdbStore.writeLockHolderWithin`); if it came free, one more flush. */
  async #lockHolderAfter(ms: number): Promise<WriteLockHolder> {
    const holder = await this.store.writeLockHolderWithin(ms)
    if (holder.state !== 'held') await this.flush()
    return holder
  }

  async #exportStatus(): Promise<void> {
    const mode = this.#options.exportStatusFile ?? 'existing'
    if (mode === 'off' || this.#lastSetup === undefined) return
    const status = await this.service.getStatus(this.#lastSetup)
    if (status !== undefined) writeStatusExport(this.project, status, { force: mode === 'always', replaceImported: await this.#statusFileImported() })
  }

  /** True when the project's hand-written `.agent/status.json` came in with a legacy migration that had no problem, unchanged since. */
  async #statusFileImported(): Promise<boolean> {
    const files = folderLegacyStatus(this.project, await this.buffer.listMigrations()).sources.find((source) => source.kind === 'legacy-files')
    const statusFile = join(this.project, '.agent', 'status.json')
    return files?.migration?.errors === 0 && files.found.includes(statusFile) && !files.changedSince.includes(statusFile)
  }
}

/**
 * Opens a host's tracker: the central database by the shared path rules (explicit path >
 * `AGENT_TRACKER_DB` > `~/.config/opencode/agent-tracker.lmdb`), a write buffer, the tracking
 * service, and a synchronous flush on exit. Loads LMDB: hosts that must start fast import this
 * module lazily.
 * @throws {NodeHostError} INVALID_DATABASE_PATH; {LmdbStoreError} INVALID_OPTION, DATABASE_UNREADABLE, DATABASE_UNWRITABLE, DATABASE_TOO_NEW; {WriteBufferError} INVALID_OPTION.
 */
export function openTracker(options: OpenTrackerOptions): Tracker {
  const store = openDatabase({ ...options, whileLocked: options.whileLocked === 'keep' ? 'refuse' : 'wait' })
  try {
    return new Tracker(store, options)
  } catch (error) {
    void store.close()
    throw error
  }
}
