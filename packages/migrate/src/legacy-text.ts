import { readFileSync } from 'node:fs'
import type { MigrationIssue } from './migration-report.js'
import { messageOf } from './migration-report.js'

/**
 * Decodes UTF-8 strictly: bytes that are no UTF-8 (a file saved as Latin-1 or Windows-1252) throw,
 * where a lenient decoder would store U+FFFD in their place — an agent "café" would become a setup
 * "caf\uFFFD". A byte-order mark some editors (Notepad, for one) write at the start of a UTF-8 file
 * is left out: it is no part of the text, yet it made a status file or `communication.json` "not
 * valid JSON" and hid a journal's `# Journal - <date>` title.
 */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })

/** A legacy file's text, or the issue that says why it cannot be read. */
export type LegacyFileText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly issue: MigrationIssue }

/**
 * Reads a legacy file as UTF-8 text, without a byte-order mark. A file that cannot be read, or is not UTF-8, is an issue
 * naming the file (and for bytes that are no UTF-8, the first line holding some and what is
 * accepted), and nothing of it is imported.
 */
export function readLegacyFile(file: string): LegacyFileText {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(file)
  } catch (error) {
    return { ok: false, issue: { source: file, message: `cannot be read: ${messageOf(error)}` } }
  }
  try {
    return { ok: true, text: STRICT_UTF8.decode(bytes) }
  } catch {
    const line = firstLineNotUtf8(bytes)
    return {
      ok: false,
      issue: {
        source: file, ...(line === undefined ? {} : { position: `line ${String(line)}` }),
        message: 'not UTF-8 text (saved as Latin-1 or Windows-1252, perhaps); accepted is UTF-8 text. Nothing of the file was imported: save it as UTF-8 and migrate again',
      },
    }
  }
}

/**
 * The 1-based line of the first bytes that are no UTF-8. A newline byte is never part of a
 * multi-byte UTF-8 character, so each line decodes on its own.
 */
function firstLineNotUtf8(bytes: Uint8Array): number | undefined {
  let start = 0
  for (let line = 1; start <= bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start)
    const end = newline === -1 ? bytes.length : newline
    try {
      STRICT_UTF8.decode(bytes.subarray(start, end))
    } catch {
      return line
    }
    start = end + 1
  }
  return undefined
}
