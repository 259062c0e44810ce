import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'
import { createFactIdGenerator } from '../facts/fact-ids.js'
import type { CostSource, Fact, FactBase, GradeFact, Party, TokenUsage } from '../facts/facts.js'
import type { GradeChannel } from '../facts/grade-channel.js'
import { isCountedGrade } from '../facts/grade-channel.js'
import { NO_TOKENS } from '../facts/facts.js'
import type { Grade } from '../facts/grade.js'
import { gradeLabel, parseGrade } from '../facts/grade.js'
import type { CommitRecord, GradeEventRecord, RetrospectiveRecord } from '../store/records.js'
import { parseSetupId } from '../facts/setup-id.js'
import type { AgentStatus } from '../scoring/status.js'
import { toAgentStatus } from '../scoring/status.js'
import type { ApplyResult, DeferredBatch, TrackerStore } from '../store/tracker-store.js'
import { REPEAT } from '../store/tracker-store.js'
import { isoTimestampOfMs, toFactTimestamp, toIsoTimestamp } from '../time/iso-timestamp.js'
import { validateFact } from '../facts/validate-fact.js'
import { COMMIT_HASH_DIGITS, isFullCommitHash } from '../validation/host-facts.js'
import { distinctShortHashes } from '../text/short-hashes.js'

/** Where and when something happened, and which fact it is. */
export interface FactContext {
  readonly setup: string
  readonly project: string
  readonly session?: string
  /** Defaults to now. */
  readonly at?: string | Date
  /**
   * The fact's stable id. Give one derived from the host's own ids where the host has them
   * (`opencode:<sessionID>:<callID>`, see `hostFactId`), so that the same event recorded twice —
   * resent, re-ingested, imported from the host's history — counts once: the store skips a fact
   * whose id it has. Default: a new unique id.
   */
  readonly id?: string
}

/** A grade given through the agent's own channel: its self-grade only. */
export interface SelfGradeInput extends FactContext {
  /** Commit hash or unique prefix; defaults to the setup's latest commit in the project. */
  readonly commit?: string
  readonly grade: Grade | string
  readonly note?: string
}

/**
 * A grade given by the user (slash command, CLI, another host); the user may also enter the
 * agent's grade. The channel says how it arrived: a grade from a channel not the user's own counts
 * only when `vouched` (see `isCountedGrade`).
 */
export interface UserGradeInput extends Omit<FactContext, 'project'> {
  /** Narrows the commit search to one project; defaults the commit to the latest there. */
  readonly project?: string
  readonly commit?: string
  readonly userGrade: Grade | string
  readonly agentGrade?: Grade | string
  readonly note?: string
  readonly channel: Exclude<GradeChannel, 'agent-tool'>
  /** The user vouches that a grade from a channel not their own is theirs (`--trust`). */
  readonly vouched?: boolean
}

/** What a grade did. */
export interface GradeOutcome {
  readonly commit: CommitRecord
  readonly retrospective: RetrospectiveRecord | undefined
  /**
   * This grade as recorded, with the setup's communication score just before and after it
   * (`scoreBefore`, `scoreAfter`); the retrospective's `scoreBefore` is the one before the commit's
   * first grade, which may be long ago.
   */
  readonly event: GradeEventRecord | undefined
  readonly status: AgentStatus
  /** The channel the grade was recorded with. */
  readonly channel: GradeChannel
  /** False for a user grade kept only as a record: it came through a channel not the user's own, unvouched. */
  readonly counted: boolean
}

/** The tracking service's dependencies. */
export interface TrackingServiceOptions {
  readonly store: TrackerStore
  readonly now?: () => Date
  readonly newId?: () => string
}

