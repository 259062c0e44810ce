import { join } from 'node:path'
import { isTrackerHook, runsHookClaudeCode } from './tracker-hooks.js'
import { CLAUDE_CODE_HOOK_EVENTS } from './hook-input.js'
import type { ClaudeCodeHookEvent } from './hook-input.js'
import type { HookEntry, SettingsFileName } from './settings-file.js'
import { SettingsFileProblem, groupsOf, hooksOf, readSettingsFile } from './settings-file.js'

/** agent-tracker's hooks found in one Claude Code settings file. */
export interface InstalledHooks {
  readonly settingsFile: string
  /** Why the file could not be read; then nothing else is known. */
  readonly problem?: string
  /** The distinct commands agent-tracker's hooks run there (usually one). */
  readonly commands: readonly string[]
  /** The events agent-tracker handles that have none of its hooks there (all of them when it is not installed). */
  readonly missingEvents: readonly ClaudeCodeHookEvent[]
  /**
   * The events whose agent-tracker hook there sets no `timeout` (as earlier releases wrote all
   * but `SessionEnd`'s): Claude Code would wait its default for one that is stuck (600 s in current releases).
   */
  readonly untimedEvents: readonly ClaudeCodeHookEvent[]
  /**
   * Commands of other hooks there that run `hook claude-code` (`my-wrapper hook claude-code`): agent-tracker's
   * through a wrapper, as an earlier version wrote them unmarked for `--command`, or another tool's.
   */
  readonly lookalikes: readonly string[]
}

/** Reads which of agent-tracker's hooks the settings file `name` (`settings.json` unless given) in `folder` holds, and what they run. Never throws for a bad file: it says why in `problem`. */
export function installedClaudeCodeHooks(folder: string, name: SettingsFileName = 'settings.json'): InstalledHooks {
  let read
  try {
    read = readSettingsFile(folder, name)
  } catch (error) {
    const problem = error instanceof SettingsFileProblem ? `it is ${error.reason}` : `it cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`
    return { settingsFile: join(folder, name), problem, commands: [], missingEvents: [...CLAUDE_CODE_HOOK_EVENTS], untimedEvents: [], lookalikes: [] }
  }
  const hooks = hooksOf(read.settings)
  const entries = (event: string): HookEntry[] => groupsOf(hooks, event).flatMap((group) => group.hooks ?? [])
  const ofEvent = (event: string): string[] => entries(event).flatMap((hook) => (isTrackerHook(hook) ? [String(hook.command)] : []))
  const commands = [...new Set(Object.keys(hooks).flatMap(ofEvent))]
  const lookalikes = [...new Set(Object.keys(hooks).flatMap((event) => entries(event).flatMap((hook) => (!isTrackerHook(hook) && typeof hook.command === 'string' && runsHookClaudeCode(hook.command) ? [hook.command] : []))))]
  const untimed = (event: string): boolean => entries(event).some((hook) => isTrackerHook(hook) && typeof hook.timeout !== 'number')
  return { settingsFile: read.file, commands, missingEvents: CLAUDE_CODE_HOOK_EVENTS.filter((event) => ofEvent(event).length === 0), untimedEvents: CLAUDE_CODE_HOOK_EVENTS.filter(untimed), lookalikes }
}
