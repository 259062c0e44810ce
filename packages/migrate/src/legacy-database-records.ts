import type { CommitRecord, GradeEventRecord, ProjectRecord, ScoringRules, SetupRecord } from '@agent-tracker/core'
import { formatSetupId, initialState, parseSetupId, resolveRules } from '@agent-tracker/core'
import { projectName } from '@agent-tracker/core/store'
import { splitCommitKey, splitCommunicationKey } from './legacy-keys.js'
import type { LegacyTimeZone } from './legacy-time.js'
import { EPOCH_ACCEPTED, IMPORTED_GRADE, LegacyShapeError, asFields, checkedRecord, checkedScores, grade, number, optionalText, text, timeOfEpoch, timestamp } from './legacy-values.js'

/** An entry of the predecessor's flat database, routed by its key prefix. */
export type LegacyEntry =
  | { readonly kind: 'agent'; readonly agentId: string }
  | { readonly kind: 'commit'; readonly project: string; readonly hash: string }
  | { readonly kind: 'communication'; readonly agentId: string; readonly hash: string; readonly epochMillis: number }

/**
 * Routes a legacy key. Project paths and agent ids may contain `:`, hashes and epochs never do,
 * so the key is split from its end: `commit:<projectPath>:<hash>`,
 * `communication:<agentId>:<hash>:<epochMillis>`, `agent:<agentId>`.
 */
export function parseLegacyKey(key: unknown): LegacyEntry | undefined {
  if (typeof key !== 'string') return undefined
  if (key.startsWith('agent:') && key.length > 'agent:'.length) return { kind: 'agent', agentId: key.slice('agent:'.length) }
  if (key.startsWith('commit:')) {
    const parts = splitCommitKey(key.slice('commit:'.length))
    return parts === undefined ? undefined : { kind: 'commit', ...parts }
  }
  if (key.startsWith('communication:')) {
    const parts = splitCommunicationKey(key.slice('communication:'.length))
    return parts === undefined ? undefined : { kind: 'communication', ...parts }
  }
  return undefined
}

/**
 * The setup id of a legacy agent: `<name>@<provider>/<model>` when its model names a provider,
 * else the agent name alone.
 */
export function legacySetupId(agent: { readonly id: string; readonly name?: string | undefined; readonly model?: string | undefined }): string {
  const name = (agent.name ?? agent.id).trim().replaceAll('@', '-') || 'agent'
  const model = agent.model?.trim()
  const slash = model?.indexOf('/') ?? -1
  if (model === undefined || slash <= 0 || slash === model.length - 1) return formatSetupId({ agent: name }, 'agent')
  return formatSetupId({ agent: name, provider: model.slice(0, slash), model: model.slice(slash + 1) })
}

/** A legacy agent record as a setup record (its `model` may be a provider/model string or `{providerID, modelID}`). */
export function setupFromLegacyAgent(agentId: string, value: unknown, now: string, zone: LegacyTimeZone): SetupRecord {
  const fields = asFields(value, 'the agent record')
  const id = legacySetupId({ id: agentId, name: optionalText(fields, 'name'), model: modelOf(fields.model) })
  const rules = resolveRules()
  const firstSeenAt = timestamp(fields, 'created_at', zone, now)
  return {
    v: 1,
    id,
    ...parseSetupId(id),
    // Scores out of the bounds every setup is held to leave the agent record out, as a malformed one.
    state: checkedScores({
      ...initialState(rules),
      skillPoints: Math.max(0, number(fields, 'skill_points', rules.initial.skillPoints)),
      experience: Math.max(0, number(fields, 'experience_points', 0)),
      communication: Math.max(0, number(fields, 'communication_score', rules.initial.communication)),
      commits: Math.max(0, Math.round(number(fields, 'total_commits', 0))),
      bugs: Math.max(0, Math.round(number(fields, 'total_bugs', 0))),
    }),
    firstSeenAt,
    lastSeenAt: timestamp(fields, 'updated_at', zone, firstSeenAt),
  }
}

/** What the records of a setup show of it: when it worked, and which commits it made. */
export interface SetupTrace {
  first: string
  last: string
  readonly commits: Set<string>
  /** Its earliest commit (ties: the lowest hash): what names it among imports in every time zone, as its records keep coming. */
  firstCommit?: { readonly at: string; readonly hash: string }
}

/** Adds one record to the traces of the setups it names (`commit` when the record is a commit). */
export function traceSetup(traces: Map<string, SetupTrace>, record: { readonly setup: string; readonly at: string }, commit?: string): void {
  let trace = traces.get(record.setup)
  if (trace === undefined) {
    trace = { first: record.at, last: record.at, commits: new Set() }
    traces.set(record.setup, trace)
  }
  if (record.at < trace.first) trace.first = record.at
  if (record.at > trace.last) trace.last = record.at
  if (commit === undefined) return
  trace.commits.add(commit)
  const earliest = trace.firstCommit
  if (earliest === undefined || record.at < earliest.at || (record.at === earliest.at && commit < earliest.hash)) trace.firstCommit = { at: record.at, hash: commit }
}

