import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { resolve } from 'node:path'
import type { GitCommitMessage } from '@agent-tracker/core/host'
import { commitSubject } from '@agent-tracker/core/host'

/** A `git commit` of a command, with what the file its message came from says, as far as the host could read it. */
export interface ReadCommitMessage extends GitCommitMessage {
  /**
   * For a message from a file (`-F <file>`): the subject that file gives now, read in each folder
   * the command may have run git in (a relative path is the folder git ran in's, which only the
   * shell knew for sure); empty when it could be read in none.
   */
  readonly fileSubjects?: readonly string[]
}

/** The most of a message file that is read: its subject is at its start. */
const MESSAGE_BYTES = 64 * 1024

/**
 * Reads the message of each `git commit -F <file>` of a command from its file, after the call, in
 * each of `folders` (the folders the command may commit in, see `commandFolders`). A file the
 * command removed (`-F /tmp/msg && rm /tmp/msg`), one only the shell can name (`-F "$F"`) or
 * standard input fed by a pipe gives no subject: see `ownCommits` for what is done then. Never throws.
 */
export function readMessageFiles(commits: readonly GitCommitMessage[], folders: readonly string[]): ReadCommitMessage[] {
  return commits.map((commit) => {
    const path = commit.file?.path
    if (path === undefined) return commit
    const files = [...new Set(folders.map((folder) => resolve(folder, path)))]
    const subjects = files.flatMap((file) => {
      const text = readStart(file)
      return text === undefined ? [] : [commitSubject(text)]
    })
    return { ...commit, fileSubjects: [...new Set(subjects)] }
  })
}

/**
 * The start of a regular file as UTF-8 text, undefined when it cannot be read (gone, a folder, no
 * access) or is no regular file: a named pipe, `/dev/stdin` or a terminal would block the read —
 * inside OpenCode's process, its whole event loop — until something wrote to it, so it is opened
 * without waiting and left unread.
 */
function readStart(file: string): string | undefined {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch {
    return undefined
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined
    const bytes = Buffer.alloc(MESSAGE_BYTES)
    const read = readSync(fd, bytes, 0, bytes.length, 0)
    return bytes.subarray(0, read).toString('utf8')
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}
