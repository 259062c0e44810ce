import { createHash } from 'node:crypto'
import type { LegacyFileContext, LegacyFileRecords } from './legacy-files.js'
import { noRecords } from './legacy-files.js'
import { timestamp } from './legacy-values.js'

type JournalField = 'task' | 'actions' | 'outcome' | 'decisions'

interface Section {
  readonly line: number
  readonly time: string
  readonly fields: Partial<Record<JournalField, string>>
  current?: JournalField
}

const JOURNAL_TITLE = /^#\s+Journal\s*-\s*(\d{4}-\d{2}-\d{2})\s*$/
const SECTION = /^##\s+(\d{1,2}):(\d{2})\s*$/
const BULLET = /^\s*[-*]\s+\*\*(Task|Actions taken|Outcome|Decisions made)\*\*\s*:\s*(.*)$/i
const FIELD_OF: Readonly<Record<string, JournalField>> = {
  'task': 'task',
  'actions taken': 'actions',
  'outcome': 'outcome',
  'decisions made': 'decisions',
}

/**
 * `.journal/YYYY-MM-DD.md`: `## HH:MM` sections with `- **Task**: …`, `- **Actions taken**: …`,
 * `- **Outcome**: …`, `- **Decisions made**: …` bullets become activities; lines after a bullet
 * (continuations, sub-bullets) belong to its field. A section without a task, and text that
 * belongs to no field, are reported by line; the rest imports.
 */
export function readJournalFile(source: string, content: string, context: LegacyFileContext, fileDate: string): LegacyFileRecords {
  const result = noRecords()
  const lines = content.split(/\r?\n/)
  const date = lines.map((line) => JOURNAL_TITLE.exec(line)?.[1]).find((found) => found !== undefined) ?? fileDate
  const occurrences = new Map<string, number>()
  let section: Section | undefined
  const close = (): void => {
    if (section === undefined) return
    const occurrence = (occurrences.get(section.time) ?? 0) + 1
    occurrences.set(section.time, occurrence)
    const { task, actions = '', outcome = '', decisions = '' } = section.fields
    if (task === undefined || task.trim() === '') {
      result.errors.push({ source, position: `line ${String(section.line)}`, message: `the ${section.time} entry has no "- **Task**:" line` })
      return
    }
    try {
      const at = timestamp({ at: `${date}T${section.time}:00` }, 'at')
      result.activities.push({
        v: 1, id: activityId(context.project, date, section.time, occurrence), setup: context.setup, project: context.project, at,
        task: task.trim(), actions: actions.trim(), outcome: outcome.trim(), decisions: decisions.trim(),
      })
    } catch (error) {
      result.errors.push({ source, position: `line ${String(section.line)}`, message: (error as Error).message })
    }
  }
  lines.forEach((line, index) => {
    const heading = SECTION.exec(line)
    if (heading !== null) {
      close()
      section = { line: index + 1, time: `${(heading[1] ?? '0').padStart(2, '0')}:${heading[2] ?? '00'}`, fields: {} }
      return
    }
    const bullet = BULLET.exec(line)
    const field = bullet?.[1] === undefined ? undefined : FIELD_OF[bullet[1].toLowerCase()]
    if (section !== undefined && field !== undefined) {
      section.fields[field] = bullet?.[2] ?? ''
      section.current = field
      return
    }
    const text = line.trim()
    if (text === '' || JOURNAL_TITLE.test(line)) return
    if (section?.current !== undefined) {
      const before = section.fields[section.current] ?? ''
      section.fields[section.current] = before.trim() === '' ? text : `${before}\n${text}`
      return
    }
    const where = section === undefined ? 'outside any "## HH:MM" entry' : `before the first "- **Field**:" bullet of the ${section.time} entry`
    result.errors.push({ source, position: `line ${String(index + 1)}`, message: `text ${where} was not imported: ${JSON.stringify(text)}` })
  })
  close()
  return result
}

/**
 * A journal activity's id: stable across re-imports and edits elsewhere in the file, and unique
 * across projects (the store keys activities by setup, time and id).
 */
function activityId(project: string, date: string, time: string, occurrence: number): string {
  const projectHash = createHash('sha256').update(project).digest('hex').slice(0, 10)
  return `legacy-journal-${projectHash}-${date}-${time.replace(':', '')}-${String(occurrence)}`
}
