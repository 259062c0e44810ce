import { formatBytes, isLmdbStoreError, validateMaxDatabaseSize } from '@agent-tracker/lmdb-store'
import { CliError, EXIT } from './cli-error.js'

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 }

/**
 * Reads a size like `536870912`, `512MiB`, `1.5 GiB` or `800mb` into bytes (binary units).
 * @throws {CliError} usage error naming the flag and the accepted forms.
 */
export function parseSize(text: string, flag: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text)
  const factor = match?.[2] === undefined ? undefined : UNITS[match[2].toLowerCase()]
  if (match?.[1] === undefined || factor === undefined) {
    throw new CliError('INVALID_OPTION', `Invalid ${flag} "${text}": give bytes or a size like 512MiB or 1GiB.`, EXIT.usage)
  }
  return Math.round(Number(match[1]) * factor)
}

/**
 * Reads the database size limit from a flag or variable (`source`), and checks it is in range.
 * @throws {CliError} usage error naming the source, the value and the accepted range.
 */
export function parseSizeLimit(text: string, source: string): number {
  const bytes = parseSize(text, source)
  try {
    return validateMaxDatabaseSize(bytes)
  } catch (error) {
    if (!isLmdbStoreError(error, 'INVALID_OPTION')) throw error
    const { minimumBytes = 0, maximumBytes = 0, defaultBytes = 0 } = error.details
    throw new CliError('INVALID_OPTION', `Invalid ${source} "${text}": accepted are sizes from ${formatBytes(minimumBytes)} to ${formatBytes(maximumBytes)}, like 512MiB; the default is ${formatBytes(defaultBytes)}.`, EXIT.usage, { cause: error })
  }
}