/** The host-agnostic API that records facts and answers status questions. */
export interface TrackingService {
  /** Records a finished tool call. */
  recordToolCall(input: FactContext & { tool: string; ok: boolean; exitCode?: number }): Promise<void>
  /** Records an executed slash command. */
  recordCommand(input: FactContext & { command: string }): Promise<void>
  /**
   * Records a commit (a repeat of a known hash is ignored by the store). `amends`: the full hash of
   * the commit `git commit --amend` replaced, which this one then takes the place of.
   */
  recordCommit(input: FactContext & { hash: string; message: string; task?: string; amends?: string }): Promise<void>
  /** Records a push. */
  recordPush(input: FactContext & { remote?: string; branch?: string }): Promise<void>
  /** Records the tokens and cost of one finished assistant message (the cost is the host's own figure unless `costSource` says otherwise). */
  recordUsage(input: FactContext & { tokens: Partial<TokenUsage>; cost: number; costSource?: CostSource; message?: string }): Promise<void>
  /**
   * The agent grades its own commit. It cannot give a user grade.
   * @throws {TrackerError} NOT_AUTHORISED, INVALID_GRADE, UNKNOWN_COMMIT, AMBIGUOUS_COMMIT, ALREADY_GRADED (also when another grade of the commit got in while this one was written); NOTE_NOT_ADDED when its note would grow the notes past their limit.
   */
  selfGrade(input: SelfGradeInput): Promise<GradeOutcome>
  /**
   * The user grades a commit, optionally also entering the agent's grade.
   * @throws {TrackerError} INVALID_GRADE, UNKNOWN_SETUP, UNKNOWN_COMMIT, AMBIGUOUS_COMMIT, ALREADY_GRADED (also when another grade of the commit got in while this one was written); NOTE_NOT_ADDED when its note would grow the notes past their limit.
   */
  userGrade(input: UserGradeInput): Promise<GradeOutcome>
  /**
   * Reports a bug: SP −1, and a halt at SP ≤ 0.
   * @throws {TrackerError} UNKNOWN_COMMIT when a given commit is not the setup's.
   */
  reportBug(input: FactContext & { by: Party; commit?: string; note?: string }): Promise<AgentStatus>
  /**
   * Gives a halted setup its skill points back; a setup that is not halted is left alone.
   * @throws {TrackerError} UNKNOWN_SETUP.
   */
  reinstate(input: FactContext & { note?: string }): Promise<{ reinstated: boolean; status: AgentStatus }>
  /**
   * Records a retrospective's narrative (task, lessons) for a commit, in the given party's voice.
   * `project` only narrows the commit search (default: the setup's latest commit anywhere). The
   * user's note is added to the ones the commit has (a repeat of one of them adds nothing); the
   * agent's replaces its earlier one.
   * @throws {TrackerError} UNKNOWN_COMMIT or AMBIGUOUS_COMMIT; NOTE_NOT_ADDED when the notes would grow past the limit of a stored text.
   */
  recordRetrospective(input: Omit<FactContext, 'project'> & { project?: string; by: Party; commit?: string; task?: string; note: string }): Promise<RetrospectiveRecord | undefined>
  /** Logs a journal entry. */
  logActivity(input: FactContext & { task: string; actions?: string; outcome?: string; decisions?: string }): Promise<void>
  /** The status card of a setup, or undefined for a setup never seen. */
  getStatus(setup: string): Promise<AgentStatus | undefined>
  /**
   * Finds a commit of the setup by hash or unique prefix, or its latest (in `project`, if given).
   * @throws {TrackerError} UNKNOWN_COMMIT or AMBIGUOUS_COMMIT.
   */
  resolveCommit(setup: string, ref?: string, project?: string): Promise<CommitRecord>
}

