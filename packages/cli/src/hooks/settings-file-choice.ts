import type { SettingsFileName } from '@agent-tracker/claude-code'
import type { HookCommandChoice } from './hook-command-choice.js'

/** Why the hooks go into the settings file they go into. */
export type SettingsFileReason =
  /** `--global`: the user's own settings.json. */
  | 'global'
  /** `--local`: the project's personal settings.local.json, as asked. */
  | 'local-option'
  /** The command starts this copy by its full paths on this machine: personal. */
  | 'full-path-command'
  /** The command names this machine's database (`--db`): personal. */
  | 'database-path'
  /** The command runs the same on every machine: the project's shared settings.json. */
  | 'shared'

/** The settings file in Claude Code's folder the hooks go into, and why. */
export interface SettingsFileChoice {
  readonly name: SettingsFileName
  readonly reason: SettingsFileReason
}

/**
 * Where `hooks install claude-code` writes: the user's settings.json with `--global`; in a project,
 * its settings.local.json — personal, kept out of git — when asked (`--local`) or when the hook
 * command holds this machine's paths (the full-path command, a `--db`), which would break or leak
 * on a teammate's machine once settings.json is committed; else the shared settings.json (also for
 * a `--command`, taken to run anywhere).
 */
export function chooseSettingsFile(options: { readonly global: boolean; readonly local: boolean; readonly choice: HookCommandChoice; readonly databasePath: string | undefined }): SettingsFileChoice {
  if (options.global) return { name: 'settings.json', reason: 'global' }
  if (options.local) return { name: 'settings.local.json', reason: 'local-option' }
  if (options.databasePath !== undefined) return { name: 'settings.local.json', reason: 'database-path' }
  if (options.choice.kind === 'full-path') return { name: 'settings.local.json', reason: 'full-path-command' }
  return { name: 'settings.json', reason: 'shared' }
}

/** Why the hooks went into a project's personal settings.local.json, in words; undefined for the other reasons. */
export function personalReason(reason: SettingsFileReason): string | undefined {
  switch (reason) {
    case 'local-option': return 'as asked with --local'
    case 'full-path-command': return "the command starts this copy by its paths on this machine, which would not start on a teammate's once settings.json is committed"
    case 'database-path': return "the command names this machine's database (--db), which would not exist on a teammate's machine once settings.json is committed, and shows where yours is"
    case 'global':
    case 'shared': return undefined
  }
}
