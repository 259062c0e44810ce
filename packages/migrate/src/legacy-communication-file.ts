import type { LegacyFileContext, LegacyFileRecords } from './legacy-files.js'
import { NOT_JSON, noRecords, parseLegacyJson } from './legacy-files.js'
import { topLevelElementLines } from './json-positions.js'
import { IMPORTED_GRADE, LegacyShapeError, asFields, checkedRecord, grade, optionalNumber, optionalText, text, timestamp } from './legacy-values.js'

const RETROSPECTIVE_FIELDS = new Set(['commit', 'timestamp', 'task', 'agent_grade', 'user_grade', 'score_before', 'score_after', 'agent_note', 'user_note'])

/**
 * `.journal/communication.json`: an array of graded retrospectives. Grades may be labels or
 * numbers, timestamps may lack a zone (read in the context's zone), extra fields are kept. A bad entry
 * is reported by index and line, and so is a second entry for a commit already read (the store
 * keeps one retrospective per setup and commit); the others import.
 */
export function readCommunicationFile(source: string, content: string, context: LegacyFileContext): LegacyFileRecords {
  const result = noRecords()
  const value = parseLegacyJson(source, content, result)
  if (value === NOT_JSON) return result
  if (!Array.isArray(value)) {
    result.errors.push({ source, message: 'expected a JSON array of retrospectives' })
    return result
  }
  const lines = topLevelElementLines(content)
  const imported = new Map<string, string>()
  value.forEach((raw: unknown, index) => {
    const line = lines[index]
    const position = `entry ${String(index + 1)}${line === undefined ? '' : ` (line ${String(line)})`}`
    const commit = typeof (raw as { commit?: unknown } | null)?.commit === 'string' ? (raw as { commit: string }).commit : undefined
    const where = `${position}${commit === undefined ? '' : ` (commit ${commit})`}`
    const first = commit === undefined ? undefined : imported.get(commit)
    if (first !== undefined) {
      result.errors.push({ source, position: where, message: `a second retrospective for commit ${String(commit)} (the first is ${first}); only the first was imported` })
      return
    }
    try {
      addRetrospective(result, asFields(raw, 'the entry'), context)
      if (commit !== undefined) imported.set(commit, position)
    } catch (error) {
      if (!(error instanceof LegacyShapeError)) throw error
      result.errors.push({ source, position: where, message: error.message })
    }
  })
  return result
}

function addRetrospective(result: LegacyFileRecords, fields: Readonly<Record<string, unknown>>, context: LegacyFileContext): void {
  const commit = text(fields, 'commit')
  const at = timestamp(fields, 'timestamp', context.zone)
  const agentGrade = grade(fields, 'agent_grade')
  const userGrade = grade(fields, 'user_grade')
  const task = optionalText(fields, 'task')
  const agentNote = optionalText(fields, 'agent_note')
  const userNote = optionalText(fields, 'user_note')
  const scoreBefore = optionalNumber(fields, 'score_before')
  const scoreAfter = optionalNumber(fields, 'score_after')
  const extra = Object.fromEntries(Object.entries(fields).filter(([key]) => !RETROSPECTIVE_FIELDS.has(key)))
  const { setup, project } = context
  // All three checked before any is kept: an entry imports whole or not at all.
  const retrospective = checkedRecord('retrospectives', {
    v: 1, setup, commit, project, at, updatedAt: at, agentGrade, userGrade, agentGradeChannel: 'import', userGradeChannel: 'import',
    ...(task === undefined ? {} : { task }),
    ...(agentNote === undefined ? {} : { agentNote }),
    ...(userNote === undefined ? {} : { userNote }),
    ...(scoreBefore === undefined ? {} : { scoreBefore }),
    ...(scoreAfter === undefined ? {} : { scoreAfter }),
    ...(Object.keys(extra).length === 0 ? {} : { extra }),
  })
  const gradeEvent = checkedRecord('gradeEvents', {
    v: 1, id: `legacy-journal-${commit}`, setup, project, commit, at, by: 'user', agentGrade, userGrade, ...IMPORTED_GRADE,
    ...(scoreBefore === undefined ? {} : { scoreBefore }),
    ...(scoreAfter === undefined ? {} : { scoreAfter }),
  })
  const commitRecord = checkedRecord('commits', { v: 1, project, hash: commit, setup, at, message: task ?? '', ...(task === undefined ? {} : { task }) })
  result.retrospectives.push(retrospective)
  result.gradeEvents.push(gradeEvent)
  result.commits.push(commitRecord)
}