/** Creates the tracking service over a store. */
export function createTrackingService(options: TrackingServiceOptions): TrackingService {
  const { store } = options
  const given = options.now
  // Every fact is stamped: without a clock of the caller's, from Date.now() without a Date.
  const stamp = given === undefined ? (): string => isoTimestampOfMs(Date.now()) : (): string => toIsoTimestamp(given(), 'at')
  const newId = options.newId ?? createFactIdGenerator()

  const base = (input: FactContext): FactBase => {
    const made: { -readonly [K in keyof FactBase]: FactBase[K] } = { id: input.id ?? newId(), at: input.at === undefined ? stamp() : toFactTimestamp(input.at, 'at'), setup: input.setup, project: input.project }
    if (input.session !== undefined) made.session = input.session
    return made
  }
  const apply = (fact: Fact): Promise<ApplyResult | DeferredBatch> => store.applyFacts([validateFact(fact)])
  const record = async (fact: Fact): Promise<void> => {
    await apply(fact)
  }
  const requireStatus = async (setup: string): Promise<AgentStatus> => {
    const status = await getStatus(setup)
    if (status === undefined) throw unknownSetup(setup, await knownSetups(store))
    return status
  }
  const getStatus = async (setup: string): Promise<AgentStatus | undefined> => {
    const found = await store.get('setups', [setup])
    return found === undefined ? undefined : toAgentStatus(found, store.rules)
  }
  const resolveCommit = (setup: string, ref?: string, project?: string): Promise<CommitRecord> =>
    findCommit(store, setup, ref, project)
  const grade = async (setup: string, commit: CommitRecord, fact: GradeFact & { channel: GradeChannel }): Promise<GradeOutcome> => {
    const result = await apply(fact)
    const retrospective = await store.get('retrospectives', [setup, commit.hash])
    // The check before is outside the write: another process's grade of the commit may have got in
    // between, and the store then kept that one and skipped this (as it skips a note too long to keep).
    const skipped = result.deferred ? undefined : result.skipped.find((entry) => entry.id === fact.id && entry.reason !== REPEAT)
    if (skipped !== undefined) {
      const kept = fact.by === 'agent' ? retrospective?.agentGrade : retrospective?.userGrade
      if (kept !== undefined) throw alreadyGraded(commit, fact.by, kept)
      throw new TrackerError('NOTE_NOT_ADDED', `The grade of commit ${short(commit.hash)} was not recorded: ${skipped.reason}. Nothing was changed.`)
    }
    return {
      commit,
      retrospective,
      event: await store.get('gradeEvents', [setup, fact.at, fact.id]),
      status: await requireStatus(setup),
      channel: fact.channel,
      counted: isCountedGrade(fact),
    }
  }

  return {
    // The hook path: built by assignment rather than spreads, which cost more than the rest.
    recordToolCall: (input) => {
      const fact = base(input) as FactBase & { kind: 'tool_call'; tool: string; ok: boolean; exitCode?: number }
      fact.kind = 'tool_call'
      fact.tool = input.tool
      fact.ok = input.ok
      if (input.exitCode !== undefined) fact.exitCode = input.exitCode
      return record(fact)
    },
    recordCommand: (input) => record({ ...base(input), kind: 'command', command: input.command }),
    recordCommit: (input) =>
      record({ ...base(input), kind: 'commit', hash: input.hash, message: input.message, ...(input.task === undefined ? {} : { task: input.task }), ...(input.amends === undefined ? {} : { amends: input.amends }) }),
    recordPush: (input) =>
      record({
        ...base(input),
        kind: 'push',
        ...(input.remote === undefined ? {} : { remote: input.remote }),
        ...(input.branch === undefined ? {} : { branch: input.branch }),
      }),
    recordUsage: (input) =>
      record({
        ...base(input),
        kind: 'usage',
        tokens: { ...NO_TOKENS, ...input.tokens },
        cost: input.cost,
        ...(input.costSource === undefined || input.costSource === 'host' ? {} : { costSource: input.costSource }),
        ...(input.message === undefined ? {} : { message: input.message }),
      }),

    async selfGrade(input) {
      if ('userGrade' in input) {
        throw new TrackerError('NOT_AUTHORISED', 'An agent may only grade itself: the user grade comes from the user (/grade or the agent-tracker CLI).')
      }
      const agentGrade = parseGrade(input.grade, 'agent grade')
      const commit = await resolveCommit(input.setup, input.commit, input.project)
      const retro = await store.get('retrospectives', [input.setup, commit.hash])
      if (retro?.agentGrade !== undefined) throw alreadyGraded(commit, 'agent', retro.agentGrade)
      return grade(input.setup, commit, {
        ...base({ ...input, project: commit.project }),
        kind: 'grade',
        commit: commit.hash,
        by: 'agent',
        agentGrade,
        ...(input.note === undefined ? {} : { agentNote: input.note }),
        channel: 'agent-tool',
      })
    },

    async userGrade(input) {
      const userGrade = parseGrade(input.userGrade, 'user grade')
      const agentGrade = input.agentGrade === undefined ? undefined : parseGrade(input.agentGrade, 'agent grade')
      await requireStatus(input.setup)
      const commit = await resolveCommit(input.setup, input.commit, input.project)
      const retro = await store.get('retrospectives', [input.setup, commit.hash])
      if (retro?.userGrade !== undefined) throw alreadyGraded(commit, 'user', retro.userGrade)
      if (agentGrade !== undefined && retro?.agentGrade !== undefined) {
        throw new TrackerError(
          'ALREADY_GRADED',
          `Commit ${short(commit.hash)} already has the agent's grade (${gradeLabel(retro.agentGrade)}); give only your own grade.`,
        )
      }
      return grade(input.setup, commit, {
        ...base({ ...input, project: commit.project }),
        kind: 'grade',
        commit: commit.hash,
        by: 'user',
        userGrade,
        ...(agentGrade === undefined ? {} : { agentGrade }),
        ...(input.note === undefined ? {} : { userNote: input.note }),
        channel: input.channel,
        ...(input.vouched === true ? { vouched: true } : {}),
      })
    },

    async reportBug(input) {
      const commit = input.commit === undefined ? undefined : await resolveCommit(input.setup, input.commit)
      await record({
        ...base(input),
        kind: 'bug',
        by: input.by,
        ...(commit === undefined ? {} : { commit: commit.hash }),
        ...(input.note === undefined ? {} : { note: input.note }),
      })
      return requireStatus(input.setup)
    },

    async reinstate(input) {
      const before = await requireStatus(input.setup)
      if (!before.halted) return { reinstated: false, status: before }
      await record({ ...base(input), kind: 'reinstate', ...(input.note === undefined ? {} : { note: input.note }) })
      return { reinstated: true, status: await requireStatus(input.setup) }
    },

    async recordRetrospective(input) {
      const commit = await resolveCommit(input.setup, input.commit, input.project)
      const result = await apply({
        ...base({ ...input, project: commit.project }),
        kind: 'retrospective',
        commit: commit.hash,
        ...(input.task === undefined ? {} : { task: input.task }),
        ...(input.by === 'agent' ? { agentNote: input.note } : { userNote: input.note }),
      })
      const refused = 'skipped' in result ? result.skipped[0] : undefined
      if (refused !== undefined) throw new TrackerError('NOTE_NOT_ADDED', `The note was not added to commit ${short(commit.hash)}: ${refused.reason}. Nothing was changed.`)
      return store.get('retrospectives', [input.setup, commit.hash])
    },

    logActivity: (input) =>
      record({
        ...base(input),
        kind: 'activity',
        task: input.task,
        actions: input.actions ?? '',
        outcome: input.outcome ?? '',
        decisions: input.decisions ?? '',
      }),

    getStatus,
    resolveCommit,
  }
}

