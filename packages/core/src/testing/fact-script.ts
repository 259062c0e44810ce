import type {
  ActivityFact,
  BugFact,
  CommandFact,
  CommitFact,
  FactBase,
  GradeFact,
  Party,
  PushFact,
  ReinstateFact,
  RetrospectiveFact,
  TokenUsage,
  ToolCallFact,
  UsageFact,
} from '../facts/facts.js'
import { NO_TOKENS } from '../facts/facts.js'
import type { Grade } from '../facts/grade.js'
import type { GradeChannel } from '../facts/grade-channel.js'

/** Where a scripted sequence of facts happens. */
export interface FactScriptOptions {
  readonly setup: string
  readonly project: string
  readonly session?: string
  /** Time of the first fact; default 2026-01-01T00:00:00Z. */
  readonly start?: string
  /** Milliseconds between facts; default one minute. */
  readonly stepMs?: number
}

/** Builds well-formed facts with unique ids and increasing timestamps, for tests and demos. */
export interface FactScript {
  toolCall(tool?: string, ok?: boolean, exitCode?: number): ToolCallFact
  command(command: string): CommandFact
  commit(hash: string, message?: string): CommitFact
  /** A commit made by `git commit --amend` of the commit `amends` (a full hash). */
  amend(hash: string, amends: string, message?: string): CommitFact
  push(remote?: string, branch?: string): PushFact
  grade(commit: string, grades: { by: Party; agentGrade?: Grade; userGrade?: Grade; agentNote?: string; userNote?: string; channel?: GradeChannel; vouched?: true }): GradeFact
  bug(by?: Party, note?: string, commit?: string): BugFact
  reinstate(note?: string): ReinstateFact
  retrospective(commit: string, narrative: { task?: string; agentNote?: string; userNote?: string; extra?: Record<string, unknown> }): RetrospectiveFact
  activity(task: string, outcome?: string): ActivityFact
  usage(tokens: Partial<TokenUsage>, cost: number): UsageFact
}

let scripts = 0

/** Creates a {@link FactScript}. */
export function createFactScript(options: FactScriptOptions): FactScript {
  scripts += 1
  const prefix = `s${String(scripts)}`
  const start = Date.parse(options.start ?? '2026-01-01T00:00:00.000Z')
  const step = options.stepMs ?? 60_000
  let count = 0
  const base = (): FactBase => {
    const at = new Date(start + count * step).toISOString()
    count += 1
    return {
      id: `${prefix}-${String(count).padStart(6, '0')}`,
      at,
      setup: options.setup,
      project: options.project,
      ...(options.session === undefined ? {} : { session: options.session }),
    }
  }
  return {
    toolCall: (tool = 'bash', ok = true, exitCode) => ({ ...base(), kind: 'tool_call', tool, ok, ...(exitCode === undefined ? {} : { exitCode }) }),
    command: (command) => ({ ...base(), kind: 'command', command }),
    commit: (hash, message = `commit ${hash}`) => ({ ...base(), kind: 'commit', hash, message }),
    amend: (hash, amends, message = `commit ${hash}`) => ({ ...base(), kind: 'commit', hash, message, amends }),
    push: (remote, branch) => ({ ...base(), kind: 'push', ...(remote === undefined ? {} : { remote }), ...(branch === undefined ? {} : { branch }) }),
    grade: (commit, grades) => ({ ...base(), kind: 'grade', commit, ...grades }),
    bug: (by = 'user', note, commit) => ({ ...base(), kind: 'bug', by, ...(note === undefined ? {} : { note }), ...(commit === undefined ? {} : { commit }) }),
    reinstate: (note) => ({ ...base(), kind: 'reinstate', ...(note === undefined ? {} : { note }) }),
    retrospective: (commit, narrative) => ({ ...base(), kind: 'retrospective', commit, ...narrative }),
    activity: (task, outcome = 'done') => ({ ...base(), kind: 'activity', task, actions: `worked on ${task}`, outcome, decisions: 'none' }),
    usage: (tokens, cost) => ({ ...base(), kind: 'usage', tokens: { ...NO_TOKENS, ...tokens }, cost }),
  }
}
