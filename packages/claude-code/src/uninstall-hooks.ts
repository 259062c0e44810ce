import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { commandFileRemovals } from './command-files.js'
import type { FileChange } from './file-changes.js'
import { applyFileChanges } from './file-changes.js'
import { isTrackerHook } from './tracker-hooks.js'
import type { HookEntry, SettingsFile, SettingsFileName } from './settings-file.js'
import { SETTINGS_FILE_NAMES, groupsOf, hooksOf, readSettingsFile, settingsText } from './settings-file.js'

/** What was removed from one settings file. */
export interface RemovedHooks {
  readonly settingsFile: string
  /** False when the file held none of agent-tracker's hooks (it is then left as it is, or not created). */
  readonly changed: boolean
  /** How many of agent-tracker's hooks were removed. */
  readonly removedHooks: number
  /** True when the file held nothing else (as install leaves a file it made), so the file was removed. */
  readonly fileRemoved?: true
}

/** What an uninstall removed. */
export interface UninstallResult {
  /** Each settings file looked at, in the order given. */
  readonly settingsFiles: readonly RemovedHooks[]
  /** False when there was nothing of agent-tracker's to remove from any of them. */
  readonly changed: boolean
  /** How many of agent-tracker's hooks were removed, in all. */
  readonly removedHooks: number
  /** agent-tracker's user command files removed (`commands/grade.md`, …); the user's own files of the same name stay. */
  readonly commandFiles: readonly string[]
  /** True when Claude Code's folder held nothing else, so it was removed too (as install made it). */
  readonly folderRemoved?: true
}

/**
 * Removes agent-tracker's hooks from the settings files `settingsFileNames` (default: both
 * `settings.json` and `settings.local.json`) in `folder` — whatever command they run, and also
 * unmarked ones running exactly one of `commands` (an earlier version wrote its hooks unmarked,
 * and a wrapper given with `--command` need not name agent-tracker) — and its user command files,
 * keeping every other setting, hook and command file and each file's indentation. An event (or
 * `hooks` itself) left empty by the removal goes too; so does a settings file left holding nothing
 * (as install leaves one it made), and the folder itself when nothing else is left in it. All of it
 * is done, or nothing.
 * @throws {SettingsFileProblem} when a settings file is not a JSON object; {FileChangeProblem}
 * when a file cannot be written or removed (then nothing is changed).
 */
export function uninstallClaudeCodeHooks(options: { readonly folder: string; readonly settingsFileNames?: readonly SettingsFileName[]; readonly commands?: readonly string[] }): UninstallResult {
  // Every file is read, and every change checked, before any is made: a bad one changes nothing.
  const reads = (options.settingsFileNames ?? SETTINGS_FILE_NAMES).map((name) => readSettingsFile(options.folder, name))
  const removals = reads.map((read) => trackerHooksRemoval(read, options.commands ?? []))
  const commands = join(options.folder, 'commands')
  const commandFiles = commandFileRemovals(commands)
  const changes = [...removals.flatMap((removal) => removal.changes), ...commandFiles.changes]
  const emptied = leftEmpty(options.folder, changes)
  applyFileChanges([...changes, ...(emptied ? [{ kind: 'remove-folder', folder: options.folder } as const] : [])])
  const settingsFiles = removals.map((removal) => removal.removed)
  const removedHooks = settingsFiles.reduce((sum, file) => sum + file.removedHooks, 0)
  return { settingsFiles, changed: removedHooks > 0, removedHooks, commandFiles: commandFiles.files, ...(emptied ? { folderRemoved: true as const } : {}) }
}

/** True when `changes` remove everything `folder` holds (and remove something): the folder is left empty. */
function leftEmpty(folder: string, changes: readonly FileChange[]): boolean {
  const gone = new Set(changes.flatMap((change) => (change.kind === 'remove' ? [change.file] : change.kind === 'remove-folder' ? [change.folder] : [])))
  if (gone.size === 0) return false
  try {
    return readdirSync(folder).every((name) => gone.has(join(folder, name)))
  } catch {
    return false
  }
}

/**
 * Removes agent-tracker's hooks from the settings file `name` in `folder`, and nothing else (its
 * command files stay): for moving the hooks to the folder's other settings file.
 * @throws {SettingsFileProblem} when the file is not a JSON object; {FileChangeProblem} when it cannot be written (nothing is changed).
 */
export function removeClaudeCodeHooks(options: { readonly folder: string; readonly settingsFileName: SettingsFileName }): RemovedHooks {
  const removal = trackerHooksRemoval(readSettingsFile(options.folder, options.settingsFileName))
  applyFileChanges(removal.changes)
  return removal.removed
}

/** What removing agent-tracker's hooks from a settings file as read would remove, and the change to make for it (none when it holds none). */
export function trackerHooksRemoval(read: SettingsFile, commands: readonly string[] = []): { readonly removed: RemovedHooks; readonly changes: FileChange[] } {
  const ours = (hook: HookEntry): boolean => isTrackerHook(hook) || (typeof hook.command === 'string' && commands.includes(hook.command))
  const hooks: Record<string, unknown> = {}
  let removedHooks = 0
  const before = hooksOf(read.settings)
  for (const [event, entry] of Object.entries(before)) {
    const groups = groupsOf(before, event)
    const found = groups.reduce((sum, group) => sum + (group.hooks ?? []).filter(ours).length, 0)
    removedHooks += found
    if (found === 0) {
      hooks[event] = entry
      continue
    }
    const kept = groups
      .map((group) => ({ ...group, hooks: (group.hooks ?? []).filter((hook) => !ours(hook)) }))
      .filter((group) => group.hooks.length > 0)
    if (kept.length > 0) hooks[event] = kept
  }
  const removed = { settingsFile: read.file, changed: removedHooks > 0, removedHooks }
  if (removedHooks === 0) return { removed, changes: [] }
  const emptied = Object.keys(hooks).length === 0
  const settings = Object.fromEntries(Object.entries(read.settings).flatMap(([key, value]) => (key !== 'hooks' ? [[key, value]] : emptied ? [] : [[key, hooks]])))
  // Nothing but agent-tracker's hooks: the file goes, as install made it (or left nothing else in it).
  if (Object.keys(settings).length === 0) return { removed: { ...removed, fileRemoved: true }, changes: [{ kind: 'remove', file: read.file }] }
  return { removed, changes: [{ kind: 'write', file: read.file, text: settingsText(read, settings) }] }
}
