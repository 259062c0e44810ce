import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { USER_COMMANDS } from '@agent-tracker/core/host'

/** The line that marks a command file as agent-tracker's own: files without it are the user's. */
const MARK = '<!-- agent-tracker -->'

/**
 * Writes the user commands (`/grade`, `/bug`, `/reinstate`, `/tracker`) as command files in
 * `folder` the model may not invoke; a file of the same name without agent-tracker's mark is left
 * alone. Returns the files written.
 */
export function writeCommandFiles(folder: string): string[] {
  mkdirSync(folder, { recursive: true })
  return Object.entries(USER_COMMANDS).flatMap(([name, command]) => {
    const file = join(folder, `${name}.md`)
    if (existsSync(file) && !isOurs(file)) return []
    const hint = 'usage' in command ? `argument-hint: "${command.usage.replace(/^\/\S+\s*/, '')}"\n` : ''
    writeFileSync(file, `---\ndescription: agent-tracker — ${command.description}\n${hint}disable-model-invocation: true\n---\n${MARK}\nThis command is agent-tracker's: its UserPromptSubmit hook handles it, and it never reaches the model. If you read this, the hook is not installed — tell the user to run \`agent-tracker hooks install claude-code\`.\n`)
    return [file]
  })
}

/** Removes the command files agent-tracker wrote in `folder` (the folder too, when nothing else is left in it). Returns the files removed. */
export function removeCommandFiles(folder: string): string[] {
  const removed = Object.keys(USER_COMMANDS).map((name) => join(folder, `${name}.md`)).filter((file) => existsSync(file) && isOurs(file))
  for (const file of removed) rmSync(file)
  if (removed.length > 0 && readdirSync(folder).length === 0) rmdirSync(folder)
  return removed
}

/** The user commands (`grade`, …) that have a command file of the user's own in `folder` (one without agent-tracker's mark): those names stay the user's. */
export function usersOwnCommands(folder: string): string[] {
  return Object.keys(USER_COMMANDS).filter((name) => {
    const file = join(folder, `${name}.md`)
    try {
      return !isOurs(file)
    } catch {
      return false
    }
  })
}

function isOurs(file: string): boolean {
  return readFileSync(file, 'utf8').includes(MARK)
}
