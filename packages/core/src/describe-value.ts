/** Renders any value briefly for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value)
  }
  return Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** A field's value for "field … is …" messages: {@link describeValue}, and `missing` when it is not there. */
export function describeField(value: unknown): string {
  return value === undefined ? 'missing' : describeValue(value)
}