const MIN_PREFIX = COMMIT_HASH_DIGITS.min

async function findCommit(store: TrackerStore, setup: string, ref: string | undefined, project?: string): Promise<CommitRecord> {
  parseSetupId(setup)
  if (ref === undefined || ref.trim() === '') {
    const [latest] = await store.find('commits', { setup, ...(project === undefined ? {} : { project }), limit: 1 })
    if (latest !== undefined) return latest
    const where = project === undefined ? '' : ` in ${project}`
    throw new TrackerError('UNKNOWN_COMMIT', `${setup} has no recorded commit${where} yet, so there is nothing to grade.`)
  }
  const wanted = ref.trim()
  if (project !== undefined) {
    const exact = await store.get('commits', [project, wanted])
    if (exact?.setup === setup) return exact
  }
  if (wanted.length < MIN_PREFIX) {
    throw new TrackerError('UNKNOWN_COMMIT', `Commit reference ${describeValue(ref)} is too short: give at least ${String(MIN_PREFIX)} characters of the hash.`)
  }
  const scope = project === undefined ? {} : { project }
  // The by-hash lookup reads the commits with this prefix only, however many the setup made.
  const mine = await store.find('commits', { setup, ...scope, hashPrefix: wanted })
  if (mine.length === 1 && mine[0] !== undefined) return mine[0]
  // One hash in several projects is one commit (clones of one repository share their hashes, and its
  // retrospective and grades are keyed by setup and hash): the newest record of it stands for it.
  const newest = mine.reduce<CommitRecord | undefined>((best, commit) => (best === undefined || commit.at > best.at ? commit : best), undefined)
  if (newest !== undefined && mine.length > 1 && mine.every((commit) => commit.hash === newest.hash)) return newest
  if (mine.length > 1) {
    throw new TrackerError(
      'AMBIGUOUS_COMMIT',
      `Commit reference ${describeValue(ref)} matches ${String(mine.length)} commits of ${setup} (${distinctShortHashes(mine.slice(0, 5).map((c) => c.hash)).join(', ')}); give more characters.`,
    )
  }
  const recorded = (await recordedAbbreviation(store, { setup, ...scope }, wanted)) ?? (await amendOf(store, { setup, ...scope }, wanted))
  if (Array.isArray(recorded)) {
    throw new TrackerError('AMBIGUOUS_COMMIT', `Commit reference ${describeValue(ref)} begins ${String(recorded.length)} commits of ${setup} that amends replaced (now ${distinctShortHashes(recorded.slice(0, 5).map((c) => c.hash)).join(', ')}); give more characters.`)
  }
  if (recorded !== undefined) return recorded
  const [elsewhere] = await store.find('commits', { ...scope, hashPrefix: wanted, limit: 1 })
  if (elsewhere !== undefined) {
    throw new TrackerError('UNKNOWN_COMMIT', `Commit ${short(elsewhere.hash)} was made by ${elsewhere.setup}, not ${setup}.`, { details: { madeBy: elsewhere.setup } })
  }
  const recent = await store.find('commits', { setup, limit: 5 })
  const hint = recent.length === 0 ? `${setup} has no recorded commits.` : `Recent commits of ${setup}: ${distinctShortHashes(recent.map((c) => c.hash)).join(', ')}.`
  throw new TrackerError('UNKNOWN_COMMIT', `No commit ${describeValue(ref)} is recorded for ${setup}. ${hint}`)
}