/** Grade tallies (count and sum) of a setup, by who graded. */
export interface GradeTallies {
  readonly agent?: { readonly count: number; readonly sum: number }
  readonly user?: { readonly count: number; readonly sum: number }
}

/**
 * The setup of agents whose records the predecessor kept without an agent record (where it kept an
 * agent's scores): the scores a new setup starts with, its commits counted from its commit records
 * and its grades from its grade events, seen from its first record to its last — as legacy files
 * without a status file are imported.
 */
export function setupFromTrace(id: string, trace: SetupTrace, grades: GradeTallies, rules: ScoringRules): SetupRecord {
  const start = initialState(rules)
  return {
    v: 1,
    id,
    ...parseSetupId(id),
    state: { ...start, commits: trace.commits.size, agentGrades: grades.agent ?? start.agentGrades, userGrades: grades.user ?? start.userGrades },
    firstSeenAt: trace.first,
    lastSeenAt: trace.last,
  }
}

/** Grade tallies added up. */
export function sumTallies(tallies: readonly { readonly count: number; readonly sum: number }[]): { count: number; sum: number } {
  return tallies.reduce((total, tally) => ({ count: total.count + tally.count, sum: total.sum + tally.sum }), { count: 0, sum: 0 })
}

/** What a migration says about the setups {@link setupFromTrace} made; undefined when it made none. */
export function tracedSetupsNote(ids: readonly string[], rules: ScoringRules): string | undefined {
  if (ids.length === 0) return undefined
  const { skillPoints, experience, communication } = rules.initial
  const one = ids.length === 1
  return `${one ? 'An agent has' : `${String(ids.length)} agents have`} commits, grades or journal entries but no agent record, where the predecessor kept an agent's scores: ${one ? 'its setup' : 'their setups'} (${ids.join(', ')}) ${one ? 'starts' : 'start'} with the scores of a new setup (SP ${String(skillPoints)}, XP ${String(experience)}, CS ${String(communication)}), counting the commits and grades imported.`
}

/** A legacy commit record as a commit record (key parts fill missing fields). */
export function commitFromLegacy(entry: Extract<LegacyEntry, { kind: 'commit' }>, value: unknown, setupOf: (agentId: string) => string, zone: LegacyTimeZone): CommitRecord {
  const fields = asFields(value, 'the commit record')
  const task = optionalText(fields, 'task_description')
  return checkedRecord('commits', {
    v: 1,
    project: optionalText(fields, 'project_path') ?? entry.project,
    hash: optionalText(fields, 'commit_hash') ?? entry.hash,
    setup: setupOf(text(fields, 'agent_id')),
    at: timestamp(fields, 'timestamp', zone),
    message: task ?? '',
    ...(task === undefined ? {} : { task }),
  })
}

/**
 * A legacy grade event. The predecessor did not record who graded, so the grade is kept as the
 * user's (see {@link IMPORTED_GRADE}) and the note says so.
 */
export function gradeEventFromLegacy(entry: Extract<LegacyEntry, { kind: 'communication' }>, value: unknown, setupOf: (agentId: string) => string, zone: LegacyTimeZone): GradeEventRecord {
  const fields = asFields(value, 'the communication record')
  const agentId = optionalText(fields, 'agent_id') ?? entry.agentId
  const hash = optionalText(fields, 'commit_hash') ?? entry.hash
  const project = optionalText(fields, 'project_path')
  if (project === undefined) throw new LegacyShapeError('missing field "project_path"')
  const reason = optionalText(fields, 'reason')
  const keyTime = timeOfEpoch(entry.epochMillis)
  if (keyTime === undefined) throw new LegacyShapeError(`the epoch milliseconds its key ends with are not a time a record can hold: accepted are ${EPOCH_ACCEPTED}`)
  return checkedRecord('gradeEvents', {
    v: 1,
    id: `legacy-${hash}-${String(entry.epochMillis)}`,
    setup: setupOf(agentId),
    project,
    commit: hash,
    at: timestamp(fields, 'timestamp', zone, keyTime),
    by: 'user',
    userGrade: grade(fields, 'grade'),
    ...IMPORTED_GRADE,
    note: reason ?? 'imported from the legacy per-project database (grader not recorded)',
  })
}

/** A legacy agent's model as `provider/model` text: its sessions stored a string, or `{providerID, modelID}`. */
function modelOf(model: unknown): string | undefined {
  if (typeof model === 'string') return model === 'unknown' ? undefined : model
  if (typeof model !== 'object' || model === null) return undefined
  const { providerID, modelID } = model as { providerID?: unknown; modelID?: unknown }
  return typeof providerID === 'string' && typeof modelID === 'string' ? `${providerID}/${modelID}` : undefined
}

/** The project record a legacy commit implies. */
export function projectOf(path: string, at: string): ProjectRecord {
  return { v: 1, path, name: projectName(path), firstSeenAt: at, lastSeenAt: at }
}
