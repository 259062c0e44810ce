import { basename, resolve } from 'node:path'
import { statSync } from 'node:fs'
import type { HostEventContext, SetupIdentity, TokenUsage } from '@agent-tracker/core'
import { NO_TOKENS, codexCallOutput, codexSetupParts, codexShellCall, codexTokens, formatSetupId, tokensSince } from '@agent-tracker/core'
import { projectRoot } from '@agent-tracker/node-host/project-root'
import { historyFiles } from '../files/find-files.js'
import { jsonLines } from '../files/jsonl-lines.js'
import { mergedByTime } from '../files/merge-by-time.js'
import type { Fields } from '../read-values.js'
import { fields, text, timestamp } from '../read-values.js'
import type { HistoryEvent, HistorySource, HistoryUsage, ReadOptions } from '../history-events.js'

/**
 * Reads Codex's rollouts (`sessions/YYYY/MM/DD/rollout-*.jsonl`) under the given folders (or the
 * given files), streamed, in the order things happened across them (see `mergedByTime`): a
 * rollout is named by the time its thread started, but threads run side by side (subagents,
 * several terminals), and an amend in one must not be read before the commit another made.
 */
export function codexHistory(paths: readonly string[], options: ReadOptions = {}): AsyncGenerator<HistoryEvent> {
  const files = oneCopyEach(historyFiles(paths, (name) => /^rollout-.*\.jsonl$/.test(name), options.since))
  return mergedByTime(files, (file) => rolloutEvents(file, options))
}

/**
 * One copy of each rollout: Codex moves a thread's file from `sessions` to `archived_sessions` (its
 * name, time and thread id, stays), and a copy left in both would read as two sessions of the same
 * work — counted once by the facts' ids, but twice in the import's summary. The larger copy, the
 * one a thread went on writing, is read.
 */
function oneCopyEach(files: readonly string[]): string[] {
  const chosen = new Map<string, { file: string; size: number }>()
  for (const file of files) {
    const name = basename(file)
    let size = 0
    try {
      size = statSync(file).size
    } catch {
      // Gone since it was found: the read says so.
    }
    const earlier = chosen.get(name)
    if (earlier === undefined || size > earlier.size) chosen.set(name, { file, size })
  }
  return [...chosen.values()].map((entry) => entry.file)
}

interface Thread {
  id: string
  provider?: string | undefined
  role?: string | undefined
  cwd?: string | undefined
  model?: string | undefined
}

/**
 * The events of one rollout (one thread; a subagent has its own): each tool call when its output
 * arrives, and the usage of each response — from `token_usage_record` lines (one per response,
 * with its id) where Codex writes them, else from the growth of the thread's cumulative
 * `token_count` totals.
 */
