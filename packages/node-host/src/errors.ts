/** Stable codes of the errors the Node host kit raises (its adapters raise their own: `LmdbStoreError`, `WriteBufferError`). */
export type NodeHostErrorCode = 'INVALID_DATABASE_PATH' | 'GIT_FAILED' | 'NOT_A_REPOSITORY' | 'SHALLOW_CLONE' | 'CANCELLED' | 'UPGRADE_WORKER_UNAVAILABLE'

/** What each error is about, by code: the facts a host needs to phrase the fix in its own words. */
export interface NodeHostErrorDetails {
  /**
   * A database path the kit will not use. `origin`: given explicitly (an option, a flag), read
   * from `AGENT_TRACKER_DB`, or the default. `reason`: `user-home` for `~user/…`, `tilde-folder`
   * for a `~` folder inside the path — both would otherwise create a literal `~` folder — and
   * `no-home` for a path found from a home folder that is empty or relative (`value` is empty for
   * the default).
   */
  readonly INVALID_DATABASE_PATH: { readonly value: string; readonly origin: 'explicit' | 'environment' | 'default'; readonly reason: 'user-home' | 'tilde-folder' | 'no-home' }
  /** A git command failed: the folder, its arguments, its exit code and what it wrote to stderr. */
  readonly GIT_FAILED: { readonly folder: string; readonly args: readonly string[]; readonly exitCode: number | null; readonly stderr: string }
  /** A folder to scan for evidence is not in a git repository with a commit. */
  readonly NOT_A_REPOSITORY: { readonly folder: string }
  /**
   * A folder to scan for evidence is in a shallow clone: its history is cut off, and blame would
   * take its oldest fetched commits for the authors of every older line.
   */
  readonly SHALLOW_CLONE: { readonly folder: string }
  /** Long work stopped because its caller cancelled it. */
  readonly CANCELLED: { readonly folder: string }
  /**
   * The worker thread that upgrades a database of an earlier schema could not start, or ended
   * without an answer: `worker` is its module, `reason` what went wrong. Nothing was changed; the
   * host may open the database in its own thread, which upgrades it there.
   */
  readonly UPGRADE_WORKER_UNAVAILABLE: { readonly worker: string; readonly reason: string }
}

/** Base class of every error the kit raises; `code` is stable across releases and `details` says what it is about. */
export class NodeHostError<C extends NodeHostErrorCode = NodeHostErrorCode> extends Error {
  readonly code: C
  readonly details: NodeHostErrorDetails[C]

  constructor(code: C, message: string, details: NodeHostErrorDetails[C], options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'NodeHostError'
    this.code = code
    this.details = details
  }
}

/** True when `error` is a {@link NodeHostError}, optionally with the given code (which then types its details). */
export function isNodeHostError<C extends NodeHostErrorCode = NodeHostErrorCode>(error: unknown, code?: C): error is NodeHostError<C> {
  return error instanceof NodeHostError && (code === undefined || error.code === code)
}
