import type { Party } from './facts.js'

/**
 * The way a grade reached the tracker:
 * - `slash-command`: the user's `/grade` in an agent host (read where only the user's input arrives);
 * - `cli-terminal`: `agent-tracker grade` typed in an interactive terminal that no agent session runs;
 * - `cli-script`: the CLI run without a terminal, or from inside an agent session;
 * - `ingest`: a JSON line given to `agent-tracker ingest`;
 * - `agent-tool`: the agent's own self-grade tool;
 * - `import`: brought in from another record (the predecessor's files and databases, a host's history).
 */
export type GradeChannel = 'slash-command' | 'cli-terminal' | 'cli-script' | 'ingest' | 'agent-tool' | 'import'

/** Every grade channel, the user's own first. */
export const GRADE_CHANNELS: readonly GradeChannel[] = ['slash-command', 'cli-terminal', 'cli-script', 'ingest', 'agent-tool', 'import']

/** The channels only the user can use: a user grade from any other counts only when vouched for. */
export const USER_CHANNELS: ReadonlySet<GradeChannel> = new Set<GradeChannel>(['slash-command', 'cli-terminal'])

/**
 * How reports name the channel of a grade recorded before grades carried one. Such grades were
 * counted when they were given, and still are.
 */
export const UNRECORDED_CHANNEL = 'unrecorded'

/** A grade's channel as reports show it: the recorded one, or {@link UNRECORDED_CHANNEL}. */
export type ShownGradeChannel = GradeChannel | typeof UNRECORDED_CHANNEL

/** Where a grade came from: who gave it, through which channel, and whether the user vouched for it. */
export interface GradeProvenance {
  readonly by: Party
  /** Absent on grades recorded before grades carried a channel. */
  readonly channel?: GradeChannel | undefined
  /** The user vouched (`--trust`) that a grade from a channel not their own is theirs. */
  readonly vouched?: boolean | undefined
}

/** True for a channel only the user can use (see {@link USER_CHANNELS}). */
export function isUserChannel(channel: GradeChannel): boolean {
  return USER_CHANNELS.has(channel)
}

/**
 * True when a grade counts in scores, tallies, reports and recommendations: an agent's grade of
 * itself always does; a user grade does when it came through the user's own channel, was vouched
 * for, or was recorded before grades carried a channel (as it was counted then). Any other user
 * grade is kept, with its channel, for reports to show — and counts for nothing.
 */
export function isCountedGrade(grade: GradeProvenance): boolean {
  if (grade.by === 'agent' || grade.channel === undefined || grade.vouched === true) return true
  return isUserChannel(grade.channel)
}

/** The channel a report shows for a grade (see {@link UNRECORDED_CHANNEL}). */
export function shownChannel(grade: Pick<GradeProvenance, 'channel'>): ShownGradeChannel {
  return grade.channel ?? UNRECORDED_CHANNEL
}

/** True for one of the {@link GRADE_CHANNELS}. */
export function isGradeChannel(value: unknown): value is GradeChannel {
  return typeof value === 'string' && (GRADE_CHANNELS as readonly string[]).includes(value)
}
