/** The field, and its value, that mark a `.agent/status.json` agent-tracker wrote itself. */
export const STATUS_EXPORT_MARKER = { field: 'written_by', value: 'agent-tracker' } as const

/** The note earlier releases wrote into their export instead of the marker. */
const EARLIER_NOTE = 'Written by agent-tracker'

/**
 * True when a parsed `.agent/status.json` is agent-tracker's own export (its marker field, or the
 * note of releases before the marker) rather than a file the predecessor or a person wrote.
 */
export function isOwnStatusExport(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const fields = value as Record<string, unknown>
  return fields[STATUS_EXPORT_MARKER.field] === STATUS_EXPORT_MARKER.value || (typeof fields.note === 'string' && fields.note.startsWith(EARLIER_NOTE))
}
