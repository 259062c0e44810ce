/** The character a UTF-8 byte-order mark decodes to. */
const BYTE_ORDER_MARK = '\uFEFF'

/**
 * A legacy file's text without the byte-order mark some editors (Notepad, for one) write at the
 * start of a UTF-8 file: it is no part of the text, yet it made a status file or
 * `communication.json` "not valid JSON" and hid a journal's `# Journal - <date>` title. Every
 * legacy-file reader takes its text through this.
 */
export function withoutByteOrderMark(text: string): string {
  return text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text
}
