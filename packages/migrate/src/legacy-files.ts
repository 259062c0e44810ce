import type { ActivityRecord, CommitRecord, GradeEventRecord, RetrospectiveRecord, SetupRecord } from '@agent-tracker/core'
import { formatSetupId, initialState, parseSetupId, resolveRules } from '@agent-tracker/core'
import type { MigrationIssue } from './migration-report.js'
import { jsonErrorPosition } from './json-positions.js'
import { asFields, number } from './legacy-values.js'

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
  const value = parseLegacyJson(source, content, result)
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

/** What {@link parseLegacyJson} returns for text that is not JSON. */
export const NOT_JSON = Symbol('not JSON')

/** The parsed file, or NOT_JSON after reporting where it stopped being JSON. */
export function parseLegacyJson(source: string, content: string, result: LegacyFileRecords): unknown {
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
