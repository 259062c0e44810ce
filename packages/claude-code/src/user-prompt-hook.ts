import { join } from 'node:path'
import { isUserCommand } from '@agent-tracker/core/host'
import type { Tracker } from '@agent-tracker/node-host'
import { runUserCommand } from '@agent-tracker/node-host'
import { claudeCodeFolder } from './claude-code-folder.js'
import { usersOwnCommands } from './command-files.js'
import type { HookInput } from './hook-input.js'
import type { HookOptions } from './hook-options.js'
import { hookDatabasePath, hookProject, hookSetup } from './hook-options.js'
import type { HookReply } from './hook-reply.js'
import { blockPrompt } from './hook-reply.js'
import { lastDetachedFailure } from './detached-outcome.js'
import { withHookReads, withHookTracker } from './open-hook-tracker.js'
import { pendingFolder } from './pending-facts.js'

/**
 * `UserPromptSubmit`: the user's own `/grade`, `/bug`, `/reinstate` and `/tracker` — only a user
 * types a prompt, and the installed command files keep the model from invoking them — run about
 * the session's setup (else the one that last worked in the project), and kept from the model: the
 * prompt is blocked with the outcome, which Claude Code shows the user. The tool hooks' pending facts
 * are written first, so a commit just made can be graded. A name the user has a command file of
 * their own for (which install kept) is left to it.
 */
export async function userPromptHook(input: HookInput, options: HookOptions): Promise<HookReply> {
  const prompt = typeof input.fields.prompt === 'string' ? input.fields.prompt : ''
  const [, name = '', args = ''] = /^\s*\/([\w-]+)\s*(.*)$/s.exec(prompt) ?? []
  if (!isUserCommand(name)) return { exitCode: 0 }
  // A command file of the user's own by that name (in the project's or the user's commands) is theirs: Claude Code runs it.
  const projects = [...new Set([input.cwd, hookProject(input, options)])]
  const folders = [...projects.map((project) => claudeCodeFolder({ global: false, project })), claudeCodeFolder({ global: true, env: options.env, homeDir: options.homeDir })]
  if (folders.some((folder) => usersOwnCommands(join(folder, 'commands')).includes(name))) return { exitCode: 0 }
  const command = (tracker: Tracker): Promise<string> => runUserCommand(tracker.service, tracker.buffer, { command: name, arguments: args, project: tracker.project, session: input.session, sessionSetup: hookSetup(input, options) })
  try {
    const { writeElsewhere } = options
    if (writeElsewhere === undefined) return blockPrompt(`[agent-tracker] ${await withHookTracker(input, options, command)}`)
    // Answered from this process, written by another: a write lock another process holds keeps the answer waiting 4 s at most.
    const asked = new Date()
    const { result, write } = await withHookReads(input, { ...options, writeElsewhere }, command)
    return blockPrompt(`[agent-tracker] ${result}${write === 'written' ? '' : ` ${notWrittenYet(write, hookDatabasePath(options), asked)}`}`)
  } catch (error) {
    return blockPrompt(`[agent-tracker] /${name} failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** What a user command's answer adds when what it recorded is not in the database yet, and why (a failure recorded since `asked`). */
function notWrittenYet(write: 'failed' | 'waiting', databasePath: string, asked: Date): string {
  const where = `It waits in ${pendingFolder(databasePath)} and is written with the next write that succeeds`
  if (write === 'waiting') return `(Not in the database yet: another process holds its write lock — an agent-tracker merge, import or doctor --repair, or a command stopped with Ctrl-Z. ${where}, counted once.)`
  return `(Not in the database yet: ${lastDetachedFailure(databasePath, asked)?.message ?? 'writing it failed'}. ${where}; agent-tracker doctor says more.)`
}
