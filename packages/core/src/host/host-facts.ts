import { hostFactId } from '../facts/fact-ids.js'
import type { CommitFact, PushFact, TokenUsage, ToolCallFact, UsageFact } from '../facts/facts.js'

/** An agent host agent-tracker reads, live or from its history; its name prefixes the fact ids derived from its own ids. */
export type HostName = 'opencode' | 'claude-code' | 'codex'

/** Where, when and by which setup something happened in one of a host's sessions. */
export interface HostEventContext {
  readonly host: HostName
  /** The host's own session id. */
  readonly session: string
  readonly setup: string
  readonly project: string
  /** ISO 8601, UTC. */
  readonly at: string
}

/**
 * The fact id of a tool call, `<host>:<session>:<call id>`: the same live and when the host's
 * history is imported, so the call counts once.
 * @throws {TrackerError} INVALID_FACT for an empty id part.
 */
export function toolCallFactId(host: HostName, session: string, callId: string): string {
  return hostFactId(host, session, callId)
}

/**
 * The fact id of a commit a tool call made, `<host>:<session>:<call id>:commit:<hash's first 7>`:
 * the abbreviated hash git printed and the full one git confirms give the same id.
 * @throws {TrackerError} INVALID_FACT for an empty id part.
 */
export function commitFactId(host: HostName, session: string, callId: string, hash: string): string {
  return hostFactId(host, session, callId, 'commit', hash.slice(0, 7).toLowerCase())
}

/**
 * The fact id of the push a tool call made, `<host>:<session>:<call id>:push`.
 * @throws {TrackerError} INVALID_FACT for an empty id part.
 */
export function pushFactId(host: HostName, session: string, callId: string): string {
  return hostFactId(host, session, callId, 'push')
}

/**
 * The fact id of one model response's usage, `<host>:<the host's ids of the response>`: OpenCode's
 * message id; Claude Code's message and request ids; Codex's session and response ids.
 * @throws {TrackerError} INVALID_FACT for an empty id part.
 */
export function usageFactId(host: HostName, ...responseIds: readonly string[]): string {
  return hostFactId(host, ...responseIds)
}

/** A finished tool call as a host saw it. */
export interface HostToolCall {
  readonly callId: string
  readonly tool: string
  readonly ok: boolean
  readonly exitCode?: number | undefined
}

/** The fact of a finished tool call, with its derived id. */
export function hostToolCallFact(context: HostEventContext, call: HostToolCall): ToolCallFact {
  return {
    ...factBase(context, toolCallFactId(context.host, context.session, call.callId)),
    kind: 'tool_call',
    tool: call.tool,
    ok: call.ok,
    ...(call.exitCode === undefined ? {} : { exitCode: call.exitCode }),
  }
}

/**
 * The fact of a commit a tool call made, with its derived id; `amends` is the full hash of the
 * commit it replaced when git made it with `git commit --amend`.
 */
export function hostCommitFact(context: HostEventContext, callId: string, commit: { readonly hash: string; readonly message: string; readonly amends?: string | undefined }): CommitFact {
  return {
    ...factBase(context, commitFactId(context.host, context.session, callId, commit.hash)), kind: 'commit', hash: commit.hash, message: commit.message,
    ...(commit.amends === undefined ? {} : { amends: commit.amends }),
  }
}

/** The fact of the push a tool call made, with its derived id. */
export function hostPushFact(context: HostEventContext, callId: string, push: { readonly remote?: string | undefined; readonly branch?: string | undefined }): PushFact {
  return {
    ...factBase(context, pushFactId(context.host, context.session, callId)),
    kind: 'push',
    ...(push.remote === undefined ? {} : { remote: push.remote }),
    ...(push.branch === undefined ? {} : { branch: push.branch }),
  }
}

/** One model response's tokens and cost as a host recorded them. */
export interface HostUsage {
  /** The host's ids of the response (see {@link usageFactId}). */
  readonly responseIds: readonly string[]
  readonly tokens: TokenUsage
  /** The cost and where it came from (see {@link responseCost}). */
  readonly cost: ResponseCost
  /** The host's message id, kept on the fact. */
  readonly message?: string | undefined
}

/** The fact of one model response's usage, with its derived id. */
export function hostUsageFact(context: HostEventContext, usage: HostUsage): UsageFact {
  return {
    ...factBase(context, usageFactId(context.host, ...usage.responseIds)),
    kind: 'usage',
    tokens: usage.tokens,
    cost: usage.cost.cost,
    ...(usage.cost.costSource === undefined ? {} : { costSource: usage.cost.costSource }),
    ...(usage.message === undefined ? {} : { message: usage.message }),
  }
}

/** What a model response cost, and where the figure comes from (absent: the host's own). */
export interface ResponseCost {
  readonly cost: number
  readonly costSource?: 'estimate' | 'unknown'
}

/**
 * Prices the tokens a model spent on one response, in USD; undefined when the price of the model
 * is not known. Call it per response: prices may depend on the prompt's size and the date.
 */
export type CostEstimator = (spent: { readonly provider: string; readonly model: string; readonly tokens: TokenUsage; readonly at: string }) => number | undefined

/**
 * The cost of a response: the host's own figure when it recorded one, else the estimator's, else
 * unknown (recorded as 0 and marked, never as a real 0).
 */
export function responseCost(hostCost: number | undefined, estimate: () => number | undefined): ResponseCost {
  if (hostCost !== undefined) return { cost: hostCost }
  const estimated = estimate()
  return estimated === undefined ? { cost: 0, costSource: 'unknown' } : { cost: estimated, costSource: 'estimate' }
}

function factBase(context: HostEventContext, id: string): { id: string; at: string; setup: string; project: string; session: string } {
  return { id, at: context.at, setup: context.setup, project: context.project, session: context.session }
}
