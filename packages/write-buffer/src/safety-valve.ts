import type { ResolvedWriteBufferOptions } from './options.js'

/** Flushes by itself when too many facts are pending or the oldest has waited too long. */
export class SafetyValve {
  readonly #options: ResolvedWriteBufferOptions
  readonly #flush: () => void
  #ageTimer: ReturnType<typeof setTimeout> | undefined

  constructor(options: ResolvedWriteBufferOptions, flush: () => void) {
    this.#options = options
    this.#flush = flush
  }

  /**
   * Looks at the buffer after facts arrived or a flush ended: starts a flush when too many facts
   * are pending (unless one is already queued), or arms the age timer.
   */
  check(pending: number, flushQueued: boolean): void {
    const { maxPending, maxAgeMs } = this.#options
    if (pending === 0) {
      this.stop()
      return
    }
    if (maxPending !== false && pending >= maxPending && !flushQueued) {
      this.#flush()
      return
    }
    if (maxAgeMs !== false && this.#ageTimer === undefined) {
      this.#ageTimer = setTimeout(() => {
        this.#ageTimer = undefined
        this.#flush()
      }, maxAgeMs)
      this.#ageTimer.unref()
    }
  }

  /** Disarms the age timer (a flush is starting, or the buffer closed). */
  stop(): void {
    if (this.#ageTimer !== undefined) clearTimeout(this.#ageTimer)
    this.#ageTimer = undefined
  }
}
