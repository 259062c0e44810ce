import type { ActivityRecord, CommitRecord, GradeEventRecord, RetrospectiveRecord, SetupRecord } from '@agent-tracker/core'
import { formatSetupId, initialState, parseSetupId, resolveRules } from '@agent-tracker/core'
import type { MigrationIssue } from './migration-report.js'
import { jsonErrorPosition, topLevelElementLines } from './json-positions.js'
import { LegacyShapeError, asFields, grade, number, optionalText, text, timestamp } from './legacy-values.js'

/** Records read from one legacy file, and what could not be read. */
export interface LegacyFileRecords {
  readonly setups: SetupRecord[]
  readonly commits: CommitRecord[]
  readonly retrospectives: RetrospectiveRecord[]
  readonly gradeEvents: GradeEventRecord[]
  readonly activities: ActivityRecord[]
  readonly errors: MigrationIssue[]
}

/** Where legacy files are imported into. */
export interface LegacyFileContext {
  readonly setup: string
  readonly project: string
  readonly now: string
}

const RETROSPECTIVE_FIELDS = new Set(['commit', 'timestamp', 'task', 'agent_grade', 'user_grade', 'score_before', 'score_after', 'agent_note', 'user_note'])

/** An empty result. */
export function noRecords(): LegacyFileRecords {
  return { setups: [], commits: [], retrospectives: [], gradeEvents: [], activities: [], errors: [] }
}

/** The setup named by `.agent/status.json` (`agent_name`), if the file says. */
export function statusAgentName(content: string): string | undefined {
  try {
    const name = (JSON.parse(content) as { agent_name?: unknown } | null)?.agent_name
    return typeof name === 'string' && name.trim() !== '' ? formatSetupId({ agent: name.trim().replaceAll('@', '-') }, 'agent') : undefined
  } catch {
    return undefined
  }
}

/** `.agent/status.json`: one object with the setup's scores. */
export function readStatusFile(source: string, content: string, context: LegacyFileContext): LegacyFileRecords {
  const result = noRecords()
  const value = parseJson(source, content, result)
  if (value === NOT_JSON) return result
  try {
    const fields = asFields(value, 'the status file')
    const rules = resolveRules()
    const halted = fields.halted === true
    result.setups.push({
      v: 1,
      id: context.setup,
      ...parseSetupId(context.setup),
      state: {
        ...initialState(rules),
        skillPoints: halted ? 0 : Math.max(0, number(fields, 'skill_points', rules.initial.skillPoints)),
        experience: Math.max(0, number(fields, 'experience_points', 0)),
        communication: Math.max(0, number(fields, 'communication_score', rules.initial.communication)),
        commits: Math.max(0, Math.round(number(fields, 'total_commits', 0))),
        bugs: Math.max(0, Math.round(number(fields, 'total_bugs', 0))),
      },
      firstSeenAt: context.now,
      lastSeenAt: context.now,
    })
  } catch (error) {
    result.errors.push({ source, message: (error as Error).message })
  }
  return result
}

/**
 * `.journal/communication.json`: an array of graded retrospectives. Grades may be labels or
 * numbers, timestamps may lack a zone (read as local time), extra fields are kept. A bad entry
 * is reported by index and line; the others import.
 */
export function readCommunicationFile(source: string, content: string, context: LegacyFileContext): LegacyFileRecords {
  const result = noRecords()
  const value = parseJson(source, content, result)
  if (value === NOT_JSON) return result
  if (!Array.isArray(value)) {
    result.errors.push({ source, message: 'expected a JSON array of retrospectives' })
    return result
  }
  const lines = topLevelElementLines(content)
  value.forEach((raw: unknown, index) => {
    const line = lines[index]
    const position = `entry ${String(index + 1)}${line === undefined ? '' : ` (line ${String(line)})`}`
    try {
      addRetrospective(result, asFields(raw, 'the entry'), context)
    } catch (error) {
      if (!(error instanceof LegacyShapeError)) throw error
      const commit = typeof (raw as { commit?: unknown } | null)?.commit === 'string' ? ` (commit ${(raw as { commit: string }).commit})` : ''
      result.errors.push({ source, position: `${position}${commit}`, message: error.message })
    }
  })
  return result
}

function addRetrospective(result: LegacyFileRecords, fields: Readonly<Record<string, unknown>>, context: LegacyFileContext): void {
  const commit = text(fields, 'commit')
  const at = timestamp(fields, 'timestamp')
  const agentGrade = grade(fields, 'agent_grade')
  const userGrade = grade(fields, 'user_grade')
  const task = optionalText(fields, 'task')
  const agentNote = optionalText(fields, 'agent_note')
  const userNote = optionalText(fields, 'user_note')
  const scoreBefore = fields.score_before === undefined ? undefined : number(fields, 'score_before')
  const scoreAfter = fields.score_after === undefined ? undefined : number(fields, 'score_after')
  const extra = Object.fromEntries(Object.entries(fields).filter(([key]) => !RETROSPECTIVE_FIELDS.has(key)))
  const { setup, project } = context
  result.retrospectives.push({
    v: 1, setup, commit, project, at, updatedAt: at, agentGrade, userGrade,
    ...(task === undefined ? {} : { task }),
    ...(agentNote === undefined ? {} : { agentNote }),
    ...(userNote === undefined ? {} : { userNote }),
    ...(scoreBefore === undefined ? {} : { scoreBefore }),
    ...(scoreAfter === undefined ? {} : { scoreAfter }),
    ...(Object.keys(extra).length === 0 ? {} : { extra }),
  })
  result.gradeEvents.push({
    v: 1, id: `legacy-journal-${commit}`, setup, project, commit, at, by: 'user', agentGrade, userGrade,
    ...(scoreBefore === undefined ? {} : { scoreBefore }),
    ...(scoreAfter === undefined ? {} : { scoreAfter }),
  })
  result.commits.push({ v: 1, project, hash: commit, setup, at, message: task ?? '', ...(task === undefined ? {} : { task }) })
}

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

const NOT_JSON = Symbol('not JSON')

/** The parsed file, or NOT_JSON after reporting where it stopped being JSON. */
function parseJson(source: string, content: string, result: LegacyFileRecords): unknown {
  try {
    return JSON.parse(content) as unknown
  } catch (error) {
    result.errors.push(jsonIssue(source, content, error))
    return NOT_JSON
  }
}

function jsonIssue(source: string, content: string, error: unknown): MigrationIssue {
  const position = jsonErrorPosition(content, error)
  return { source, ...(position === undefined ? {} : { position }), message: `not valid JSON: ${(error as Error).message}` }
}
