import { createHash } from 'node:crypto'
import type { LegacyFileContext, LegacyFileRecords } from './legacy-files.js'
import { noRecords } from './legacy-files.js'
import { LegacyShapeError, checkedRecord } from './legacy-values.js'

type JournalField = 'task' | 'actions' | 'outcome' | 'decisions' | 'notes'

interface Entry {
  readonly line: number
  /** Local date and time of the entry (a heading's own date wins; `24:00` is the next day). */
  readonly date: string
  readonly time: string
  readonly fields: Partial<Record<JournalField, string[]>>
  current: JournalField
}

const DATE = /(\d{4})-(\d{2})-(\d{2})/
const TIME = /(?<![\d:])(\d{1,2}):(\d{2})(?![\d:])/
const TITLE = /^#\s+(.*?)\s*$/
const ENTRY = /^##\s+(.*?)\s*$/
const SUBHEADING = /^#{3,6}\s+(.*?)\s*$/
/** `- **Task**: text`, `**Task:** text`, `* **Outcome** - text`. */
const LABELLED = /^\s*(?:[-*+]\s+)?\*\*([^*]+?)\*\*\s*(.*)$/
const FIELDS: Readonly<Record<string, JournalField>> = {
  'task': 'task', 'tasks': 'task',
  'actions': 'actions', 'actions taken': 'actions', 'action taken': 'actions', 'actions performed': 'actions',
  'outcome': 'outcome', 'outcomes': 'outcome', 'result': 'outcome', 'results': 'outcome',
  'decisions': 'decisions', 'decisions made': 'decisions', 'decision': 'decisions', 'decision made': 'decisions',
}

/**
 * `.journal/YYYY-MM-DD.md`: every `## …` heading with a time is an activity of its own —
 * `## 18:00`, `## 19:00 - Title`, `## 16:00 — Title`, `## 02:00 (2026-02-24)` (a date in the
 * heading wins over the file's), `## 24:00` (the next day's 00:00). Inside an entry, fields come as
 * `- **Task**: …` or `**Task:** …` labels or as `### Task` sub-headings (task; actions / actions
 * taken; outcome / result; decisions / decisions made), each followed by continuation lines.
 * Everything else — a heading's title, other labels, other sub-headings and what follows them —
 * is kept in the entry's notes, never in a neighbour. Times are wall-clock times in the context's
 * zone. A heading without a readable time, and text outside any entry, are reported by line.
 */
export function readJournalFile(source: string, content: string, context: LegacyFileContext, fileDate: string): LegacyFileRecords {
  const result = noRecords()
  const lines = content.split(/\r?\n/)
  const titleDate = DATE.exec(lines.map((line) => TITLE.exec(line)?.[1]).find((title) => title !== undefined) ?? '')?.[0]
  const date = titleDate ?? fileDate
  const entries: Entry[] = []
  let entry: Entry | undefined
  // An entry whose heading cannot be read: reported once, with the lines it spans.
  let unreadable: { line: number; last: number; reason: string; heading: string } | undefined
  const reportUnreadable = (): void => {
    if (unreadable === undefined) return
    const { line, last, reason, heading } = unreadable
    const position = last > line ? `lines ${String(line)}-${String(last)}` : `line ${String(line)}`
    result.errors.push({ source, position, message: `${reason}, so this entry was not imported; give it one (e.g. "## 14:30") and migrate again: ${JSON.stringify(heading)}` })
    unreadable = undefined
  }
  const title = firstNonEmpty(lines)
  lines.forEach((raw, index) => {
    const line = raw.trimEnd()
    const number = index + 1
    const heading = ENTRY.exec(line)
    if (heading !== null) {
      reportUnreadable()
      const opened = openEntry(heading[1] ?? '', number, date)
      entry = typeof opened === 'string' ? undefined : opened
      if (typeof opened === 'string') unreadable = { line: number, last: number, reason: opened, heading: line }
      else entries.push(opened)
      return
    }
    if (line.trim() === '' || (index === title && TITLE.test(line))) return
    if (unreadable !== undefined) {
      unreadable.last = number
      return
    }
    if (entry === undefined) {
      result.errors.push({ source, position: `line ${String(number)}`, message: `text outside any "## HH:MM" entry was not imported: ${JSON.stringify(line.trim())}` })
      return
    }
    addLine(entry, line)
  })
  reportUnreadable()
  const occurrences = new Map<string, number>()
  for (const found of entries) {
    const when = `${found.date} ${found.time}`
    const occurrence = (occurrences.get(when) ?? 0) + 1
    occurrences.set(when, occurrence)
    try {
      result.activities.push(checkedRecord('activities', toActivity(found, occurrence, context)))
    } catch (error) {
      if (!(error instanceof LegacyShapeError)) throw error
      result.errors.push({ source, position: `line ${String(found.line)}`, message: `${error.message}, so this entry was not imported` })
    }
  }
  return result
}

