import type { ActivityRecord, AgentState, CommitRecord, GradeEventRecord, RetrospectiveRecord, ScoringRules } from '@agent-tracker/core'
import { formatSetupId, initialState, parseSetupId, resolveRules } from '@agent-tracker/core'
import type { MigrationIssue } from './migration-report.js'
import { jsonErrorPosition } from './json-positions.js'
import type { LegacyTimeZone } from './legacy-time.js'
import { asFields, checkedScores, number, optionalText } from './legacy-values.js'
import { isOwnStatusExport } from './own-status-export.js'

/** Records read from one legacy file, and what could not be read. */
export interface LegacyFileRecords {
  readonly commits: CommitRecord[]
  readonly retrospectives: RetrospectiveRecord[]
  readonly gradeEvents: GradeEventRecord[]
  readonly activities: ActivityRecord[]
  readonly errors: MigrationIssue[]
}

/** Where legacy files are imported into. */
export interface LegacyFileContext {
  readonly setup: string
  /** The project their records are recorded under. */
  readonly project: string
  /** The folder the files are in, which names their entries (two folders of one project keep theirs apart). */
  readonly folder: string
  readonly now: string
  /** The zone times written without one are read in. */
  readonly zone: LegacyTimeZone
}

/** An empty result. */
export function noRecords(): LegacyFileRecords {
  return { commits: [], retrospectives: [], gradeEvents: [], activities: [], errors: [] }
}

/** What a project's `.agent/status.json` turned out to be. */
export type StatusFile =
  /** The predecessor's (or a person's) file: a setup's scores. */
  | { readonly kind: 'legacy'; readonly setup: string | undefined; readonly state: AgentState }
  /** agent-tracker's own export: no legacy data; it names the setup that last worked here. */
  | { readonly kind: 'own'; readonly setup: string | undefined }
  /** Not readable: why, and where. */
  | { readonly kind: 'unreadable'; readonly issue: MigrationIssue }

/** Reads `.agent/status.json`: `{agent_name, skill_points, experience_points, communication_score, total_commits, total_bugs, halted}`. */
export function readStatusFile(source: string, content: string, rules: ScoringRules = resolveRules()): StatusFile {
  const parsed = noRecords()
  const value = parseLegacyJson(source, content, parsed)
  const issue = parsed.errors[0]
  if (value === NOT_JSON && issue !== undefined) return { kind: 'unreadable', issue }
  if (isOwnStatusExport(value)) {
    const setup = (value as { setup?: unknown }).setup
    return { kind: 'own', setup: typeof setup === 'string' && isSetupId(setup) ? setup : undefined }
  }
  try {
    const fields = asFields(value, 'the status file')
    const name = optionalText(fields, 'agent_name')?.trim().replaceAll('@', '-')
    const halted = fields.halted === true
    // Scores out of the bounds every setup is held to leave the whole file out, as a malformed one.
    const state: AgentState = checkedScores({
      ...initialState(rules),
      skillPoints: halted ? 0 : Math.max(0, number(fields, 'skill_points', rules.initial.skillPoints)),
      experience: Math.max(0, number(fields, 'experience_points', 0)),
      communication: Math.max(0, number(fields, 'communication_score', rules.initial.communication)),
      commits: Math.max(0, Math.round(number(fields, 'total_commits', 0))),
      bugs: Math.max(0, Math.round(number(fields, 'total_bugs', 0))),
    })
    return { kind: 'legacy', setup: name === undefined || name === '' ? undefined : formatSetupId({ agent: name }, 'agent'), state }
  } catch (error) {
    return { kind: 'unreadable', issue: { source, message: (error as Error).message } }
  }
}

function isSetupId(id: string): boolean {
  try {
    parseSetupId(id)
    return true
  } catch {
    return false
  }
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
