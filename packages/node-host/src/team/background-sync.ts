import { hostname, userInfo } from 'node:os'
import type { TrackerStore } from '@agent-tracker/core'
import type { PostgresStore, PostgresStoreOptions, SyncProgress, SyncSource } from '@agent-tracker/postgres-store'
import { settlesWithin } from '@agent-tracker/write-buffer'

/** Where a host syncs to in the background, and as whom. */
export interface TeamSyncOptions {
  /** The team database (`postgres://…`, no password: `PGPASSWORD` or `~/.pgpass`). */
  readonly url: string
  /** The member's name (default: the login name). */
  readonly member?: string | undefined
  readonly schema?: string | undefined
  readonly ssl?: PostgresStoreOptions['ssl']
  /** After a failed sync, how long to leave the team database alone before trying again; default 60 000 ms, doubling to 16 times that. */
  readonly retryAfterMs?: number | undefined
  /** The clock the back-off is measured by, in milliseconds; default `Date.now`. */
  readonly now?: (() => number) | undefined
  /** Called after each sync with what it did, or why it failed; never in the hook's way. */
  readonly onSync?: ((outcome: { readonly progress?: SyncProgress; readonly error?: unknown }) => void) | undefined
}

/** A sync that runs after flushes, one at a time, off the hooks' path. */
export interface BackgroundSync {
  /** Asks for a sync soon: one runs now unless one is under way (then one more after it) or the server failed lately. */
  request(): void
  /** The sync under way, if any, finished. */
  idle(): Promise<void>
  /**
   * Lets the sync under way finish for `waitMs` at most (default {@link SYNC_CLOSE_WAIT_MS}), then
   * stops it: it reads nothing more of the local store, and its connection is cut (the server rolls
   * back the batch under way). When this resolves, the sync reads the local store no more, so the
   * host may close it. What was not acknowledged is sent by the next sync. Never throws.
   */
  close(options?: { readonly waitMs?: number }): Promise<void>
}

/** How long {@link BackgroundSync.close} lets the sync under way finish by default. */
export const SYNC_CLOSE_WAIT_MS = 2000

/**
 * Syncs a local store's fact log to the team database after each flush, in the background: one
 * sync at a time, never throwing, backing off while the server is unreachable. Each sync resumes
 * from what the team database acknowledged, so a failed one loses nothing. `pg` is loaded on
 * the first sync, off the host's start-up path.
 */
export function createBackgroundSync(local: TrackerStore, from: Pick<SyncSource, 'source' | 'database'>, options: TeamSyncOptions): BackgroundSync {
  const machine = hostname()
  const member = options.member ?? loginName()
  const retryAfterMs = options.retryAfterMs ?? 60_000
  const now = options.now ?? Date.now
  let team: Promise<PostgresStore> | undefined
  let running: Promise<void> | undefined
  /** `again`: a flush asked for a sync while one was under way. */
  const state = { again: false, closed: false, failures: 0, quietUntil: 0 }
  const stopping = new AbortController()
  const stopped = new Promise<never>((_resolve, reject) => {
    stopping.signal.addEventListener('abort', () => {
      reject(new Error('stopped'))
    }, { once: true })
  })
  stopped.catch(() => undefined)

  const open = (): Promise<PostgresStore> => {
    team ??= import('@agent-tracker/postgres-store').then(({ openPostgresStore }) => openPostgresStore({
      url: options.url,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
      ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
      maxConnections: 2,
    }))
    // A failed connection is not kept: the next attempt connects afresh.
    team.catch(() => {
      team = undefined
    })
    return team
  }

  const once = async (): Promise<void> => {
    try {
      const { syncToTeam } = await import('@agent-tracker/postgres-store')
      // Connecting is not waited for either once stopped (a server that accepts and never answers).
      const team = await Promise.race([open(), stopped])
      const progress = await syncToTeam(local, team, { ...from, member, machine, signal: stopping.signal })
      state.failures = 0
      options.onSync?.({ progress })
    } catch (error) {
      if (stopping.signal.aborted) return
      state.failures += 1
      state.quietUntil = now() + retryAfterMs * 2 ** Math.min(4, state.failures - 1)
      options.onSync?.({ error })
    }
  }

  const askedAgain = (): boolean => state.again && !state.closed && now() >= state.quietUntil
  const run = (): void => {
    running = (async () => {
      do {
        state.again = false
        await once()
      } while (askedAgain())
    })().finally(() => {
      running = undefined
    })
  }

  return {
    request: () => {
      if (state.closed) return
      if (running !== undefined) {
        state.again = true
        return
      }
      if (now() < state.quietUntil) return
      run()
    },
    idle: async () => {
      await running
    },
    close: async ({ waitMs = SYNC_CLOSE_WAIT_MS } = {}) => {
      state.closed = true
      const under = running
      if (under !== undefined && !(await settlesWithin(under, waitMs))) {
        // A statement the team has not answered (a network gone quiet) is not waited for.
        stopping.abort()
        await under
      }
      const opened = team
      team = undefined
      const closing = opened?.then((store) => store.close({ abandon: stopping.signal.aborted }), () => undefined)
      // Once stopped, a connection still being made (a server that accepts and never answers) is not
      // waited for either: it is closed when it is made, or fails; it reads nothing of the local store.
      if (stopping.signal.aborted) void closing?.catch(() => undefined)
      else await closing
    },
  }
}

function loginName(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}
