import { accessSync, constants, mkdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { replaceFile } from '@agent-tracker/node-host/files'
import { dirname } from 'node:path'
import { CliError, EXIT } from '../cli-error.js'
import { whyNotWritten } from '../export/output-sink.js'

/** How `init` came to write a config file, for what it says when it cannot. */
export interface ConfigWrite {
  /** The file is new (made in its folder), not an edit of one there. */
  readonly created: boolean
  /** The files edited before this one in the same run (`init --remove` edits several). */
  readonly already: readonly string[]
  /** The command to run again once the file can be written. */
  readonly rerun: string
}

/**
 * Writes an edited OpenCode config, making its folder for a new one. An existing config is replaced
 * in one step (a temporary file beside it renamed over it: a full disk or a crash leaves it as it
 * was, never cut short), through a link to the file it names (a dotfiles repository's link stays a
 * link), keeping its permissions, and only when it is writable for the user — as writing it in
 * place would be; in a folder that takes no new file, it is written in place.
 * @throws {CliError} CANNOT_WRITE, see {@link cannotWriteConfig}.
 */
export function writeConfig(file: string, text: string, write: ConfigWrite): void {
  try {
    mkdirSync(dirname(file), { recursive: true })
    if (write.created) {
      writeFileSync(file, text)
      return
    }
    const target = realpathSync(file)
    accessSync(target, constants.W_OK)
    try {
      replaceFile(target, text, { mode: statSync(target).mode & 0o7777 })
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'EACCES' && code !== 'EPERM') throw error
      writeFileSync(target, text)
    }
  } catch (error) {
    throw cannotWriteConfig(file, error, write)
  }
}

/**
 * Removes a config that `init --remove` left holding nothing of the user's (the file init made).
 * @throws {CliError} CANNOT_WRITE, see {@link cannotWriteConfig}.
 */
export function removeConfig(file: string, write: ConfigWrite): void {
  try {
    rmSync(file)
  } catch (error) {
    throw cannotWriteConfig(file, error, write)
  }
}

/**
 * The error for a config that could not be written: it names the file, why (not writable for
 * lack of permission, a folder in its place …), which files the run changed before it, and for
 * a permission, what to do.
 */
export function cannotWriteConfig(file: string, error: unknown, write: ConfigWrite): CliError {
  const code = (error as NodeJS.ErrnoException).code
  const denied = code === 'EACCES' || code === 'EPERM'
  const why = !denied ? whyNotWritten(file, error) : write.created ? `no permission to create a file in ${dirname(file)}` : 'it is not writable (no permission)'
  const changed = write.already.length === 0 ? 'nothing was changed' : `only ${write.already.join(', ')} ${write.already.length === 1 ? 'was' : 'were'} changed`
  const fix = denied ? ` Make ${write.created ? 'the folder' : 'it'} writable for you (e.g. chmod u+w), then run ${write.rerun} again.` : ''
  return new CliError('CANNOT_WRITE', `Cannot ${write.created ? 'create' : 'write'} ${file}: ${why}; ${changed}.${fix}`, EXIT.failure, { cause: error })
}
