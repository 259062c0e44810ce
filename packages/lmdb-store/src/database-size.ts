import { describeValue } from '@agent-tracker/core/host'
import { LmdbStoreError } from './errors.js'

const MIB = 1024 * 1024

/** Smallest accepted `maxDatabaseSize`: 1 MiB. */
export const MIN_DATABASE_SIZE = MIB
/** Largest accepted `maxDatabaseSize`: 2 GiB. */
export const MAX_DATABASE_SIZE = 2048 * MIB
/** Default `maxDatabaseSize`: 512 MiB. */
export const DEFAULT_DATABASE_SIZE = 512 * MIB

/**
 * Checks the size limit in bytes (default 512 MiB).
 * @throws {LmdbStoreError} INVALID_OPTION naming the option, the value and the accepted range.
 */
export function validateMaxDatabaseSize(value: unknown = DEFAULT_DATABASE_SIZE): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= MIN_DATABASE_SIZE && value <= MAX_DATABASE_SIZE) return value
  throw new LmdbStoreError(
    'INVALID_OPTION',
    `Invalid maxDatabaseSize ${describeValue(value)}: accepted is a whole number of bytes from ${String(MIN_DATABASE_SIZE)} (1 MiB) to ${String(MAX_DATABASE_SIZE)} (2 GiB); the default is ${String(DEFAULT_DATABASE_SIZE)} (512 MiB).`,
    { option: 'maxDatabaseSize', value, minimumBytes: MIN_DATABASE_SIZE, maximumBytes: MAX_DATABASE_SIZE, defaultBytes: DEFAULT_DATABASE_SIZE },
  )
}

/** Bytes as a short human figure, e.g. `512.0 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  return unit === 0 ? `${String(bytes)} bytes` : `${value.toFixed(1)} ${units[unit] ?? ''}`
}
