import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { USER_COMMANDS } from '@agent-tracker/core/host'
import type { FileChange } from './file-changes.js'

/** The line that marks a command file as agent-tracker's own: files without it are the user's. */
const MARK = '<!-- agent-tracker -->'

/**
 * The user commands (`/grade`, `/bug`, `/reinstate`, `/tracker`) as command files in `folder` the
 * model may not invoke: `files` each one agent-tracker has there once `changes` are made (a file
 * of the same name without agent-tracker's mark is left alone), `changes` the files to write (those
 * not already as they should be).
 */
export function commandFileWrites(folder: string): { readonly files: string[]; readonly changes: FileChange[] } {
  const files: string[] = []
  const changes: FileChange[] = []
  for (const [name, command] of Object.entries(USER_COMMANDS)) {
    const file = join(folder, `${name}.md`)
    const before = existsSync(file) ? readFileSync(file, 'utf8') : undefined
    if (before !== undefined && !before.includes(MARK)) continue
    const hint = 'usage' in command ? `argument-hint: "${command.usage.replace(/^\/\S+\s*/, '')}"\n` : ''
    const text = `---\ndescription: agent-tracker — ${command.description}\n${hint}disable-model-invocation: true\n---\n${MARK}\nThis command is agent-tracker's: its UserPromptSubmit hook handles it, and it never reaches the model. If you read this, the hook is not installed — tell the user to run \`agent-tracker hooks install claude-code\`.\n`
    files.push(file)
    if (before !== text) changes.push({ kind: 'write', file, text })
  }
  return { files, changes }
}

/** The command files agent-tracker wrote in `folder`, to remove (the folder too, when nothing else is left in it). */
export function commandFileRemovals(folder: string): { readonly files: string[]; readonly changes: FileChange[] } {
  const files = Object.keys(USER_COMMANDS).map((name) => join(folder, `${name}.md`)).filter((file) => existsSync(file) && isOurs(file))
  const emptied = files.length > 0 && readdirSync(folder).length === files.length
  return { files, changes: [...files.map((file): FileChange => ({ kind: 'remove', file })), ...(emptied ? [{ kind: 'remove-folder', folder } as const] : [])] }
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
