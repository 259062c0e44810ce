import type { GradeChannel } from './grade-channel.js'
import type { Grade } from './grade.js'

/** Who said something: the agent itself or the human user. */
export type Party = 'agent' | 'user'

/** Tokens spent by one assistant message (or summed over many). */
export interface TokenUsage {
  readonly input: number
  readonly output: number
  readonly reasoning: number
  readonly cacheRead: number
  readonly cacheWrite: number
}

/** Fields every fact carries. */
export interface FactBase {
  /** Unique id of this fact (assigned by the tracking service). */
  readonly id: string
  /** When it happened, ISO 8601 in UTC. */
  readonly at: string
  /** Setup id, e.g. `build@anthropic/claude-sonnet-4-5`. */
  readonly setup: string
  /** Absolute path of the project folder. */
  readonly project: string
  /** Host session id, when there is one. */
  readonly session?: string
}

/** A tool call finished; `ok` false for failures (for bash: non-zero exit). */
export interface ToolCallFact extends FactBase {
  readonly kind: 'tool_call'
  readonly tool: string
  readonly ok: boolean
  readonly exitCode?: number
}

/** A slash command was executed. */
export interface CommandFact extends FactBase {
  readonly kind: 'command'
  readonly command: string
}

/** A commit was made. */
export interface CommitFact extends FactBase {
  readonly kind: 'commit'
  readonly hash: string
  readonly message: string
  readonly task?: string
  /**
   * The full hash of the commit this one replaced with `git commit --amend` (HEAD before the
   * amend). Where that commit is recorded for the same project and setup, this one takes its
   * place and the commit counts once; otherwise the fact is an ordinary new commit.
   */
  readonly amends?: string
}

/** A push was made. */
export interface PushFact extends FactBase {
  readonly kind: 'push'
  readonly remote?: string
  readonly branch?: string
}

/** A commit was graded: by the agent (its self-grade) or by the user (who may give both grades). */
export interface GradeFact extends FactBase {
  readonly kind: 'grade'
  readonly commit: string
  readonly by: Party
  readonly agentGrade?: Grade
  readonly userGrade?: Grade
  readonly agentNote?: string
  readonly userNote?: string
  readonly task?: string
  /**
   * The channel the grade came through; absent on grades recorded before grades carried one.
   * A user grade counts only from the user's own channel or when vouched for (see `isCountedGrade`).
   */
  readonly channel?: GradeChannel
  /** Present (true) when the user vouched (`--trust`) that this grade, from a channel not their own, is theirs. */
  readonly vouched?: true
}

/** A bug was reported against the setup. */
export interface BugFact extends FactBase {
  readonly kind: 'bug'
  readonly by: Party
  readonly commit?: string
  readonly note?: string
}

/** The user reinstated a halted setup. */
export interface ReinstateFact extends FactBase {
  readonly kind: 'reinstate'
  readonly note?: string
}

/** Narrative of a commit's retrospective (no grades; those come as {@link GradeFact}). */
export interface RetrospectiveFact extends FactBase {
  readonly kind: 'retrospective'
  readonly commit: string
  readonly task?: string
  readonly agentNote?: string
  readonly userNote?: string
  /** Extra fields kept from legacy imports (e.g. `sp_before`). */
  readonly extra?: Readonly<Record<string, unknown>>
}

/** A journal entry: what was done and decided. */
export interface ActivityFact extends FactBase {
  readonly kind: 'activity'
  readonly task: string
  readonly actions: string
  readonly outcome: string
  readonly decisions: string
}

/**
 * Where a usage fact's cost comes from: the host's own figure (`host`, the default), an estimate
 * from a price catalogue (`estimate`), or nowhere (`unknown`: no price is known, and the cost is 0).
 */
export type CostSource = 'host' | 'estimate' | 'unknown'

/** Every cost source. */
export const COST_SOURCES: readonly CostSource[] = ['host', 'estimate', 'unknown']

/** An assistant message finished: its tokens and cost. */
export interface UsageFact extends FactBase {
  readonly kind: 'usage'
  readonly tokens: TokenUsage
  readonly cost: number
  /** Absent when the cost is the host's own figure. */
  readonly costSource?: Exclude<CostSource, 'host'>
  readonly message?: string
}

/** What a project's git history says about an agent commit (see {@link EvidenceFact}). */
export type EvidenceSignal = 'suspected-bug' | 'revert' | 'survival' | 'churn'

/** Every evidence signal. */
export const EVIDENCE_SIGNALS: readonly EvidenceSignal[] = ['suspected-bug', 'revert', 'survival', 'churn']

/**
 * Evidence from git about a tracked agent commit, found without asking the user: a later fix
 * changed its lines (a suspected bug), a later commit reverted it, or a share of its lines
 * survived so many days. Its id is derived from the commits involved, so a rerun records nothing
 * twice. Evidence never changes a setup's scores; a confirmed suspected bug becomes a {@link BugFact}.
 */
export interface EvidenceFact extends FactBase, EvidenceDetails {
  readonly kind: 'evidence'
}

/** What a piece of git evidence says, as its fact brings it and its record keeps it. */
export interface EvidenceDetails {
  readonly signal: EvidenceSignal
  /** The agent commit the evidence is about (full hash). */
  readonly commit: string
  /** The later commit that gave the evidence: the fix, or the revert; for survival, the HEAD measured. */
  readonly source: string
  /** The source commit's subject line. */
  readonly subject?: string
  /** Suspected bug: the files (at the fix's parent) whose lines the fix changed. */
  readonly files?: readonly string[]
  /** Suspected bug: lines of the agent commit the fix changed or deleted; churn: those the same setup rewrote. */
  readonly lines?: number
  /** Suspected bug: the fix pattern the source's message matched; revert: how it was recognised. */
  readonly pattern?: string
  /** Survival: the age in days it was measured at (7 or 30). */
  readonly days?: number
  /** Survival: lines the commit added. */
  readonly added?: number
  /** Survival: of those, lines still there at the measured HEAD. */
  readonly surviving?: number
}

/** What became of a piece of evidence: the user confirmed or dismissed it, or a rewritten history retracted it. */
export type EvidenceVerdict = 'confirmed' | 'dismissed' | 'retracted'

/** A verdict on a piece of evidence (by its id), of the evidence's setup and project. */
export interface VerdictFact extends FactBase {
  readonly kind: 'verdict'
  readonly evidence: string
  readonly verdict: EvidenceVerdict
  readonly note?: string
}

/** Everything the tracker records. */
export type Fact =
  | ToolCallFact
  | CommandFact
  | CommitFact
  | PushFact
  | GradeFact
  | BugFact
  | ReinstateFact
  | RetrospectiveFact
  | ActivityFact
  | UsageFact
  | EvidenceFact
  | VerdictFact

/** The kind tag of a fact. */
export type FactKind = Fact['kind']

/** Every fact kind. */
export const FACT_KINDS: readonly FactKind[] = [
  'tool_call',
  'command',
  'commit',
  'push',
  'grade',
  'bug',
  'reinstate',
  'retrospective',
  'activity',
  'usage',
  'evidence',
  'verdict',
]

/** Zero tokens. */
export const NO_TOKENS: TokenUsage = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 }
