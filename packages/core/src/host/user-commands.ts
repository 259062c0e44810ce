import { GRADE_USAGE } from './grade-arguments.js'

/**
 * The commands only the user gives (in OpenCode as slash commands): grading, bug reports and
 * reinstatement are the user's channel, so no agent tool offers them. `usage` is given for
 * commands that take arguments.
 */
export const USER_COMMANDS: Readonly<Record<'grade' | 'bug' | 'reinstate' | 'tracker', { readonly description: string; readonly usage?: string }>> = {
  grade: { description: 'grade the latest commit', usage: GRADE_USAGE },
  bug: { description: 'report a bug in the agent’s work', usage: '/bug [note | confirm <handle> | dismiss <handle>]' },
  reinstate: { description: 'let a halted agent work again' },
  tracker: { description: 'show the agent’s status card' },
}

/** A user command's name. */
export type UserCommand = keyof typeof USER_COMMANDS

/** True for the name of a user command (without its slash). */
export function isUserCommand(name: string): name is UserCommand {
  return Object.hasOwn(USER_COMMANDS, name)
}
