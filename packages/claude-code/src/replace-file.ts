import { renameSync, writeFileSync } from 'node:fs'

/**
 * Writes `text` to `file` in one step for every reader: into a temporary file beside it (named by
 * this process and the time, so hooks running at once never share one), then renamed over it.
 */
export function replaceFile(file: string, text: string): void {
  const temporary = `${file}.${String(process.pid)}.${String(Date.now())}.tmp`
  writeFileSync(temporary, text)
  renameSync(temporary, file)
}
