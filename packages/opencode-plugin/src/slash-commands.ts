import type { Grade } from '@agent-tracker/core'
import { parseGrade } from '@agent-tracker/core'

/** The slash commands the plugin registers, with what OpenCode shows for them. */
export const SLASH_COMMANDS = {
  grade: { description: 'agent-tracker: grade the latest commit — /grade [agent-grade] <your-grade> [note]', template: 'The user graded the latest commit: $ARGUMENTS' },
  bug: { description: 'agent-tracker: report a bug in the agent’s work — /bug [note]', template: 'The user reported a bug: $ARGUMENTS' },
  reinstate: { description: 'agent-tracker: let a halted agent work again', template: 'The user reinstated the agent.' },
  tracker: { description: 'agent-tracker: show the agent’s status card', template: 'Show the agent-tracker status.' },
} as const

/** A slash command's name. */
export type SlashCommand = keyof typeof SLASH_COMMANDS

/** True for a command this plugin handles. */
export function isSlashCommand(name: string): name is SlashCommand {
  return Object.hasOwn(SLASH_COMMANDS, name)
}

/**
 * `$ARGUMENTS` as typed: `opencode run --command` wraps them in double quotes and escapes the
 * quotes inside with backslashes; both are undone here.
 */
export function unquote(text: string): string {
  const trimmed = text.trim()
  if (trimmed.length < 2 || !/^(["']).*\1$/s.test(trimmed)) return trimmed
  return trimmed.slice(1, -1).replace(/\\(["'\\])/g, '$1').trim()
}

/**
 * Reads `/grade [agent-grade] <your-grade> [note…]`: one grade is the user's; two are the agent's
 * then the user's. Grades are labels or numbers.
 * @throws {TrackerError} INVALID_GRADE naming the input and the accepted values.
 */
export function parseGradeArguments(text: string): { userGrade: Grade; agentGrade?: Grade; note?: string } {
  const words = unquote(text).split(/\s+/).filter((word) => word !== '')
  const isGradeWord = (word: string | undefined): boolean => {
    if (word === undefined) return false
    try {
      parseGrade(word)
      return true
    } catch {
      return false
    }
  }
  if (words.length === 0) parseGrade('', 'grade (usage: /grade [agent-grade] <your-grade> [note])')
  const two = isGradeWord(words[0]) && isGradeWord(words[1])
  const userWord = two ? words[1] : words[0]
  const userGrade = parseGrade(userWord, 'grade (usage: /grade [agent-grade] <your-grade> [note])')
  const note = unquote(words.slice(two ? 2 : 1).join(' '))
  return {
    userGrade,
    ...(two ? { agentGrade: parseGrade(words[0]) } : {}),
    ...(note === '' ? {} : { note }),
  }
}
