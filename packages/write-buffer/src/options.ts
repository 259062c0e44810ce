import { describeValue } from '@agent-tracker/core'
import { WriteBufferError } from './errors.js'

/**
 * When the buffer flushes by itself, besides explicit `flush()` calls. After a failed flush it
 * waits 1 s before trying again by itself, doubling up to 60 s; `flush()` always tries at once.
 */
export interface WriteBufferOptions {
  /** Flush as soon as this many facts (or more) are pending; `false` turns it off. Default 1000. */
  readonly maxPending?: number | false
  /** Flush once the oldest pending fact is this old (ms); `false` turns it off. Default 30 000. */
  readonly maxAgeMs?: number | false
  /** Called with every flush that failed (the facts stay pending). */
  readonly onFlushError?: (error: unknown) => void
}

/** The options with defaults applied. */
export interface ResolvedWriteBufferOptions {
  readonly maxPending: number | false
  readonly maxAgeMs: number | false
  readonly onFlushError: ((error: unknown) => void) | undefined
}

/** Default safety valve: flush once 1000 facts are pending. */
export const DEFAULT_MAX_PENDING = 1000
/** Default safety valve: flush when the oldest pending fact is 30 s old. */
export const DEFAULT_MAX_AGE_MS = 30_000

/**
 * Applies defaults and checks the safety-valve options.
 * @throws {WriteBufferError} INVALID_OPTION naming the option, its value and what is accepted.
 */
export function resolveWriteBufferOptions(options: WriteBufferOptions = {}): ResolvedWriteBufferOptions {
  return {
    maxPending: limit('maxPending', options.maxPending, DEFAULT_MAX_PENDING, 1),
    maxAgeMs: limit('maxAgeMs', options.maxAgeMs, DEFAULT_MAX_AGE_MS, 1),
    onFlushError: options.onFlushError,
  }
}

function limit(name: 'maxPending' | 'maxAgeMs', value: unknown, fallback: number, minimum: number): number | false {
  if (value === undefined) return fallback
  if (value === false) return false
  if (typeof value === 'number' && Number.isInteger(value) && value >= minimum) return value
  throw new WriteBufferError(
    'INVALID_OPTION',
    `Invalid write buffer option ${name}: ${describeValue(value)}; accepted: a whole number ≥ ${String(minimum)}, or false to turn it off.`,
    { option: name, value, minimum },
  )
}
