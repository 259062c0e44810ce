import { isTrackerTool, isUserCommand, latestSetupIn, opencodeMessageSetup, opencodeMessageUsage, opencodeToolOutcome, toolCallFactId, usageFactId } from '@agent-tracker/core'
import type { Tracker } from '@agent-tracker/node-host'
import { eventOf, field, textField } from './event-shapes.js'
import type { TrackerContext } from './tracker-context.js'

/**
 * The `event` hook: learns each session's agent and model, records token usage of finished
 * messages, tools that threw (seen only as failed tool parts) and slash commands, toasts the
 * status card at session start, and flushes on `session.idle` and `session.deleted`.
 */
export function eventHook(context: TrackerContext): (input: { event: unknown }) => Promise<void> {
  const { sessions, project, commandTurns } = context
  const countedParts = new Set<string>()
  const countedMessages = new Set<string>()
  const handlers = new Map<string, (runtime: Tracker, properties: Readonly<Record<string, unknown>>) => Promise<void>>(Object.entries({
    'message.updated': async (runtime, properties) => {
      const info = field(properties, 'info')
      const seen = info === undefined ? undefined : opencodeMessageSetup(info)
      if (info === undefined || seen === undefined) return
      // The turn that answers the user's slash command is no setup's work.
      const messageID = textField(info, 'id')
      if (info.role === 'user' && messageID !== undefined && commandTurns.claim(seen.sessionID, messageID)) return
      if (info.role === 'assistant' && commandTurns.answers(textField(info, 'parentID'))) return
      sessions.observe(seen.sessionID, seen)
      const usage = opencodeMessageUsage(info)
      const setup = sessions.setupOf(seen.sessionID, seen.agent)
      if (usage === undefined || setup === undefined || countedMessages.has(usage.id)) return
      countedMessages.add(usage.id)
      await runtime.service.recordUsage({ id: usageFactId('opencode', usage.id), setup, project, session: seen.sessionID, tokens: usage.tokens, cost: usage.cost, message: usage.id })
    },
    'message.part.updated': async (runtime, properties) => {
      const part = field(properties, 'part')
      const failed = part === undefined ? undefined : opencodeToolOutcome(part)
      if (failed?.status !== 'error' || countedParts.has(failed.id) || isTrackerTool(failed.tool)) return
      countedParts.add(failed.id)
      const setup = sessions.setupOf(failed.sessionID)
      if (setup !== undefined) await runtime.service.recordToolCall({ id: toolCallFactId('opencode', failed.sessionID, failed.callID), setup, project, session: failed.sessionID, tool: failed.tool, ok: false })
    },
    'command.executed': async (runtime, properties) => {
      const sessionID = textField(properties, 'sessionID') ?? ''
      const name = textField(properties, 'name')
      if (name === undefined || isUserCommand(name)) return
      const setup = await context.setupForCommand(runtime, sessionID)
      if (setup !== undefined) await runtime.service.recordCommand({ setup, project, session: sessionID, command: name })
    },
    'session.created': async (runtime, properties) => {
      const info = field(properties, 'info')
      if (info?.parentID !== undefined && info.parentID !== null) return
      const latest = await latestSetupIn(runtime.buffer, project)
      if (latest !== undefined) await context.toastStatus(runtime, latest)
    },
    'session.idle': (runtime, properties) => {
      const sessionID = textField(properties, 'sessionID')
      if (sessionID !== undefined) commandTurns.settle(sessionID)
      return context.flush(runtime, 'session.idle')
    },
    'session.deleted': async (runtime, properties) => {
      await context.flush(runtime, 'session.deleted')
      const id = textField(field(properties, 'info') ?? {}, 'id')
      if (id !== undefined) sessions.forget(id)
    },
  }))
  return context.whenTracking('event', async (runtime, input: { event: unknown }) => {
    const event = eventOf((input as { event?: unknown } | undefined)?.event)
    const handler = event === undefined ? undefined : handlers.get(event.type)
    if (event !== undefined && handler !== undefined) await handler(runtime, event.properties)
  })
}
