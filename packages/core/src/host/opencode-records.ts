import type { TokenUsage } from '../facts/facts.js'
import { isTrackerBlock } from './tool-call-guard.js'

/**
 * How agent-tracker reads OpenCode's own records — the messages and parts its events carry and its
 * storage holds, in the same shapes — so the plugin (live) and the import (from OpenCode's history)
 * take the same facts from them.
 */

type Fields = Readonly<Record<string, unknown>>

/** The agent tools agent-tracker's OpenCode plugin gives the agent: their calls are not the agent's work. */
export const TRACKER_TOOLS = ['tracker_status', 'tracker_self_grade', 'tracker_report_bug', 'tracker_retrospective', 'tracker_log_activity', 'tracker_prior_art'] as const

const OWN_TOOLS: ReadonlySet<string> = new Set(TRACKER_TOOLS)

/** True for one of agent-tracker's own agent tools (see {@link TRACKER_TOOLS}). */
export function isTrackerTool(name: string): boolean {
  return OWN_TOOLS.has(name)
}

/** OpenCode's hidden agent that writes session titles; its calls are not the user's work. */
export const OPENCODE_TITLE_AGENT = 'title'

/** How the prompt of the turn that answers one of the user's slash commands starts and ends (see {@link opencodeCommandTurnPrompt}). */
const COMMAND_TURN_PREFIX = '[agent-tracker] '
const COMMAND_TURN_ASK = '\nAcknowledge this to the user in one short sentence. Do not change any files.'

/**
 * The prompt the OpenCode plugin puts in place of `/grade`, `/bug`, `/reinstate` or `/tracker`:
 * what the tracker did, for the agent to acknowledge. The turn is no setup's work; OpenCode keeps
 * this text as the turn's user message, which is how its history tells the turn apart.
 */
export function opencodeCommandTurnPrompt(reply: string): string {
  return `${COMMAND_TURN_PREFIX}${reply}${COMMAND_TURN_ASK}`
}

/** True for a user message's text that {@link opencodeCommandTurnPrompt} wrote. */
export function isOpencodeCommandTurnPrompt(text: string): boolean {
  return text.startsWith(COMMAND_TURN_PREFIX) && text.endsWith(COMMAND_TURN_ASK)
}

/** Agent and model of an OpenCode message, user or assistant; undefined without a session id. */
export function opencodeMessageSetup(info: Fields): { sessionID: string; agent?: string; providerID?: string; modelID?: string } | undefined {
  const sessionID = text(info.sessionID)
  if (sessionID === undefined) return undefined
  const model = fields(info.model)
  const agent = text(info.agent) ?? text(info.mode)
  const providerID = text(info.providerID) ?? text(model?.providerID)
  const modelID = text(info.modelID) ?? text(model?.modelID)
  return { sessionID, ...(agent === undefined ? {} : { agent }), ...(providerID === undefined ? {} : { providerID }), ...(modelID === undefined ? {} : { modelID }) }
}

/**
 * A finished assistant message's id, tokens and cost as OpenCode recorded them; undefined for a
 * user message and while the message is still running (no `time.completed`).
 */
export function opencodeMessageUsage(info: Fields): { id: string; tokens: TokenUsage; cost: number } | undefined {
  const id = text(info.id)
  if (info.role !== 'assistant' || id === undefined || fields(info.time)?.completed === undefined) return undefined
  const tokens = fields(info.tokens)
  const cache = fields(tokens?.cache)
  return {
    id,
    tokens: { input: count(tokens?.input), output: count(tokens?.output), reasoning: count(tokens?.reasoning), cacheRead: count(cache?.read), cacheWrite: count(cache?.write) },
    cost: count(info.cost),
  }
}

/** The exit code OpenCode's bash tool reports in its metadata (`metadata.exit`), if any. */
export function opencodeExitCode(metadata: unknown): number | undefined {
  const exit = fields(metadata)?.exit
  return typeof exit === 'number' && Number.isInteger(exit) ? exit : undefined
}

/** Whether a tool call that completed succeeded: a bash call by its exit code, any other tool always. */
export function opencodeCallSucceeded(tool: string, exitCode: number | undefined): boolean {
  return tool !== 'bash' || exitCode === undefined || exitCode === 0
}

/** A tool part that ended: how it ended, and for bash its command line, output and working folder. */
export interface OpencodeToolOutcome {
  readonly id: string
  readonly sessionID: string
  readonly callID: string
  readonly tool: string
  /** `error` for a tool that threw or a call a plugin blocked. */
  readonly status: 'completed' | 'error'
  readonly ok: boolean
  readonly exitCode?: number
  readonly args: unknown
  /** What the tool printed (empty for a tool that threw). */
  readonly output: string
  /** When it ended (epoch ms), if recorded. */
  readonly endedAt?: number
}

/**
 * How a tool part ended: a completed part by {@link opencodeCallSucceeded}, an `error` part (a tool
 * that threw, or a call another plugin blocked) as a failure; undefined while it is pending or
 * running, and for a call agent-tracker's own guard blocked: it never ran, so it is no call — as in
 * Claude Code, where a hook's block never reaches the tool.
 */
export function opencodeToolOutcome(part: Fields): OpencodeToolOutcome | undefined {
  const id = text(part.id)
  const sessionID = text(part.sessionID)
  const tool = text(part.tool)
  const callID = text(part.callID) ?? id
  const state = fields(part.state)
  const status = state?.status
  if (part.type !== 'tool' || id === undefined || sessionID === undefined || tool === undefined || callID === undefined || (status !== 'completed' && status !== 'error')) return undefined
  if (status === 'error' && typeof state?.error === 'string' && isTrackerBlock(state.error)) return undefined
  const exitCode = status === 'completed' ? opencodeExitCode(state?.metadata) : undefined
  const end = fields(state?.time)?.end
  return {
    id, sessionID, callID, tool, status,
    ok: status === 'completed' && opencodeCallSucceeded(tool, exitCode),
    ...(exitCode === undefined ? {} : { exitCode }),
    args: state?.input,
    output: typeof state?.output === 'string' ? state.output : '',
    ...(typeof end === 'number' ? { endedAt: end } : {}),
  }
}

function fields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null ? (value as Fields) : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0
}
