import type { HostEventContext, HostName, SetupIdentity, TokenUsage } from '@agent-tracker/core'

/** A shell command a tool call ran: what commits and pushes are read from. */
export interface ShellRun {
  readonly command: string
  readonly output: string
  /** The absolute folder it ran in. */
  readonly workdir: string
  /** Commit hashes the host itself saw the command make, besides those in its output. */
  readonly reportedHashes: readonly string[]
  /** When it started, ISO 8601 (the call's end is the event's `at`). */
  readonly startedAt?: string | undefined
}

/**
 * Where in a host's history an event was read, so that a fact of it that is refused can be found:
 * the file, and the line of it (a JSON-lines file, numbered from 1) or the record in it (a database).
 */
export interface HistorySource {
  readonly file: string
  readonly line?: number | undefined
  /** In a file without lines (OpenCode's database): the record, e.g. `session ses_1, part prt_2`. */
  readonly record?: string | undefined
}

/** A tool call that ran to the end, read from a host's history. */
export interface HistoryToolCall {
  readonly kind: 'tool_call'
  readonly context: HostEventContext
  readonly callId: string
  readonly tool: string
  readonly ok: boolean
  readonly exitCode?: number | undefined
  readonly shell?: ShellRun | undefined
  /** Where it was read: the line of its result (none from Claude Code's PostToolUse hook, which reads no history). */
  readonly source?: HistorySource | undefined
}

/** One model response's usage, read from a host's history. */
export interface HistoryUsage {
  readonly kind: 'usage'
  readonly context: HostEventContext
  /** The host's ids of the response (they make the fact id). */
  readonly responseIds: readonly string[]
  readonly tokens: TokenUsage
  /** The cost the host recorded, if it records one. */
  readonly hostCost?: number | undefined
  /** Provider and model, for a price estimate when the host recorded no cost. */
  readonly provider: string
  readonly model: string
  readonly message?: string | undefined
  /** Where it was read: the first line of the response. */
  readonly source?: HistorySource | undefined
}

/** Something in the history that could not be read: the file, the line when there is one, and why. */
export interface HistoryProblem {
  readonly kind: 'problem'
  readonly file: string
  readonly line?: number | undefined
  readonly reason: string
}

/** How far a reader is: `done` of `total` files or sessions. */
export interface HistoryProgress {
  readonly kind: 'progress'
  readonly done: number
  readonly total: number
}

/** What a history reader yields, in the order the host recorded it. */
export type HistoryEvent = HistoryToolCall | HistoryUsage | HistoryProblem | HistoryProgress

/** How a history reader reads. */
export interface ReadOptions {
  /** Only what happened at or after this ISO 8601 time. */
  readonly since?: string | undefined
  /** How setups are named; default `agent+model`. */
  readonly identity?: SetupIdentity | undefined
}

/** Where one host keeps its history on this machine. */
export interface HistoryLocation {
  readonly host: HostName
  /** Files and folders the reader reads (those that exist). */
  readonly paths: readonly string[]
  /** Every place looked at, for a message when nothing is found. */
  readonly searched: readonly string[]
}
