import { claudeCodeFolder, installClaudeCodeHooks } from '@agent-tracker/claude-code'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'

/** Hosts `hooks install` sets up. */
export const HOOKED_HOSTS = ['claude-code'] as const

/**
 * `hooks install claude-code [--global]`: writes agent-tracker's hooks into Claude Code's
 * `settings.json` (the project's `.claude/`, or the user's with `--global`), keeping what is
 * there, and the `/grade`, `/bug`, `/reinstate` and `/tracker` commands.
 */
export function hooksInstallCommand(ctx: CommandContext, host: string, options: { global?: boolean; command?: string }): void {
  if (!(HOOKED_HOSTS as readonly string[]).includes(host)) throw new CliError('INVALID_HOST', `agent-tracker installs hooks for ${HOOKED_HOSTS.join(', ')}, not "${host}". OpenCode uses the plugin instead: agent-tracker init.`, EXIT.usage)
  const folder = options.global === true ? claudeCodeFolder({ global: true, env: ctx.io.env, homeDir: ctx.io.homeDir }) : claudeCodeFolder({ global: false, project: ctx.io.cwd })
  const db = ctx.databasePath
  const command = `${options.command ?? 'agent-tracker'} hook claude-code${db === undefined ? '' : ` --db ${JSON.stringify(db)}`}`
  let result
  try {
    result = installClaudeCodeHooks({ folder, command })
  } catch (error) {
    throw new CliError('INVALID_CONFIG', error instanceof Error ? error.message : String(error), EXIT.failure, { cause: error })
  }
  ctx.print({ ...result, command }, () => [
    result.changed ? `Installed agent-tracker's Claude Code hooks in ${result.settingsFile} (command: ${command}).` : `agent-tracker's Claude Code hooks are already in ${result.settingsFile}; nothing changed.`,
    `User commands ${result.commandFiles.length === 0 ? 'were not written (files of the same name exist)' : `/grade, /bug, /reinstate and /tracker: ${result.commandFiles.map((file) => file.split('/').at(-1)).join(', ')}`}.`,
    'Claude Code reads them when a session starts. To bring in earlier sessions: agent-tracker import claude-code.',
  ].join('\n'))
}
