import { READ_ONLY_TOOLS } from './agent-tools.js'
import { bashCommand, bashWorkdir } from './commit-watch.js'
import { secretFileIn } from './env-protection.js'
import { runsGitCommit } from './git-events.js'
import { guardHook } from './hook-guard.js'
import type { TrackerContext } from './tracker-context.js'
import type { TrackerRuntime } from './tracker-runtime.js'

/** Thrown from `tool.execute.before` to stop a tool call; OpenCode shows the message to the agent. */
export class BlockedToolError extends Error {
  override readonly name = 'BlockedToolError'
}

/**
 * Stops a tool call that would touch a `.env`-style secret file.
 * @throws {BlockedToolError} naming the tool and the file, and what to do instead.
 */
export function blockSecretFiles(tool: string, args: unknown): void {
  const secret = secretFileIn(tool, args)
  if (secret !== undefined) {
    throw new BlockedToolError(`agent-tracker blocked this ${tool} call: it touches ${secret}, a secret env file. Use .env.example for placeholders, and ask the user for any value you need.`)
  }
}

type BeforeInput = { tool: string; sessionID: string; callID: string }

/**
 * The `tool.execute.before` hook: env protection, then halt enforcement (block, or warn once per
 * session), then — for a bash call that runs `git commit` — HEAD is noted, so the commit can be
 * told afterwards. Only a {@link BlockedToolError} ever leaves it.
 */
export function toolGuardHook(context: TrackerContext): (input: BeforeInput, output: { args: unknown }) => Promise<void> {
  const { settings, sessions, notifier } = context
  const warnedHalted = new Set<string>()
  const enforceHalt = async (runtime: TrackerRuntime, input: BeforeInput): Promise<void> => {
    const setup = sessions.setupOf(input.sessionID)
    const status = setup === undefined ? undefined : await runtime.service.getStatus(setup)
    if (status?.halted !== true || setup === undefined) return
    const why = `${setup} is halted: it lost all its skill points to reported bugs. The user can reinstate it with /reinstate (or: agent-tracker reinstate ${setup}).`
    if (settings.enforceHalt === 'block') throw new BlockedToolError(`agent-tracker blocked this ${input.tool} call. ${why} Stop working and tell the user.`)
    if (!warnedHalted.has(input.sessionID)) {
      warnedHalted.add(input.sessionID)
      notifier.toast(why, 'warning')
    }
  }
  return guardHook(notifier, 'tool.execute.before', async (input: BeforeInput, output: { args: unknown }) => {
    if (settings.envProtection) blockSecretFiles(input.tool, output.args)
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
    blockSecretFiles(input.tool, output.args)
  }, (error) => error instanceof BlockedToolError)
}
