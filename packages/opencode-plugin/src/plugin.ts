import { resolve } from 'node:path'
import type { Hooks, PluginInput } from '@opencode-ai/plugin'
import { projectRoot } from '@agent-tracker/node-host/project-root'
import { agentTools } from './agent-tools.js'
import { chatParamsHook } from './chat-params-hook.js'
import { configHook } from './config-hook.js'
import { eventHook } from './event-hook.js'
import type { NotifyClient } from './notifier.js'
import { createNotifier } from './notifier.js'
import type { OpeningRuntime } from './open-runtime.js'
import { openRuntime, pausedNotice } from './open-runtime.js'
import type { PluginSettings } from '@agent-tracker/node-host/opencode-options'
import { protectionOfOptions, readPluginOptions } from '@agent-tracker/node-host/opencode-options'
import { inPluginTerms } from './plugin-errors.js'
import { slashCommandHook } from './slash-command-hook.js'
import { pausedToolGuardHook, toolGuardHook } from './tool-guard-hook.js'
import { toolResultHook } from './tool-result-hook.js'
import { createTrackerContext } from './tracker-context.js'

/**
 * The plugin's server: reads the options and returns the hooks at once; the central database is
 * opened in the background, long before the first fact arrives. Bad options or an unusable
 * database pause tracking (one toast and log line); the session keeps working and secrets stay
 * protected.
 */
export async function agentTrackerServer(input: PluginInput, options?: Record<string, unknown>): Promise<Hooks> {
  await Promise.resolve()
  return startTracking(input.client, resolve(input.directory), options).hooks
}

/** The hooks, with the runtime being opened and its start-up work (which tests wait for). */
export interface Tracking extends OpeningRuntime {
  readonly hooks: Hooks
}

/** How long OpenCode's exit (`dispose`) waits for the last write when another process holds the database's write lock. */
export const DISPOSE_WAIT_MS = 5000

/**
 * Composes the plugin for the folder OpenCode runs in: options → runtime → hooks. Work is recorded
 * under the project holding that folder — the git work tree root (`projectRoot`), so a session
 * started in `shop/src` works on `shop` — not OpenCode's `worktree`, which is `/` outside git.
 * Never throws.
 */
export function startTracking(client: NotifyClient, directory: string, options: unknown): Tracking {
  const project = projectRoot(directory)
  const notifier = createNotifier(client)
  let settings: PluginSettings
  try {
    settings = readPluginOptions(options)
  } catch (error) {
    pausedNotice(notifier, inPluginTerms(error))
    // The user's own protected files stay guarded while other options keep tracking paused.
    return { hooks: { 'tool.execute.before': pausedToolGuardHook({ notifier, directory }, protectionOfOptions(options)) }, runtime: Promise.resolve(undefined), startup: Promise.resolve() }
  }
  const opening = openRuntime(settings, project, notifier, directory)
  const context = createTrackerContext(settings, project, opening.runtime, notifier, directory)
  const hooks: Hooks = {
    event: eventHook(context),
    'chat.params': chatParamsHook(context.sessions, context.commandTurns, notifier),
    'tool.execute.before': toolGuardHook(context),
    'tool.execute.after': toolResultHook(context),
    'command.execute.before': slashCommandHook(context),
    config: configHook(notifier),
    tool: agentTools(context),
    // Another process may hold the database's write lock for as long as it likes: OpenCode's exit
    // waits for the last write DISPOSE_WAIT_MS at most, and the log says how many facts it lost.
    dispose: context.whenTracking('dispose', async (runtime) => {
      await context.settled()
      await runtime.close({ waitMs: DISPOSE_WAIT_MS })
    }),
  }
  return { ...opening, hooks }
}
