import type { AgentState } from '../scoring/agent-state.js'
import type { EvidenceDetails, EvidenceVerdict, Party, TokenUsage } from '../facts/facts.js'
import type { Grade } from '../facts/grade.js'
import type { GradeChannel, ShownGradeChannel } from '../facts/grade-channel.js'
import type { ProjectProfile } from '../projects/project-profile.js'

/** Version of each record shape below, stored in every record as `v`: 2 for day rollups (which gained bugs and grades), 1 for the rest. */
export const RECORD_VERSIONS: { readonly [C in CollectionName]: CollectionRecords[C]['v'] } = {
  setups: 1,
  projects: 1,
  commits: 1,
  retrospectives: 1,
  gradeEvents: 1,
  bugs: 1,
  activities: 1,
  usage: 2,
  evidence: 1,
}

/** A scored setup (agent + provider/model). Key: `[id]`. */
export interface SetupRecord {
  readonly v: 1
  readonly id: string
  readonly agent: string
  readonly provider?: string
  readonly model?: string
  readonly state: AgentState
  readonly firstSeenAt: string
  readonly lastSeenAt: string
  /** When the setup was last halted (SP reached 0), if ever. */
  readonly haltedAt?: string
  /** When the setup was last reinstated after a halt, if ever. */
  readonly reinstatedAt?: string
  /**
   * Scores imported from other databases (legacy files, another machine's database), by source:
   * each source's part of `state`, so a later import of the same source adds only what changed.
   */
  readonly imports?: Readonly<Record<string, AgentState>>
}

/** A commit made by a setup. Key: `[project, hash]`. */
export interface CommitRecord {
  readonly v: 1
  readonly project: string
  readonly hash: string
  readonly setup: string
  readonly at: string
  readonly message: string
  readonly task?: string
  readonly session?: string
  /** The full hash of the commit this one replaced with `git commit --amend`, when its fact said so. */
  readonly amends?: string
  /**
   * After an amend of an amend: every commit of this piece of work that amends replaced here, oldest
   * first (the last is `amends`), so that what still names the first one finds this one.
   */
  readonly replaced?: readonly string[]
}

/** The review of one commit: both grades, notes and the CS it moved. Key: `[setup, commit]`. */
export interface RetrospectiveRecord {
  readonly v: 1
  readonly setup: string
  readonly commit: string
  readonly project: string
  readonly at: string
  readonly updatedAt: string
  readonly task?: string
  readonly agentGrade?: Grade
  readonly userGrade?: Grade
  readonly agentNote?: string
  readonly userNote?: string
  /**
   * The channels the two grades came through (absent when recorded before grades carried one).
   * A retrospective holds only counted grades: a user grade that does not count stays a grade event.
   */
  readonly agentGradeChannel?: GradeChannel
  readonly userGradeChannel?: GradeChannel
  /** Communication score before the first and after the latest grade. */
  readonly scoreBefore?: number
  readonly scoreAfter?: number
  /** Fields kept from legacy journal files. */
  readonly extra?: Readonly<Record<string, unknown>>
}

/** One grading event, for trends over time. Key: `[setup, at, id]`. */
export interface GradeEventRecord {
  readonly v: 1
  readonly id: string
  readonly setup: string
  readonly project: string
  readonly commit: string
  readonly at: string
  readonly by: Party
  readonly agentGrade?: Grade
  readonly userGrade?: Grade
  /** The channel the grade came through; absent on events recorded before grades carried one. */
  readonly channel?: GradeChannel
  /** Present (true) when the user vouched for a grade from a channel not their own. */
  readonly vouched?: true
  /** Communication score around this grade (absent for events imported from legacy data). */
  readonly scoreBefore?: number
  readonly scoreAfter?: number
  /** Why the grade was given, when known. */
  readonly note?: string
}

/** A reported bug. Key: `[setup, at, id]`. */
export interface BugRecord {
  readonly v: 1
  readonly id: string
  readonly setup: string
  readonly project: string
  readonly at: string
  readonly by: Party
  readonly commit?: string
  readonly note?: string
  readonly skillPointsAfter: number
}

/** A journal entry. Key: `[setup, at, id]`. */
export interface ActivityRecord {
  readonly v: 1
  readonly id: string
  readonly setup: string
  readonly project: string
  readonly at: string
  readonly session?: string
  readonly task: string
  readonly actions: string
  readonly outcome: string
  readonly decisions: string
  /** Text that fits none of the fields above (e.g. from a legacy journal), kept as written. */
  readonly notes?: string
}

/** Count, sum and sum of squares of grades: what means and spreads need. */
export interface GradeSums {
  readonly count: number
  readonly sum: number
  readonly squares: number
}

/** User grades that came through one channel: how many, how many count, and their sum. */
export interface ChannelSums {
  readonly grades: number
  readonly counted: number
  readonly sum: number
}

/**
 * The grades a rollup holds: every agent grade; the user grades that count (see `isCountedGrade`);
 * and every user grade, counted or not, by the channel it came through (`unrecorded` for grades
 * recorded before grades carried one).
 */
export interface GradeRollup {
  readonly agent: GradeSums
  readonly user: GradeSums
  readonly userByChannel: Readonly<Partial<Record<ShownGradeChannel, ChannelSums>>>
  /** How far these grades moved the communication score, summed (see `communicationMoved`). */
  readonly communication: number
}

