import { noteHookWorkRecorded, recordDetachedOutcome, recordSearchBuildFailure, succeeded } from './detached-outcome.js'
import type { HookInput } from './hook-input.js'
import { hookEventName, readHookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import type { HookReply } from './hook-reply.js'
import { trackingFailed } from './hook-reply.js'

/**
 * Handles one Claude Code hook event, given the JSON Claude Code wrote on the hook's stdin, and
 * says what to answer. Each event loads only what it needs: a prompt that is no user command and
 * the `.env` guard load no database. Never throws: a failure of agent-tracker is a non-blocking
 * hook error, and Claude Code goes on.
 */
export async function runClaudeCodeHook(stdin: string, options: HookOptions): Promise<HookReply> {
  let input: HookInput | undefined
  try {
    input = readHookInput(stdin)
    if (input === undefined) return { exitCode: 0 }
    switch (input.event) {
      case 'UserPromptSubmit':
        if (!/^\s*\//.test(typeof input.fields.prompt === 'string' ? input.fields.prompt : '')) return { exitCode: 0 }
        return await (await import('./user-prompt-hook.js')).userPromptHook(input, options)
      case 'PreToolUse':
        return await (await import('./pre-tool-use-hook.js')).preToolUseHook(input, options)
      case 'PostToolUse':
      case 'PostToolUseFailure':
        return await (await import('./post-tool-use-hook.js')).postToolUseHook(input, options)
      case 'Stop':
      case 'SubagentStop':
      case 'SessionEnd':
        return await (await import('./usage-hook.js')).usageHook(input, options)
    }
  } catch (error) {
    return trackingFailed(error)
  }
}

/** How long a detached run carries on a search-index build under way, by default: one minute, then the next run goes on. */
const SEARCH_BUILD_BUDGET_MS = 60_000

/** How a detached run goes about its work beyond the hook's (internal: tests make it short). */
export interface DetachedWork {
  /** How long it carries on a search-index build under way after the hook's work; default 60 s. */
  readonly searchBuildMs?: number | undefined
  /** When (`Date.now()`) the build must have stopped, however long the hook's work took: the worker's time limit, less a margin. */
  readonly searchBuildDeadline?: number | undefined
}

/**
 * The work of a hook run detached from Claude Code — what `Stop` and `SubagentStop` hand theirs to
 * (`agent-tracker hook claude-code --detached`), so that nothing of it keeps Claude Code waiting:
 * the hook's own work ({@link runClaudeCodeHook}), how it ended written down beside the database
 * (`recordDetachedOutcome`, for `doctor`), and then, when that work succeeded and a search-index
 * build is under way (a database upgraded from schema 2), the build carried on a step at a time
 * for up to `searchBuildMs` (see `carrySearchBuildOn`), so that searches made from Claude Code
 * alone come to read the indexes. Never throws: a failure of the build is written down beside the
 * database too, and the answer is the hook's.
 */
export async function runDetachedHook(stdin: string, options: HookOptions, work: DetachedWork = {}): Promise<HookReply> {
  const reply = await runClaudeCodeHook(stdin, options)
  try {
    const { hookDatabasePath } = await import('./hook-options.js')
    const databasePath = hookDatabasePath(options)
    const event = hookEventName(stdin) ?? 'unknown'
    recordDetachedOutcome(databasePath, event, reply)
    noteHookWorkRecorded()
    // After a failure, the build waits for a run whose own work succeeded (its failure stays the one written down);
    // an event the hook does not handle names no project to open the database for.
    const input = succeeded(reply) ? readHookInput(stdin) : undefined
    if (input === undefined) return reply
    const { carrySearchBuildOn } = await import('./search-build.js')
    const budgetMs = Math.max(0, Math.min(work.searchBuildMs ?? SEARCH_BUILD_BUDGET_MS, (work.searchBuildDeadline ?? Number.POSITIVE_INFINITY) - Date.now()))
    const built = await carrySearchBuildOn(input, options, budgetMs)
    if (built.kind === 'failed') recordSearchBuildFailure(databasePath, event, built.error)
  } catch {
    // Nowhere to write down how it went (no database path, a folder that cannot be written): the next run tries again.
  }
  return reply
}

/**
 * The work of `agent-tracker hook claude-code --write-pending`, a process of its own that a hook
 * Claude Code waits for starts (see `HookOptions.writeElsewhere`): writes the facts waiting in the
 * pending folder, `stdin` being that hook's event, and writes down how it ended beside the
 * database, as a detached run does (for `doctor`, and for the hook's answer when it ends in time).
 * Never throws.
 */
export async function runPendingWrite(stdin: string, options: HookOptions): Promise<HookReply> {
  let reply: HookReply
  try {
    const input = readHookInput(stdin)
    if (input === undefined) return { exitCode: 0 }
    const { withHookTracker } = await import('./open-hook-tracker.js')
    await withHookTracker(input, options, () => Promise.resolve())
    reply = { exitCode: 0 }
  } catch (error) {
    reply = trackingFailed(error)
  }
  try {
    const { hookDatabasePath } = await import('./hook-options.js')
    recordDetachedOutcome(hookDatabasePath(options), hookEventName(stdin) ?? 'unknown', reply)
    noteHookWorkRecorded()
  } catch {
    // Nowhere to write down how it went: the next run tries again.
  }
  return reply
}

export { hookWorkRecorded, recordDetachedOutcome } from './detached-outcome.js'
export type { PendingWrite } from './hook-options.js'
