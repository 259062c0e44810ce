import { homedir } from 'node:os'
import type { AgentStatus, ProtectedFiles, ToolCallPolicy, ToolCallVerdict } from '@agent-tracker/core'
import { guardToolCall, runsGitCommit, toAgentStatus } from '@agent-tracker/core'
import type { Tracker } from '@agent-tracker/node-host'
import { ProtectedFileIndex, resolveDatabasePath, resolveProtectedFiles } from '@agent-tracker/node-host/hooks'
import { READ_ONLY_TOOLS } from './agent-tools.js'
import { bashCommand, bashWorkdir } from './bash-args.js'
import { guardHook } from './hook-guard.js'
import type { TrackerContext } from './tracker-context.js'

/** Thrown from `tool.execute.before` to stop a tool call; OpenCode shows the message to the agent. */
export class BlockedToolError extends Error {
  override readonly name = 'BlockedToolError'
}

/**
 * Stops a tool call the kit's guard blocks (OpenCode stops a tool call by a throw).
 * @throws {BlockedToolError} with the verdict's message: what was blocked, why, and what to do instead.
 */
function enforce(verdict: ToolCallVerdict): void {
  if (verdict.action === 'block') throw new BlockedToolError(verdict.message)
}

type BeforeInput = { tool: string; sessionID: string; callID: string }

/**
 * The `tool.execute.before` hook: the kit's guard (`guardToolCall`: the user's channels, protected
 * files, then the halt — block, or warn once per session), then — for a bash call that runs
 * `git commit` — HEAD is noted, so the commit can be told afterwards. Only a
 * {@link BlockedToolError} ever leaves it.
 */
export function toolGuardHook(context: TrackerContext): (input: BeforeInput, output: { args: unknown }) => Promise<void> {
  const { settings, sessions, notifier, directory } = context
  const lookup = new ProtectedFileIndex(directory, settings.protection)
  if (settings.envProtection) lookup.warmUp()
  const policy: ToolCallPolicy = { envProtection: settings.envProtection, protectedFiles: settings.protection, lookup, enforceHalt: settings.enforceHalt }
  const warnedHalted = new Set<string>()
  const statusOf = async (runtime: Tracker | undefined, input: BeforeInput): Promise<AgentStatus | undefined> => {
    if (settings.enforceHalt === 'off' || READ_ONLY_TOOLS.has(input.tool)) return undefined
    const setup = sessions.setupOf(input.sessionID)
    if (setup === undefined) return undefined
    if (runtime !== undefined) return runtime.service.getStatus(setup)
    // Paused (a database it can read but not write, say): the halt is still read, one record, without opening the store.
    try {
      // Imported here: LMDB is loaded in the background at start-up, never before the hooks exist.
      const { peekRecord } = await import('@agent-tracker/lmdb-store/peek')
      const record = peekRecord(resolveDatabasePath({ databasePath: settings.databasePath, env: process.env, homeDir: homedir() }), 'setups', [setup])
      return record === undefined ? undefined : toAgentStatus(record, settings.rules)
    } catch {
      return undefined
    }
  }
  return guardHook(notifier, 'tool.execute.before', async (input: BeforeInput, output: { args: unknown }) => {
    const cwd = input.tool === 'bash' ? bashWorkdir(output.args, directory) : directory
    const runtime = await context.runtime
    const verdict = guardToolCall({ tool: input.tool, args: output.args, cwd, status: await statusOf(runtime, input) }, policy)
    enforce(verdict)
    if (verdict.action === 'warn' && !warnedHalted.has(input.sessionID)) {
      warnedHalted.add(input.sessionID)
      notifier.toast(verdict.message, 'warning')
    }
    const command = bashCommand(output.args)
    if (runtime !== undefined && input.tool === 'bash' && command !== undefined && runsGitCommit(command)) await context.commits.noteBefore(input.callID, command, bashWorkdir(output.args, directory))
  }, (error) => error instanceof BlockedToolError)
}

/**
 * The hooks while tracking is paused (bad options): nothing is recorded; secrets and the user's
 * channels are still guarded — the protected files the options name where that option itself is
 * good (see `protectionOfOptions`), else the defaults.
 */
export function pausedToolGuardHook(context: Pick<TrackerContext, 'notifier' | 'directory'>, protection: ProtectedFiles = resolveProtectedFiles([])): (input: BeforeInput, output: { args: unknown }) => Promise<void> {
  const policy: ToolCallPolicy = { protectedFiles: protection, lookup: new ProtectedFileIndex(context.directory, protection), enforceHalt: 'off' }
  return guardHook(context.notifier, 'tool.execute.before', (input: BeforeInput, output: { args: unknown }) => {
    enforce(guardToolCall({ tool: input.tool, args: output.args, cwd: input.tool === 'bash' ? bashWorkdir(output.args, context.directory) : context.directory }, policy))
  }, (error) => error instanceof BlockedToolError)
}
