import { LIMITS, describeValue, isGrade, isTrackerError, parseGrade, resolveRules, toIsoTimestamp, validateRecord } from '@agent-tracker/core'
import type { AgentState, CollectionName, CollectionRecords, Grade, ScoringRules } from '@agent-tracker/core'
import type { LegacyTimeZone, LocalDateTime } from './legacy-time.js'

/** A legacy object's fields. */
export type Fields = Readonly<Record<string, unknown>>

/** A legacy value that does not have the shape it should; names the field and what it held. */
export class LegacyShapeError extends Error {
  override readonly name = 'LegacyShapeError'
}

/** The value as an object, or a shape error. */
export function asFields(value: unknown, what: string): Fields {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Fields
  throw new LegacyShapeError(`${what} must be a JSON object, got ${describeValue(value)}`)
}

/** A required non-empty string field, at most {@link LIMITS}' free text long. */
export function text(fields: Fields, name: string): string {
  const value = fields[name]
  if (typeof value === 'string' && value.trim() !== '') return withinTextLimit(value, name)
  throw new LegacyShapeError(value === undefined ? `missing field "${name}"` : `field "${name}" must be a non-empty string, got ${describeValue(value)}`)
}

/** An optional string field (empty strings count as absent), at most {@link LIMITS}' free text long. */
export function optionalText(fields: Fields, name: string): string | undefined {
  const value = fields[name]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'string') return withinTextLimit(value, name)
  throw new LegacyShapeError(`field "${name}" must be a string, got ${describeValue(value)}`)
}

/** Text no longer than free text may be anywhere it enters (`LIMITS.textBytes`, 256 KiB), or a shape error naming its length. */
function withinTextLimit(value: string, name: string): string {
  if (value.length * 3 <= LIMITS.textBytes) return value
  const bytes = Buffer.byteLength(value, 'utf8')
  if (bytes <= LIMITS.textBytes) return value
  throw new LegacyShapeError(`field "${name}" is ${String(bytes)} bytes of text; accepted is at most ${String(LIMITS.textBytes)} bytes (256 KiB), as everywhere free text enters`)
}

/** What `validateRecord` is given: its rules bound only setups, which {@link checkedRecord} does not take ({@link checkedScores} checks their scores). */
const RULES = resolveRules()

/**
 * A record a legacy entry became, held to the bounds every record entering from outside is held
 * to (core's `validateRecord`: free text at most 256 KiB, key parts within their limits, real UTC
 * times, grades among −1, 1, 2, 5), so that nothing an import stores is refused by another door or
 * unreadable to a command. Setups are not checked here: their scores are checked by
 * {@link checkedScores}, without the communication cap the predecessor did not keep to.
 * @throws {LegacyShapeError} naming the record's field, what it held and what is accepted.
 */
export function checkedRecord<C extends Exclude<CollectionName, 'setups'>>(collection: C, record: CollectionRecords[C]): CollectionRecords[C] {
  // The predecessor recorded no project for activities and some retrospectives; they are stored
  // without one (`''`), which is all that is checked differently.
  const probe = (record as { project?: unknown }).project === '' ? { ...record, project: 'none' } : record
  try {
    validateRecord(collection, probe, RULES)
    return record
  } catch (error) {
    if (!isTrackerError(error)) throw error
    throw new LegacyShapeError(error.message.replace(/\.$/, ''))
  }
}

/**
 * The rules legacy scores are checked under: the predecessor kept communication scores above the
 * cap this tracker's rules hold a setup to (the cap applies with the setup's next fact), so the cap
 * is lifted and only the bounds every setup's scores are held to apply.
 */
const UNCAPPED: ScoringRules = uncapped(RULES)

/** `rules` with the communication cap lifted (see {@link UNCAPPED}): what scores that hold legacy parts are checked under. */
export function uncapped(rules: ScoringRules): ScoringRules {
  return { ...rules, communication: { ...rules.communication, minimumCap: Number.POSITIVE_INFINITY } }
}

/** The legacy names of a setup's scores (agent records and `.agent/status.json`), which messages use: the names a person finds in the file. */
const LEGACY_SCORE_NAMES: Readonly<Record<string, string>> = {
  skillPoints: 'skill_points', experience: 'experience_points', communication: 'communication_score', commits: 'total_commits', bugs: 'total_bugs',
}

/**
 * Legacy scores held to the bounds every setup's scores are held to where they enter from outside
 * (core's `validateRecord`, which `merge` applies, and whose `LIMITS` they are), so that an import
 * stores nothing `status` shows as `Infinity` or a later merge of the database refuses.
 * @throws {LegacyShapeError} naming the legacy field, what it held and what is accepted.
 */
