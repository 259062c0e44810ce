import { renameSync, rmSync, writeFileSync } from 'node:fs'

// Its own entry (`@agent-tracker/node-host/files`): a hook process and the CLI's launcher write
// files without loading the rest of the package (the database library above all).

/**
 * Writes `data` to `file` in one step for every reader: into a temporary file beside it (named by
 * this process and the time, so processes writing at once never share one), then renamed over it.
 * A write that fails leaves the file as it was and no temporary file behind.
 * @throws the file system's error when the file cannot be written.
 */
export function replaceFile(file: string, data: string | Uint8Array, options: { readonly mode?: number } = {}): void {
  const temporary = `${file}.${String(process.pid)}.${String(Date.now())}.tmp`
  try {
    // `wx`: a file (or a link) already there under the temporary name is never written through.
    writeFileSync(temporary, data, { flag: 'wx', ...(options.mode === undefined ? {} : { mode: options.mode }) })
    renameSync(temporary, file)
  } finally {
    rmSync(temporary, { force: true })
  }
}
