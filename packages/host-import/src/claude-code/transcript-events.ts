import { readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { HostEventContext, SetupIdentity } from '@agent-tracker/core'
import {
  CLAUDE_CODE_SYNTHETIC_MODEL,
  claudeCodeCommand,
  claudeCodeResultOutcome,
  claudeCodeResultText,
  claudeCodeSetupParts,
  claudeCodeShellResult,
  claudeCodeTokens,
  formatSetupId,
} from '@agent-tracker/core'
import { projectRoot } from '@agent-tracker/node-host/project-root'
import { historyFiles } from '../files/find-files.js'
import type { FilePosition, LineStart } from '../files/jsonl-lines.js'
import { JsonLinesFile } from '../files/jsonl-lines.js'
import { mergedByTime } from '../files/merge-by-time.js'
import { fields, text, timestamp } from '../read-values.js'
import type { HistoryEvent, HistoryToolCall, HistoryUsage, ReadOptions } from '../history-events.js'

/** How a transcript is read: everything (an import), or only the usage of its responses (the live Stop hook). */
export interface TranscriptOptions extends ReadOptions {
  readonly only?: 'usage' | undefined
  /**
   * Go on from where an earlier read of the file stopped (the position it returned); the whole file
   * when the file there is another one, was rewritten or is shorter.
   */
  readonly from?: FilePosition | undefined
}

/** The agent type of subagent transcripts whose `.meta.json` names none (older Claude Code kept them in the session's file). */
export const UNNAMED_SUBAGENT = 'claude-code-subagent'

/**
 * Reads Claude Code's transcripts — `projects/<folder>/<session>.jsonl` and each subagent's
 * `<session>/subagents/agent-<id>.jsonl` — under the given folders (or the given files), streamed,
 * in the order things happened across them (see `mergedByTime`): the files are named by random
 * session ids, so an amend in one session must not be read before the commit another made.
 */
export function claudeCodeHistory(paths: readonly string[], options: Omit<TranscriptOptions, 'from'> = {}): AsyncGenerator<HistoryEvent> {
  const files = historyFiles(paths, (name) => name.endsWith('.jsonl'), options.since)
  return mergedByTime(files, (file) => transcriptEvents(file, options))
}

/**
 * The events of one transcript: each tool call that ran, when its result arrives (a call that
 * never ran — refused input, blocked, denied — is none, as the live hooks see it), then the usage
 * of each response, once per message and request id (Claude Code writes a line per content block).
 * Returns where to go on from another time (`from`): the first line of the last response, which
 * later lines may add to, and of any call whose result has not come yet (none with
 * `only: 'usage'`) — else the end of the last complete line (one being written is read again).
 * Reading those lines again counts nothing twice: fact ids come from the responses' and calls' ids
 * (so a store keeps the first count it took of a response).
 * @throws the file system's error when the file cannot be opened (ENOENT when it is missing).
 */
export async function* transcriptEvents(file: string, options: TranscriptOptions = {}): AsyncGenerator<HistoryEvent, FilePosition> {
  const identity = options.identity ?? 'agent+model'
  const subagentType = subagentTypeOf(file)
  const calls = new Map<string, { name: string; input: unknown; model: string; agent: string | undefined; at: string; start: LineStart }>()
  const usage = new Map<string, HistoryUsage>()
  // Where each response's first line starts, and the last response: where the next read goes on from.
  const firstLines = new Map<string, LineStart>()
  let lastResponse: LineStart | undefined
  let cwd: string | undefined
  const reader = await JsonLinesFile.open(file, options.from)
  try {
    let reached = reader.start
    for await (const read of reader.lines()) {
      if (read.end !== undefined) reached = { offset: read.end, line: read.line }
      if ('problem' in read) {
        yield read.wholeFile === true ? { kind: 'problem', file, reason: read.problem } : { kind: 'problem', file, line: read.line, reason: read.problem }
        continue
      }
      const line = fields(read.value)
      if (line === undefined) {
        // JSON, but no object (`[1,2,3]`, a number): no line of a transcript.
        yield { kind: 'problem', file, line: read.line, reason: 'a line that is no JSON object; it was left out' }
        continue
      }
      if (line.type !== 'assistant' && line.type !== 'user') continue
      cwd = text(line.cwd) ?? cwd
      const session = text(line.sessionId)
      const at = timestamp(line.timestamp)
      const message = fields(line.message)
      if (session === undefined || at === undefined || message === undefined || cwd === undefined) {
        yield { kind: 'problem', file, line: read.line, reason: `a ${line.type} line without ${session === undefined ? 'sessionId' : at === undefined ? 'a timestamp' : cwd === undefined ? 'cwd' : 'message'}; it was left out` }
        continue
      }
      const agent = line.isSidechain === true ? (subagentType ?? text(line.attributionAgent) ?? UNNAMED_SUBAGENT) : undefined
      const content = Array.isArray(message.content) ? (message.content as unknown[]) : []
      const start = { offset: read.start, line: read.line - 1 }
      if (line.type === 'assistant') {
        const model = text(message.model)
        if (model === undefined || model === CLAUDE_CODE_SYNTHETIC_MODEL) continue
        if (options.only !== 'usage') {
          for (const block of content.map(fields)) {
            const id = text(block?.id)
            if (block?.type === 'tool_use' && id !== undefined) calls.set(id, { name: text(block.name) ?? 'unknown', input: block.input, model, agent, at, start })
          }
        }
        const messageId = text(message.id)
        if (messageId === undefined || message.usage === undefined || (options.since !== undefined && at < options.since)) continue
        const requestId = text(line.requestId)
        const key = `${messageId}:${requestId ?? ''}`
        const unreadable = unreadableUsage(message.usage)
        if (unreadable !== undefined) {
          // Counted as 0, it would be a response of no tokens, and no one the wiser.
          yield { kind: 'problem', file, line: read.line, reason: `a response whose usage ${unreadable}; it was left out` }
          continue
        }
        lastResponse = firstLines.get(key) ?? start
        firstLines.set(key, lastResponse)
        const tokens = claudeCodeTokens(message.usage)
        const seen = usage.get(key)
        if (seen !== undefined) {
          // Older versions wrote partial output counts on a response's early lines.
          if (tokens.output > seen.tokens.output) usage.set(key, { ...seen, tokens: { ...seen.tokens, output: tokens.output } })
          continue
        }
        const costUSD = line.costUSD
        usage.set(key, {
          kind: 'usage',
          source: { file, line: read.line },
          context: context(session, cwd, at, model, agent, identity),
          responseIds: requestId === undefined ? [messageId] : [messageId, requestId],
          tokens,
          ...(typeof costUSD === 'number' && Number.isFinite(costUSD) && costUSD >= 0 ? { hostCost: costUSD } : {}),
          provider: 'anthropic',
          model,
          message: messageId,
        })
        continue
      }
      if (options.only === 'usage') continue
      for (const block of content.map(fields)) {
        const callId = text(block?.tool_use_id)
        const call = callId === undefined ? undefined : calls.get(callId)
        if (block?.type !== 'tool_result' || callId === undefined || call === undefined) continue
        calls.delete(callId)
        if (options.since !== undefined && at < options.since) continue
        const outcome = claudeCodeResultOutcome(block.is_error === true, block.content)
        if (!outcome.ran) continue
        const command = call.name === 'Bash' ? claudeCodeCommand(call.input) : undefined
        const event: HistoryToolCall = {
          kind: 'tool_call',
          source: { file, line: read.line },
          context: context(session, cwd, at, call.model, call.agent, identity),
          callId,
          tool: call.name,
          ok: outcome.ok,
          ...(outcome.exitCode === undefined ? {} : { exitCode: outcome.exitCode }),
          ...(command === undefined ? {} : { shell: { command, workdir: cwd, startedAt: call.at, ...claudeCodeShellResult(line.toolUseResult, claudeCodeResultText(block.content)) } }),
        }
        yield event
      }
    }
    yield* usage.values()
    const open = [...(lastResponse === undefined ? [] : [lastResponse]), ...[...calls.values()].map((call) => call.start)]
    return await reader.position(open.reduce((earliest, start) => (start.offset < earliest.offset ? start : earliest), reached))
  } finally {
    await reader.close()
  }
}

/** The context of an event; the project is the git work tree root of the folder the line was written in (see `projectRoot`). */
function context(session: string, project: string, at: string, model: string, agent: string | undefined, identity: SetupIdentity): HostEventContext {
  return { host: 'claude-code', session, project: projectRoot(project), at, setup: formatSetupId(claudeCodeSetupParts(model, agent), identity) }
}

/** The agent type a subagent transcript's `agent-<id>.meta.json` names, if the file is one. */
function subagentTypeOf(file: string): string | undefined {
  const name = basename(file)
  if (!name.startsWith('agent-') || basename(dirname(file)) !== 'subagents') return undefined
  try {
    const meta = fields(JSON.parse(readFileSync(join(dirname(file), name.replace(/\.jsonl$/, '.meta.json')), 'utf8')))
    return text(meta?.agentType)
  } catch {
    return undefined
  }
}

/** Token counts of a response's usage: what is wrong with one that is given but no count (`"input_tokens": "lots"`), or undefined. */
function unreadableUsage(usage: unknown): string | undefined {
  const given = fields(usage)
  if (given === undefined) return 'is no object'
  for (const name of ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens']) {
    const value = given[name]
    if (value !== undefined && value !== null && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) return `field "${name}" is ${JSON.stringify(value)}, no count of tokens`
  }
  return undefined
}