export function checkedScores(state: AgentState): AgentState {
  // Only the state is in question here: the probe's other fields are ones that always pass.
  const probe = { v: 1, id: 'legacy', agent: 'legacy', state, firstSeenAt: PROBE_TIME, lastSeenAt: PROBE_TIME }
  try {
    validateRecord('setups', probe, UNCAPPED)
    return state
  } catch (error) {
    if (!isTrackerError(error)) throw error
    const message = error.message.replace(/^Invalid setups record: /, '').replace(/\.$/, '')
    throw new LegacyShapeError(message.replace(/^field "state\.(\w+)"/, (field, name: string) => {
      const legacy = LEGACY_SCORE_NAMES[name]
      return legacy === undefined ? field : `field "${legacy}"`
    }))
  }
}

const PROBE_TIME = '2026-01-01T00:00:00.000Z'

/** A number field (floats like `46.0` included); `fallback` when absent. */
export function number(fields: Fields, name: string, fallback?: number): number {
  const value = fields[name]
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback
    throw new LegacyShapeError(`missing field "${name}"`)
  }
  const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
  if (typeof parsed === 'number' && Number.isFinite(parsed)) return parsed
  throw new LegacyShapeError(`field "${name}" must be a number, got ${describeValue(value)}`)
}

/** An optional number field: absent, or `null` (what JSON writes for nothing), is undefined. */
export function optionalNumber(fields: Fields, name: string): number | undefined {
  return fields[name] === undefined || fields[name] === null ? undefined : number(fields, name)
}

/** A required grade field, as a label or a number. */
export function grade(fields: Fields, name: string): Grade {
  const value = fields[name]
  if (value === undefined || value === null) throw new LegacyShapeError(`missing field "${name}"`)
  if (isGrade(value)) return value
  try {
    return parseGrade(value, `field "${name}"`)
  } catch (error) {
    throw new LegacyShapeError((error as Error).message.replace(/^Invalid /, '').replace(/\.$/, ''))
  }
}

/** The first and last instants a record's time can be: years 0000 to 9999, as `YYYY-MM-DDTHH:mm:ss.sssZ` writes them. */
const FIRST_MS = Date.parse('0000-01-01T00:00:00.000Z')
const LAST_MS = Date.parse('9999-12-31T23:59:59.999Z')

/** Epoch milliseconds a legacy time may be, for messages. */
export const EPOCH_ACCEPTED = `epoch milliseconds from ${String(FIRST_MS)} to ${String(LAST_MS)} (years 0000 to 9999)`

/** The UTC timestamp of epoch milliseconds, or undefined when they are no time a record can hold (see {@link EPOCH_ACCEPTED}). */
export function timeOfEpoch(ms: number): string | undefined {
  return Number.isFinite(ms) && ms >= FIRST_MS && ms <= LAST_MS ? new Date(ms).toISOString() : undefined
}

/**
 * A timestamp field: a Date, epoch milliseconds, or ISO text — text without a zone
 * (`2026-02-23T18:00:00`, `2026-02-23`) is a wall-clock time in `zone`. Dates and epochs are held
 * to the years a record's time can be written in (0000 to 9999).
 */
export function timestamp(fields: Fields, name: string, zone: LegacyTimeZone, fallback?: string): string {
  const value = fields[name]
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback
    throw new LegacyShapeError(`missing field "${name}"`)
  }
  if (typeof value === 'number' || value instanceof Date) {
    const time = timeOfEpoch(typeof value === 'number' ? value : value.getTime())
    if (time !== undefined) return time
    const held = typeof value === 'number' ? String(value) : Number.isNaN(value.getTime()) ? 'an invalid date' : `a date in the year ${String(value.getUTCFullYear())}`
    throw new LegacyShapeError(`field "${name}" is ${held}, not a time a record can hold: accepted are ${EPOCH_ACCEPTED}, a date in those years, or ISO 8601 text (2026-02-23T18:00:00Z, or without a zone)`)
  }
  const local = typeof value === 'string' ? zonelessTime(value) : undefined
  if (local !== undefined) return zone.toUtc(local)
  try {
    return toIsoTimestamp(value, `field "${name}"`)
  } catch (error) {
    throw new LegacyShapeError((error as Error).message.replace(/^Invalid /, '').replace(/\.$/, ''))
  }
}

/**
 * The provenance of a grade brought in from the predecessor's records: channel `import`, vouched
 * for — the predecessor recorded these as the user's grades, and bringing them in is the user's
 * own act (`agent-tracker migrate`, or the host's import of a project's legacy data), so they
 * count as they did there.
 */
export const IMPORTED_GRADE = { channel: 'import', vouched: true } as const

const ZONELESS = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/

/** The wall-clock time of ISO text without a zone, or undefined (text with a zone, or no real date). */
export function zonelessTime(text: string): LocalDateTime | undefined {
  const match = ZONELESS.exec(text.trim())
  if (match === null) return undefined
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((index) => Number(match[index] ?? '0')) as [number, number, number, number, number, number]
  const millisecond = Number((match[7] ?? '0').padEnd(3, '0'))
  const check = new Date(Date.UTC(year, month - 1, day))
  const real = check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day && hour < 24 && minute < 60 && second < 60
  return real ? { year, month, day, hour, minute, second, millisecond } : undefined
}
