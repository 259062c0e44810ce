import type { CollectionName } from '@agent-tracker/core'
import { roundedJson } from '../json-envelope.js'

const TOKENS = ['tokens.input', 'tokens.output', 'tokens.reasoning', 'tokens.cacheRead', 'tokens.cacheWrite']
const STATE = ['skillPoints', 'experience', 'communication', 'commits', 'pushes', 'bugs', 'toolCalls', 'toolFailures', 'commands', 'agentGrades.count', 'agentGrades.sum', 'userGrades.count', 'userGrades.sum', 'messages', ...TOKENS.map((t) => t), 'cost'].map((field) => `state.${field}`)
const SUMS = ['count', 'sum', 'squares']

/**
 * The columns of each collection's CSV table, fixed so that a table streams without looking at
 * every record first: dotted paths into the record; a value that is itself an object or a list (a
 * legacy retrospective's `extra`, a profile's dependency list, a rollup's user grades by channel,
 * a setup's imported scores) is written as JSON. Columns are only ever added at the end of a
 * table, as scripts read them by position; `csv.test.ts` holds every field of every record type to
 * having one.
 */
export const CSV_COLUMNS: Readonly<Record<CollectionName, readonly string[]>> = {
  setups: ['v', 'id', 'agent', 'provider', 'model', ...STATE, 'firstSeenAt', 'lastSeenAt', 'haltedAt', 'reinstatedAt', 'imports'],
  projects: ['v', 'path', 'name', 'firstSeenAt', 'lastSeenAt', 'profile.language', 'profile.framework', 'profile.scope', 'profile.dependencies', 'profile.profiledAt', 'profile.sources', 'profile.fingerprint'],
  commits: ['v', 'project', 'hash', 'setup', 'at', 'message', 'task', 'session', 'amends', 'replaced'],
  retrospectives: ['v', 'setup', 'commit', 'project', 'at', 'updatedAt', 'task', 'agentGrade', 'userGrade', 'agentGradeChannel', 'userGradeChannel', 'agentNote', 'userNote', 'scoreBefore', 'scoreAfter', 'extra'],
  gradeEvents: ['v', 'id', 'setup', 'project', 'commit', 'at', 'by', 'agentGrade', 'userGrade', 'channel', 'vouched', 'scoreBefore', 'scoreAfter', 'note'],
  bugs: ['v', 'id', 'setup', 'project', 'at', 'by', 'commit', 'note', 'skillPointsAfter'],
  activities: ['v', 'id', 'setup', 'project', 'at', 'session', 'task', 'actions', 'outcome', 'decisions', 'notes'],
  evidence: ['v', 'id', 'setup', 'project', 'commit', 'at', 'signal', 'source', 'subject', 'files', 'lines', 'pattern', 'days', 'added', 'surviving', 'status', 'decidedAt', 'note'],
  usage: [
    'v', 'setup', 'project', 'day', 'toolCalls', 'toolFailures', 'commands', 'commits', 'pushes', 'messages', ...TOKENS, 'cost', 'bugs',
    ...SUMS.map((sum) => `grades.agent.${sum}`), ...SUMS.map((sum) => `grades.user.${sum}`), 'grades.userByChannel',
    ...['toolCalls', 'toolFailures', 'commands', 'pushes', 'messages', ...TOKENS, 'cost'].map((field) => `baseline.${field}`),
    'estimatedCost', 'unpricedMessages', 'grades.communication', 'baseline.estimatedCost', 'baseline.unpricedMessages',
  ],
}

/**
 * The columns of the report's CSV table (`--table report`, the default): a report row's fields,
 * the token counts dotted, a list (the interval, grades by channel) as JSON. Fixed, so that an
 * empty report still has its header and every report the same columns.
 */
export const REPORT_CSV_COLUMNS: readonly string[] = [
  'setup', 'agent', 'provider', 'model', 'commits', 'pushes', 'bugs', 'bugsPerCommit', 'agentGrades', 'meanAgentGrade', 'userGrades', 'meanUserGrade',
  'userGradeInterval', 'userGradesByChannel', 'toolCalls', 'toolFailures', 'toolFailureRate', 'messages', ...TOKENS, 'tokensPerCommit', 'cost', 'estimatedCost',
  'unpricedMessages', 'costPerCommit', 'projects', 'experienceGained', 'communicationGained', 'skillPoints', 'experience', 'communication', 'trustTier',
  'communicationTier', 'halted',
]

/** One CSV line (RFC 4180, CRLF) of the values at `columns` in `row`. */
export function csvLine(columns: readonly string[], row: object): string {
  return `${columns.map((column) => csvCell(valueAt(row, column))).join(',')}\r\n`
}

/** The header line of `columns`. */
export function csvHeader(columns: readonly string[]): string {
  return `${columns.map(csvCell).join(',')}\r\n`
}

/** Rows as CSV at `columns`, else at their own fields, nested objects flattened to dotted columns (for small tables, like the report). */
export function toCsv(rows: readonly object[], columns: readonly string[] = [...new Set(rows.flatMap((row) => Object.keys(flatten(row))))]): string {
  return csvHeader(columns) + rows.map((row) => csvLine(columns, row)).join('')
}

function csvCell(value: unknown): string {
  // Fractional numbers to 12 significant digits, as JSON output has them, in a cell of JSON (an interval) too: sums of costs are no exact decimals.
  const raw = value === null || value === undefined ? '' : typeof value === 'string' ? value : roundedJson(value)
  // A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is written with a leading quote.
  const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

function valueAt(row: object, path: string): unknown {
  let value: unknown = row
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

function flatten(value: object, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) Object.assign(out, flatten(inner as object, `${prefix}${key}.`))
    else out[`${prefix}${key}`] = inner
  }
  return out
}
