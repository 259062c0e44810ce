import { resolve } from 'node:path'
import type { HostEventContext, SetupIdentity } from '@agent-tracker/core'
import { OPENCODE_TITLE_AGENT, formatSetupId, isOpencodeCommandTurnPrompt, isTrackerTool, opencodeMessageSetup, opencodeMessageUsage, opencodeToolOutcome } from '@agent-tracker/core'
import { projectRoot } from '@agent-tracker/node-host/project-root'
import type { HistoryEvent, HistorySource } from '../history-events.js'
import type { Fields } from '../read-values.js'
import { fields, text, timestamp } from '../read-values.js'

/** One OpenCode session as its storage holds it: messages and parts carry their ids (`id`, `sessionID`, `messageID`). */
export interface OpencodeSession {
  readonly id: string
  /** The folder OpenCode ran in; the project is the git work tree root holding it (see `projectRoot`). */
  readonly directory: string
  readonly messages: readonly Fields[]
  readonly parts: readonly Fields[]
  /** Where a message or part was read, for the facts made of it (see `HistorySource`). */
  readonly sourceOf?: ((kind: 'message' | 'part', record: Fields) => HistorySource) | undefined
}

/**
 * The events of one OpenCode session, read the way the plugin reads the same records live: each
 * tool part that ended (not agent-tracker's own tools), and each finished assistant message's
 * tokens and cost, by the setup (agent, provider, model) of the message it belongs to — but for
 * the replies in the turn that answers the user's slash command (its user message is the prompt
 * the plugin wrote), which are no setup's work.
 */
export function* opencodeSessionEvents(session: OpencodeSession, options: { since?: string | undefined; identity?: SetupIdentity | undefined } = {}): Generator<HistoryEvent> {
  const identity = options.identity ?? 'agent+model'
  const setups = new Map<string, { setup: string; provider: string; model: string }>()
  for (const message of session.messages) {
    const seen = opencodeMessageSetup(message)
    const id = text(message.id)
    if (seen?.agent === undefined || seen.agent === OPENCODE_TITLE_AGENT || id === undefined || message.role !== 'assistant') continue
    try {
      setups.set(id, { setup: formatSetupId({ agent: seen.agent, ...(seen.providerID === undefined ? {} : { provider: seen.providerID }), ...(seen.modelID === undefined ? {} : { model: seen.modelID }) }, identity), provider: seen.providerID ?? '', model: seen.modelID ?? '' })
    } catch {
      // An agent name no setup id can hold: the plugin records nothing for it either.
    }
  }
  const context = (messageId: unknown, at: string): HostEventContext | undefined => {
    const known = typeof messageId === 'string' ? setups.get(messageId) : undefined
    if (known === undefined || (options.since !== undefined && at < options.since)) return undefined
    return { host: 'opencode', session: session.id, setup: known.setup, project: projectRoot(session.directory), at }
  }
  for (const part of session.parts) {
    const outcome = opencodeToolOutcome(part)
    if (outcome === undefined || isTrackerTool(outcome.tool)) continue
    const started = fields(fields(part.state)?.time)?.start
    const at = timestamp(outcome.endedAt ?? started)
    const where = at === undefined ? undefined : context(part.messageID, at)
    if (where === undefined) continue
    const command = outcome.tool === 'bash' ? text(fields(outcome.args)?.command) : undefined
    const workdir = text(fields(outcome.args)?.workdir)
    yield {
      kind: 'tool_call', ...sourceOf(session, 'part', part), context: where, callId: outcome.callID, tool: outcome.tool, ok: outcome.ok,
      ...(outcome.exitCode === undefined ? {} : { exitCode: outcome.exitCode }),
      ...(command === undefined ? {} : { shell: { command, output: outcome.output, workdir: resolve(session.directory, workdir ?? '.'), reportedHashes: [], startedAt: timestamp(started) } }),
    }
  }
  // The user messages of slash-command turns, known by the prompt the plugin put in their place.
  const commandTurns = new Set(session.parts.flatMap((part) => (part.type === 'text' && typeof part.text === 'string' && isOpencodeCommandTurnPrompt(part.text) ? [String(part.messageID)] : [])))
  for (const message of session.messages) {
    if (typeof message.parentID === 'string' && commandTurns.has(message.parentID)) continue
    const usage = opencodeMessageUsage(message)
    const at = timestamp(fields(message.time)?.completed)
    const where = usage === undefined || at === undefined ? undefined : context(usage.id, at)
    const known = usage === undefined ? undefined : setups.get(usage.id)
    if (usage === undefined || where === undefined || known === undefined) continue
    yield { kind: 'usage', ...sourceOf(session, 'message', message), context: where, responseIds: [usage.id], tokens: usage.tokens, hostCost: usage.cost, provider: known.provider, model: known.model, message: usage.id }
  }
}

function sourceOf(session: OpencodeSession, kind: 'message' | 'part', record: Fields): { source?: HistorySource } {
  return session.sourceOf === undefined ? {} : { source: session.sourceOf(kind, record) }
}