/**
 * The commit recorded under a shorter form of `wanted` (a host that saw only `git commit`'s
 * abbreviated hash records that), when one is: the longest such, as more digits name it better.
 */
async function recordedAbbreviation(store: TrackerStore, scope: { readonly setup: string; readonly project?: string }, wanted: string): Promise<CommitRecord | undefined> {
  // Only a hash recorded short is an abbreviation: a full one that begins the reference names another object.
  if (wanted.length > COMMIT_HASH_DIGITS.max) return undefined
  const shorter = (await store.find('commits', { ...scope, hashPrefix: wanted.slice(0, MIN_PREFIX) })).filter((commit) => commit.hash.length < Math.min(wanted.length, FULL_SHA1_DIGITS) && wanted.startsWith(commit.hash))
  return shorter.reduce<CommitRecord | undefined>((best, commit) => (best === undefined || commit.hash.length > best.hash.length ? commit : best), undefined)
}

/** Hex digits of a full SHA-1 commit hash: a hash recorded with fewer is an abbreviation. */
const FULL_SHA1_DIGITS = 40

/** Commits of a setup {@link amendOf} reads, newest first: an amend follows its commit within minutes, and is graded soon after. */
const AMEND_LOOKBACK = 2000

/**
 * The recorded commit that replaced `wanted` by `git commit --amend` (directly or through amends of
 * amends; it holds what was said of the one it replaced), among the setup's newest
 * {@link AMEND_LOOKBACK} commits: `wanted` may be the replaced hash in full or its first digits.
 * Several replacements (first digits that begin more than one replaced hash) are returned as a list.
 */
async function amendOf(store: TrackerStore, scope: { readonly setup: string; readonly project?: string }, wanted: string): Promise<CommitRecord | CommitRecord[] | undefined> {
  const matches = (replaced: string): boolean => (isFullCommitHash(wanted) ? replaced === wanted : replaced.startsWith(wanted))
  const found = (await store.find('commits', { ...scope, limit: AMEND_LOOKBACK })).filter((commit) => [commit.amends, ...(commit.replaced ?? [])].some((replaced) => replaced !== undefined && matches(replaced)))
  // One hash in two projects (clones) is one commit: its newest record stands for it.
  const newest = new Map<string, CommitRecord>()
  for (const commit of found) {
    const kept = newest.get(commit.hash)
    if (kept === undefined || commit.at > kept.at) newest.set(commit.hash, commit)
  }
  const [only, ...others] = newest.values()
  return others.length > 0 ? [...newest.values()] : only
}

async function knownSetups(store: TrackerStore): Promise<string[]> {
  return (await store.find('setups', { limit: 8 })).map((s) => s.id)
}

function unknownSetup(setup: string, known: readonly string[]): TrackerError {
  const hint = known.length === 0 ? 'No setups are recorded yet.' : `Known setups include: ${known.join(', ')}.`
  return new TrackerError('UNKNOWN_SETUP', `Unknown setup ${describeValue(setup)}. ${hint}`)
}

function alreadyGraded(commit: CommitRecord, party: Party, given: Grade): TrackerError {
  const who = party === 'agent' ? "the agent's own grade" : 'the user grade'
  return new TrackerError('ALREADY_GRADED', `Commit ${short(commit.hash)} already has ${who} (${gradeLabel(given)}); grades are final.`)
}

function short(hash: string): string {
  return hash.slice(0, 8)
}
