import { hostFactId } from '@agent-tracker/core'

/** The parts of OpenCode events the plugin reads, checked at run time (the SDK's types lag the runtime). */

type Fields = Readonly<Record<string, unknown>>

function fields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null ? (value as Fields) : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0
}

/** An event's type and properties. */
export function eventOf(value: unknown): { type: string; properties: Fields } | undefined {
  const event = fields(value)
  const type = text(event?.type)
  return type === undefined ? undefined : { type, properties: fields(event?.properties) ?? {} }
}

/** Agent and model of a message, user or assistant. */
export function messageSetup(info: Fields): { sessionID: string; agent?: string; providerID?: string; modelID?: string } | undefined {
  const sessionID = text(info.sessionID)
  if (sessionID === undefined) return undefined
  const model = fields(info.model)
  const agent = text(info.agent) ?? text(info.mode)
  const providerID = text(info.providerID) ?? text(model?.providerID)
  const modelID = text(info.modelID) ?? text(model?.modelID)
  return { sessionID, ...(agent === undefined ? {} : { agent }), ...(providerID === undefined ? {} : { providerID }), ...(modelID === undefined ? {} : { modelID }) }
}

/** A finished assistant message's id, tokens and cost; undefined while it is still running. */
export function finishedUsage(info: Fields): { id: string; tokens: { input: number; output: number; reasoning: number; cacheRead: number; cacheWrite: number }; cost: number } | undefined {
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

/** A tool part that ended in an error (a tool that threw, or one the plugin blocked), with the call's id when it has one. */
export function failedToolPart(part: Fields): { id: string; sessionID: string; tool: string; callID?: string } | undefined {
  const id = text(part.id)
  const sessionID = text(part.sessionID)
  const tool = text(part.tool)
  const callID = text(part.callID)
  if (part.type !== 'tool' || fields(part.state)?.status !== 'error' || id === undefined || sessionID === undefined || tool === undefined) return undefined
  return { id, sessionID, tool, ...(callID === undefined ? {} : { callID }) }
}

/**
 * The id of a fact OpenCode's own ids identify — `opencode:<sessionID>:<callID>` for a tool call,
 * `opencode:<messageID>` for a message's usage — so the same call or message is counted once
 * however often it is recorded; undefined (a fresh id) when a part is missing.
 */
export function openCodeFactId(...parts: readonly (string | undefined)[]): string | undefined {
  if (parts.some((part) => part === undefined || part.trim() === '')) return undefined
  return hostFactId('opencode', ...(parts as string[]))
}

/** The properties object's field as an object. */
export function field(properties: Fields, name: string): Fields | undefined {
  return fields(properties[name])
}

/** The properties object's field as text. */
export function textField(properties: Fields, name: string): string | undefined {
  return text(properties[name])
}
