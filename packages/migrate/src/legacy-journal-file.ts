import type { LegacyFileContext, LegacyFileRecords } from './legacy-files.js'
import { noRecords } from './legacy-files.js'
import { timestamp } from './legacy-values.js'

const JOURNAL_TITLE = /^#\s+Journal\s*-\s*(\d{4}-\d{2}-\d{2})\s*$/
const SECTION = /^##\s+(\d{1,2}):(\d{2})\s*$/
const BULLET = /^\s*[-*]\s+\*\*(Task|Actions taken|Outcome|Decisions made)\*\*\s*:\s*(.*)$/i
const FIELD_OF: Readonly<Record<string, 'task' | 'actions' | 'outcome' | 'decisions'>> = {
  'task': 'task',
  'actions taken': 'actions',
  'outcome': 'outcome',
  'decisions made': 'decisions',
}

/**
 * `.journal/YYYY-MM-DD.md`: `## HH:MM` sections with `- **Task**: …`, `- **Actions taken**: …`,
 * `- **Outcome**: …`, `- **Decisions made**: …` bullets become activities. A section without a
 * task is reported by line; the others import.
 */
export function readJournalFile(source: string, content: string, context: LegacyFileContext, fileDate: string): LegacyFileRecords {
  const result = noRecords()
  const lines = content.split(/\r?\n/)
  const date = lines.map((line) => JOURNAL_TITLE.exec(line)?.[1]).find((found) => found !== undefined) ?? fileDate
  let section: { line: number; hour: string; minute: string; fields: Partial<Record<'task' | 'actions' | 'outcome' | 'decisions', string>> } | undefined
  let count = 0
  const close = (): void => {
    if (section === undefined) return
    const { task, actions = '', outcome = '', decisions = '' } = section.fields
    if (task === undefined || task.trim() === '') {
      result.errors.push({ source, position: `line ${String(section.line)}`, message: `the ${section.hour}:${section.minute} entry has no "- **Task**:" line` })
    } else {
      count += 1
      try {
        const at = timestamp({ at: `${date}T${section.hour.padStart(2, '0')}:${section.minute}:00` }, 'at')
        result.activities.push({
          v: 1, id: `legacy-journal-${date}-${String(count)}`, setup: context.setup, project: context.project, at,
          task: task.trim(), actions: actions.trim(), outcome: outcome.trim(), decisions: decisions.trim(),
        })
      } catch (error) {
        result.errors.push({ source, position: `line ${String(section.line)}`, message: (error as Error).message })
      }
    }
    section = undefined
  }
  lines.forEach((line, index) => {
    const heading = SECTION.exec(line)
    if (heading !== null) {
      close()
      section = { line: index + 1, hour: heading[1] ?? '00', minute: heading[2] ?? '00', fields: {} }
      return
    }
    const bullet = BULLET.exec(line)
    const field = bullet?.[1] === undefined ? undefined : FIELD_OF[bullet[1].toLowerCase()]
    if (section !== undefined && field !== undefined) section.fields[field] = bullet?.[2] ?? ''
  })
  close()
  return result
}
