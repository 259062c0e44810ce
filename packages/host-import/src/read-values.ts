/** A record read from a host's files, not yet trusted. */
export type Fields = Readonly<Record<string, unknown>>

/** The value as a record (a JSON object), or undefined. */
export function fields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined
}

/** The value as non-empty text, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** An ISO 8601 time (text, or epoch milliseconds) as UTC ISO 8601, or undefined. */
export function timestamp(value: unknown): string | undefined {
  const time = typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value : Number.NaN
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined
}