export async function* rolloutEvents(file: string, options: ReadOptions = {}): AsyncGenerator<HistoryEvent> {
  const identity = options.identity ?? 'agent+model'
  const calls = new Map<string, { name: string; args: unknown; at: string; model: string | undefined }>()
  const exitCodes = new Map<string, number>()
  const counted: HistoryUsage[] = []
  let thread: Thread | undefined
  let records = false
  let total: TokenUsage = NO_TOKENS
  const skipped = (at: string): boolean => options.since !== undefined && at < options.since
  for await (const read of jsonLines(file)) {
    if ('problem' in read) {
      // A file that is no JSON-lines file at all is said to be so once, not also to lack a session_meta line.
      if (read.wholeFile === true) {
        yield { kind: 'problem', file, reason: read.problem }
        return
      }
      yield { kind: 'problem', file, line: read.line, reason: read.problem }
      continue
    }
    const line = fields(read.value)
    const payload = fields(line?.payload)
    const at = timestamp(line?.timestamp)
    if (line === undefined || payload === undefined || at === undefined) {
      yield { kind: 'problem', file, line: read.line, reason: 'not a rollout line ({timestamp, type, payload}); it was left out' }
      continue
    }
    if (line.type === 'session_meta') {
      thread = threadOf(payload) ?? thread
      continue
    }
    if (thread === undefined) continue
    const current = thread
    const where = (model: string | undefined): HostEventContext | undefined => contextOf(current, model, at, identity)
    switch (line.type) {
      case 'turn_context':
        thread.model = text(payload.model) ?? thread.model
        thread.cwd = text(payload.cwd) ?? thread.cwd
        break
      case 'response_item': {
        const callId = text(payload.call_id)
        if (callId === undefined) break
        if (payload.type === 'function_call' || payload.type === 'custom_tool_call' || payload.type === 'local_shell_call') {
          const local = payload.type === 'local_shell_call'
          calls.set(callId, { name: local ? 'local_shell' : (text(payload.name) ?? 'unknown'), args: local ? payload.action : (payload.arguments ?? payload.input), at, model: thread.model })
        } else if (payload.type === 'function_call_output' || payload.type === 'custom_tool_call_output') {
          const call = calls.get(callId)
          calls.delete(callId)
          const context = call === undefined || skipped(at) ? undefined : where(call.model)
          if (call === undefined || context === undefined) break
          const output = codexCallOutput(payload.output)
          const exitCode = exitCodes.get(callId) ?? output.exitCode
          exitCodes.delete(callId)
          const shell = codexShellCall(call.name, call.args)
          yield {
            kind: 'tool_call', source: { file, line: read.line }, context, callId, tool: call.name, ok: exitCode === undefined || exitCode === 0,
            ...(exitCode === undefined ? {} : { exitCode }),
            ...(shell === undefined ? {} : { shell: { command: shell.command, output: output.text, workdir: resolve(context.project, shell.workdir ?? '.'), reportedHashes: [], startedAt: call.at } }),
          }
        }
        break
      }
      case 'event_msg': {
        const item = fields(payload.item)
        if (payload.type === 'item_completed' && item?.type === 'CommandExecution' && typeof item.id === 'string' && typeof item.exit_code === 'number') exitCodes.set(item.id, item.exit_code)
        const info = fields(payload.info)
        if (payload.type !== 'token_count' || records || info?.total_token_usage === undefined) break
        const now = codexTokens(info.total_token_usage)
        const spent = tokensSince(now, total)
        total = now
        const context = where(thread.model)
        if (context !== undefined && !skipped(at) && Object.values(spent).some((count) => count > 0)) {
          counted.push(usageEvent(context, [thread.id, `line-${String(read.line)}`], spent, thread, { file, line: read.line }))
        }
        break
      }
      case 'token_usage_record': {
        records = true
        const responseId = text(payload.response_id)
        const context = where(thread.model)
        if (responseId !== undefined && context !== undefined && !skipped(at)) yield usageEvent(context, [thread.id, responseId], codexTokens(payload.usage), thread, { file, line: read.line })
        break
      }
    }
  }
  if (thread === undefined) {
    yield { kind: 'problem', file, reason: 'no session_meta line: not a Codex rollout, or cut off at its start; it was left out' }
    return
  }
  if (thread.model === undefined) yield { kind: 'problem', file, reason: 'no model recorded (Codex builds of early September 2025 wrote none); its calls and usage were left out' }
  // Rollouts that write per-response records repeat their totals in token_count lines: count one or the other.
  if (!records) yield* counted
}

function usageEvent(context: HostEventContext, responseIds: string[], tokens: TokenUsage, thread: Thread, source: HistorySource): HistoryUsage {
  return { kind: 'usage', source, context, responseIds, tokens, provider: thread.provider ?? 'openai', model: thread.model ?? '' }
}

function threadOf(meta: Fields): Thread | undefined {
  const id = text(meta.id)
  if (id === undefined) return undefined
  const spawn = fields(fields(fields(meta.source)?.subagent)?.thread_spawn)
  return { id, provider: text(meta.model_provider), role: text(spawn?.agent_role) ?? text(meta.agent_role), cwd: text(meta.cwd) }
}

function contextOf(thread: Thread, model: string | undefined, at: string, identity: SetupIdentity): HostEventContext | undefined {
  if (model === undefined || thread.cwd === undefined) return undefined
  return { host: 'codex', session: thread.id, project: projectRoot(thread.cwd), at, setup: formatSetupId(codexSetupParts(model, thread.provider, thread.role), identity) }
}
