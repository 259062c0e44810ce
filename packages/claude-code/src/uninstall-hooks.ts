import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { removeCommandFiles } from './command-files.js'
import { isTrackerHook } from './install-hooks.js'
import { groupsOf, hooksOf, readSettingsFile, settingsText } from './settings-file.js'

/** What an uninstall removed. */
export interface UninstallResult {
  readonly settingsFile: string
  /** False when there was nothing of agent-tracker's to remove from settings.json. */
  readonly changed: boolean
  /** How many of agent-tracker's hooks were removed. */
  readonly removedHooks: number
  /** agent-tracker's user command files removed (`commands/grade.md`, …); the user's own files of the same name stay. */
  readonly commandFiles: readonly string[]
}

/**
 * Removes agent-tracker's hooks from Claude Code's `settings.json` in `folder` — whatever command
 * they run — and its user command files, keeping every other setting, hook and command file and
 * the file's indentation. An event (or `hooks` itself) left empty by the removal goes too.
 * @throws {Error} when settings.json is not a JSON object (nothing is changed).
 */
export function uninstallClaudeCodeHooks(options: { readonly folder: string }): UninstallResult {
  const read = readSettingsFile(options.folder)
  const hooks: Record<string, unknown> = {}
  let removedHooks = 0
  const before = hooksOf(read.settings)
  for (const [event, entry] of Object.entries(before)) {
    const groups = groupsOf(before, event)
    const ours = groups.reduce((sum, group) => sum + (group.hooks ?? []).filter((hook) => isTrackerHook(hook.command)).length, 0)
    removedHooks += ours
    if (ours === 0) {
      hooks[event] = entry
      continue
    }
    const kept = groups
      .map((group) => ({ ...group, hooks: (group.hooks ?? []).filter((hook) => !isTrackerHook(hook.command)) }))
      .filter((group) => group.hooks.length > 0)
    if (kept.length > 0) hooks[event] = kept
  }
  if (removedHooks > 0) {
    const emptied = Object.keys(hooks).length === 0
    const settings = Object.fromEntries(Object.entries(read.settings).flatMap(([key, value]) => (key !== 'hooks' ? [[key, value]] : emptied ? [] : [[key, hooks]])))
    writeFileSync(read.file, settingsText(read, settings))
  }
  return { settingsFile: read.file, changed: removedHooks > 0, removedHooks, commandFiles: removeCommandFiles(join(options.folder, 'commands')) }
}
