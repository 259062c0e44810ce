import { hostname, userInfo } from 'node:os'
import type { TrackerStore } from '@agent-tracker/core'
import type { PostgresStore, PostgresStoreOptions, SyncProgress, SyncSource } from '@agent-tracker/postgres-store'

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
  /** Waits for the sync under way and closes the connection. */
  close(): Promise<void>
}

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
      const progress = await syncToTeam(local, await open(), { ...from, member, machine })
      state.failures = 0
      options.onSync?.({ progress })
    } catch (error) {
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
    close: async () => {
      state.closed = true
      await running
      const opened = team
      team = undefined
      if (opened !== undefined) await opened.then((store) => store.close(), () => undefined)
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