/** Opens an entry for a `## …` heading, or says why its time cannot be read. */
function openEntry(heading: string, line: number, fileDate: string): Entry | string {
  const time = TIME.exec(heading)
  if (time === null) return `the heading has no "HH:MM" time`
  const hour = Number(time[1])
  const minute = Number(time[2])
  if (minute > 59 || hour > 24 || (hour === 24 && minute > 0)) return `the heading's time ${time[0]} is not a time of day`
  const own = DATE.exec(heading)
  const day = own?.[0] ?? fileDate
  if (!isRealDate(day)) return `the date ${day} is not a real date`
  const date = hour === 24 ? nextDay(day) : day
  const title = heading.replace(time[0], ' ').replace(own?.[0] ?? '\0', ' ').replace(/\(\s*\)/g, ' ').replace(/^[\s\-\u2013\u2014:|,]+|[\s\-\u2013\u2014:|,]+$/g, '').replace(/\s{2,}/g, ' ')
  const fields: Entry['fields'] = title === '' ? {} : { notes: [title] }
  return { line, date, time: `${String(hour % 24).padStart(2, '0')}:${String(minute).padStart(2, '0')}`, fields, current: 'notes' }
}

function addLine(entry: Entry, text: string): void {
  const sub = SUBHEADING.exec(text)
  if (sub !== null) {
    const field = FIELDS[normaliseLabel(sub[1] ?? '')]
    entry.current = field ?? 'notes'
    if (field === undefined) append(entry, 'notes', text.trim())
    return
  }
  const labelled = LABELLED.exec(text)
  if (labelled !== null) {
    const field = FIELDS[normaliseLabel(labelled[1] ?? '')]
    if (field !== undefined) {
      entry.current = field
      const value = (labelled[2] ?? '').replace(/^[:\-\u2013\u2014]\s*/, '').trim()
      if (value !== '') append(entry, field, value)
      return
    }
    // A label no field takes (e.g. `- **What went wrong**: …`): the whole line goes to the notes.
    entry.current = 'notes'
    append(entry, 'notes', text.trim())
    return
  }
  append(entry, entry.current, entry.current === 'notes' ? text.trim() : text.replace(/^\s{0,2}/, ''))
}

function append(entry: Entry, field: JournalField, text: string): void {
  const lines = entry.fields[field] ?? []
  lines.push(text)
  entry.fields[field] = lines
}

function toActivity(entry: Entry, occurrence: number, context: LegacyFileContext): LegacyFileRecords['activities'][number] {
  const text = (field: JournalField): string => (entry.fields[field] ?? []).join('\n').trim()
  const [year, month, day] = entry.date.split('-').map(Number) as [number, number, number]
  const [hour, minute] = entry.time.split(':').map(Number) as [number, number]
  const notes = text('notes')
  const task = text('task') || (entry.fields.notes?.[0] ?? '') || `Journal entry of ${entry.date} ${entry.time}`
  return {
    v: 1,
    id: activityId(context.folder, entry.date, entry.time, occurrence),
    setup: context.setup,
    project: context.project,
    at: context.zone.toUtc({ year, month, day, hour, minute, second: 0 }),
    task,
    actions: text('actions'),
    outcome: text('outcome'),
    decisions: text('decisions'),
    ...(notes === '' ? {} : { notes }),
  }
}

function normaliseLabel(label: string): string {
  return label.trim().replace(/[:.]+$/, '').trim().toLowerCase()
}

function nextDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10)
}

function isRealDate(date: string): boolean {
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number)
  const check = new Date(Date.UTC(year, month - 1, day))
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day
}

function firstNonEmpty(lines: readonly string[]): number {
  return lines.findIndex((line) => line.trim() !== '')
}

/**
 * A journal activity's id: stable across re-imports, edits elsewhere in the file and the time zone
 * it is read in, and unique across the folders journals are kept in (the store keys activities by
 * setup, time and id; two folders of one project keep their entries apart). Named by the folder as
 * when each folder was its own project, so an entry imported then is recognised.
 */
function activityId(folder: string, date: string, time: string, occurrence: number): string {
  const folderHash = createHash('sha256').update(folder).digest('hex').slice(0, 10)
  return `legacy-journal-${folderHash}-${date}-${time.replace(':', '')}-${String(occurrence)}`
}
