import type { ResolvedWriteBufferOptions } from './options.js'

/** After a failed flush the valve waits this long before it tries again by itself. */
export const VALVE_RETRY_MIN_MS = 1000
/** The wait after failed flushes doubles up to this. */
export const VALVE_RETRY_MAX_MS = 60_000

/**
 * Flushes by itself when too many facts are pending or the oldest has waited too long. After a
 * failed flush it waits before trying again (1 s, doubling up to 60 s), so that a full or locked
 * database does not cost a flush attempt on every new fact; a successful flush ends the wait.
 */
export class SafetyValve {
  readonly #options: ResolvedWriteBufferOptions
  readonly #flush: () => void
  #ageTimer: ReturnType<typeof setTimeout> | undefined
  /** The current wait after failures; 0 when the last flush succeeded. */
  #retryDelayMs = 0
  /** No flush by the valve before this time (epoch ms). */
  #retryAt = 0

  constructor(options: ResolvedWriteBufferOptions, flush: () => void) {
    this.#options = options
    this.#flush = flush
  }

  /**
   * Looks at the buffer after facts arrived or a flush ended: starts a flush when enough facts
   * are pending (unless one is queued, or the valve is waiting after a failure), or arms the age
   * timer.
   */
  check(pending: number, flushQueued: boolean): void {
    const { maxPending, maxAgeMs } = this.#options
    if (pending === 0) {
      this.stop()
      return
    }
    const wait = this.#retryAt - Date.now()
    if (maxPending !== false && pending >= maxPending && !flushQueued && wait <= 0) {
      this.#flush()
      return
    }
    if (maxAgeMs !== false && this.#ageTimer === undefined) {
      this.#ageTimer = setTimeout(() => {
        this.#ageTimer = undefined
        this.#flush()
      }, Math.max(maxAgeMs, wait))
      this.#ageTimer.unref()
    }
  }

  /** A flush failed: wait longer before the valve tries again. */
  failed(): void {
    this.#retryDelayMs = Math.min(VALVE_RETRY_MAX_MS, this.#retryDelayMs === 0 ? VALVE_RETRY_MIN_MS : this.#retryDelayMs * 2)
    this.#retryAt = Date.now() + this.#retryDelayMs
  }

  /** A flush succeeded: the valve may flush again at once. */
  succeeded(): void {
    this.#retryDelayMs = 0
    this.#retryAt = 0
  }

  /** Disarms the age timer (a flush is starting, or the buffer closed). */
  stop(): void {
    if (this.#ageTimer !== undefined) clearTimeout(this.#ageTimer)
    this.#ageTimer = undefined
  }
}
