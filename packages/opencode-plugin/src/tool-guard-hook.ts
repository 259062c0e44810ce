import type { ToolCallVerdict } from '@agent-tracker/core'
import { guardHaltedSetup, guardSecretFiles, runsGitCommit } from '@agent-tracker/core'
import type { Tracker } from '@agent-tracker/node-host'
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
 * The `tool.execute.before` hook: the `.env` guard, then the halt (block, or warn once per
 * session), then — for a bash call that runs `git commit` — HEAD is noted, so the commit can be
 * told afterwards. Only a {@link BlockedToolError} ever leaves it.
 */
export function toolGuardHook(context: TrackerContext): (input: BeforeInput, output: { args: unknown }) => Promise<void> {
  const { settings, sessions, notifier } = context
  const warnedHalted = new Set<string>()
  const enforceHalt = async (runtime: Tracker, input: BeforeInput): Promise<void> => {
    const setup = sessions.setupOf(input.sessionID)
    const verdict = guardHaltedSetup(input.tool, setup === undefined ? undefined : await runtime.service.getStatus(setup), settings.enforceHalt)
    enforce(verdict)
    if (verdict.action === 'warn' && !warnedHalted.has(input.sessionID)) {
      warnedHalted.add(input.sessionID)
      notifier.toast(verdict.message, 'warning')
    }
  }
  return guardHook(notifier, 'tool.execute.before', async (input: BeforeInput, output: { args: unknown }) => {
    if (settings.envProtection) enforce(guardSecretFiles(input.tool, output.args))
    const runtime = await context.runtime
    if (runtime === undefined) return
    if (settings.enforceHalt !== 'off' && !READ_ONLY_TOOLS.has(input.tool)) await enforceHalt(runtime, input)
    const command = bashCommand(output.args)
    if (input.tool === 'bash' && command !== undefined && runsGitCommit(command)) await context.commits.noteBefore(input.callID, command, bashWorkdir(output.args, context.project))
  }, (error) => error instanceof BlockedToolError)
}

/** The hooks while tracking is paused: nothing is recorded, secrets are still protected. */
export function pausedToolGuardHook(context: Pick<TrackerContext, 'notifier'>): (input: BeforeInput, output: { args: unknown }) => Promise<void> {
  return guardHook(context.notifier, 'tool.execute.before', (input: BeforeInput, output: { args: unknown }) => {
    enforce(guardSecretFiles(input.tool, output.args))
  }, (error) => error instanceof BlockedToolError)
}
