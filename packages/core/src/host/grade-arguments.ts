import type { Grade } from '../facts/grade.js'
import { parseGrade } from '../facts/grade.js'
import { TrackerError } from '../errors.js'

/** How `/grade` is written, for error messages. */
export const GRADE_USAGE = '/grade [agent-grade] <your-grade> [note]'

/**
 * A user command's arguments as typed: `opencode run --command` wraps them in double quotes and
 * escapes the quotes inside with backslashes; both are undone here.
 */
export function unquoteArguments(text: string): string {
  const trimmed = text.trim()
  if (trimmed.length < 2 || !/^(["']).*\1$/s.test(trimmed)) return trimmed
  return trimmed.slice(1, -1).replace(/\\(["'\\])/g, '$1').trim()
}

/**
 * Reads `/grade [agent-grade] <your-grade> [note…]`: one grade is the user's; two are the agent's
 * then the user's. Grades are labels or numbers.
 * @throws {TrackerError} INVALID_GRADE naming the input, the usage and the accepted values.
 */
export function parseGradeArguments(text: string): { userGrade: Grade; agentGrade?: Grade; note?: string } {
  const words = unquoteArguments(text).split(/\s+/).filter((word) => word !== '')
  const isGradeWord = (word: string | undefined): boolean => {
    if (word === undefined) return false
    try {
      parseGrade(word)
      return true
    } catch {
      return false
    }
  }
  const two = isGradeWord(words[0]) && isGradeWord(words[1])
  const userWord = two ? words[1] : words[0]
  let userGrade: Grade
  try {
    userGrade = parseGrade(userWord ?? '')
  } catch (error) {
    // The value first, then how the command is written: "Invalid grade "4": accepted values are … Usage: /grade …".
    throw new TrackerError('INVALID_GRADE', `${(error as Error).message} Usage: ${GRADE_USAGE}.`)
  }
  const note = unquoteArguments(words.slice(two ? 2 : 1).join(' '))
  return {
    userGrade,
    ...(two ? { agentGrade: parseGrade(words[0]) } : {}),
    ...(note === '' ? {} : { note }),
  }
}