/** The counters facts add to a rollup directly: nothing stored records could count them again from. */
export interface UsageCounters {
  readonly toolCalls: number
  readonly toolFailures: number
  readonly commands: number
  readonly pushes: number
  readonly messages: number
  readonly tokens: TokenUsage
  readonly cost: number
  /** The part of `cost` estimated from a price catalogue (the host recorded no cost); absent when none is. */
  readonly estimatedCost?: number
  /** Responses whose model has no known price (their cost is unknown, counted as 0); absent when none. */
  readonly unpricedMessages?: number
}

/**
 * The rollup of one setup's work in one project on one UTC day: tool calls and failures, commands,
 * pushes, messages, tokens and cost (added by facts), and commits, bugs and grades (the day's
 * commit, bug and grade-event records, counted as they are stored). Reports read these, not the
 * events. Key: `[setup, project, day]`.
 */
export interface UsageRecord extends UsageCounters {
  readonly v: 2
  readonly setup: string
  readonly project: string
  readonly day: string
  readonly commits: number
  readonly bugs: number
  readonly grades: GradeRollup
  /**
   * The part of the counters that no fact in the fact log backs: counted before the log existed
   * (databases upgraded from schema 1) or brought in by an import.
   */
  readonly baseline?: UsageCounters
}

/** Where a piece of evidence stands: open (not yet judged), or its verdict. */
export type EvidenceStatus = 'open' | EvidenceVerdict

/**
 * Evidence from git about an agent commit (see `EvidenceFact`) and its verdict. Key: `[setup, id]`.
 * `at` is when the source commit was made (for survival: when it was measured).
 */
export interface EvidenceRecord extends EvidenceDetails {
  readonly v: 1
  readonly id: string
  readonly setup: string
  readonly project: string
  readonly at: string
  readonly status: EvidenceStatus
  /** When the verdict was given. */
  readonly decidedAt?: string
  readonly note?: string
}

/** A project folder the tracker has seen. Key: `[path]`. */
export interface ProjectRecord {
  readonly v: 1
  readonly path: string
  readonly name: string
  readonly firstSeenAt: string
  readonly lastSeenAt: string
  readonly profile?: ProjectProfile
}

/** The record type stored in each collection. */
export interface CollectionRecords {
  readonly setups: SetupRecord
  readonly commits: CommitRecord
  readonly retrospectives: RetrospectiveRecord
  readonly gradeEvents: GradeEventRecord
  readonly bugs: BugRecord
  readonly activities: ActivityRecord
  readonly usage: UsageRecord
  readonly projects: ProjectRecord
  readonly evidence: EvidenceRecord
}

/** The name of a collection of records. */
export type CollectionName = keyof CollectionRecords

/** Every collection, in a stable order. */
export const COLLECTIONS: readonly CollectionName[] = [
  'setups',
  'projects',
  'commits',
  'retrospectives',
  'gradeEvents',
  'bugs',
  'activities',
  'usage',
  'evidence',
]

/** A composite, ordered key. */
export type RecordKey = readonly string[]

const PRIMARY_KEYS: { readonly [C in CollectionName]: (record: CollectionRecords[C]) => RecordKey } = {
  setups: (r) => [r.id],
  projects: (r) => [r.path],
  commits: (r) => [r.project, r.hash],
  retrospectives: (r) => [r.setup, r.commit],
  gradeEvents: (r) => [r.setup, r.at, r.id],
  bugs: (r) => [r.setup, r.at, r.id],
  activities: (r) => [r.setup, r.at, r.id],
  usage: (r) => [r.setup, r.project, r.day],
  evidence: (r) => [r.setup, r.id],
}

const ORDER_TIMES: { readonly [C in CollectionName]: (record: CollectionRecords[C]) => string } = {
  setups: (r) => r.lastSeenAt,
  projects: (r) => r.lastSeenAt,
  commits: (r) => r.at,
  retrospectives: (r) => r.at,
  gradeEvents: (r) => r.at,
  bugs: (r) => r.at,
  activities: (r) => r.at,
  usage: (r) => r.day,
  evidence: (r) => r.at,
}

/** The primary key of a record in its collection. */
export function recordKey<C extends CollectionName>(collection: C, record: CollectionRecords[C]): RecordKey {
  return PRIMARY_KEYS[collection](record)
}

/**
 * A string naming a record's place — collection and key — for maps and sets (key parts are paths,
 * ids and timestamps, which never contain NUL).
 */
export function recordSlot(collection: CollectionName, key: RecordKey): string {
  return `${collection}\u0000${key.join('\u0000')}`
}

/** The time a record is ordered by in queries (`day` for usage, `lastSeenAt` for setups and projects). */
export function recordTime<C extends CollectionName>(collection: C, record: CollectionRecords[C]): string {
  return ORDER_TIMES[collection](record)
}

/**
 * Compares two keys element by element, shorter prefix first — the order LMDB's ordered-binary
 * encoding gives (it compares UTF-8 bytes; this compares UTF-16 units, equal outside astral planes).
 */
export function compareKeys(a: RecordKey, b: RecordKey): number {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? ''
    const y = b[i] ?? ''
    if (x !== y) return x < y ? -1 : 1
  }
  return a.length - b.length
}
