/**
 * Control characters, each but a line break and a tab, or a colour sequence (SGR: `ESC [ … m`).
 * Recorded text — commit messages, tasks, notes, often written by an agent, or anything `ingest`
 * took — may hold them, and a terminal acts on them: `ESC [2K` and a carriage return rewrite the
 * line above, OSC sequences set the window title, a hyperlink or the clipboard, and a C1 code
 * (U+0080–U+009F) can stand for ESC and its bracket. The bidirectional formatting characters
 * (U+202A–U+202E, U+2066–U+2069) count among them: they make the terminal show the rest of the line
 * in another order than it is (text that reads as one thing and is another).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNSAFE = /\u001b\[[0-9;:]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/**
 * The colour sequences agent-tracker writes itself (picocolors' bold, dim, red, green, yellow and
 * cyan, each opening and closing): the only ones let through, and only where colours are on.
 */
const OWN_COLOURS: ReadonlySet<string> = new Set(['\u001b[1m', '\u001b[2m', '\u001b[22m', '\u001b[31m', '\u001b[32m', '\u001b[33m', '\u001b[36m', '\u001b[39m'])

/**
 * Text as a terminal may be given it: every control character but a line break and a tab shows
 * as its Unicode control picture (`ESC` as ␛, a carriage return as ␍, DEL as ␡; a C1 code as �;
 * a bidirectional formatting character as `<U+202E>`), so it is seen and does nothing. A colour
 * sequence stays only when it is one agent-tracker writes and `colours` are on (the default): its
 * own output is coloured with them, and one of them in recorded text can only tint what follows.
 * Any other (`ESC [8m` hides the rest of the line, `ESC [7m` or black on black hide it as well) and,
 * with colours off (`NO_COLOR`, a pipe), every one shows as text.
 */
export function terminalSafe(text: string, colours = true): string {
  return text.replace(UNSAFE, (match) => (match.length === 1 ? picture(match.charCodeAt(0)) : colours && OWN_COLOURS.has(match) ? match : `\u241b${match.slice(1)}`))
}

/**
 * A table cell or another one-line field: {@link terminalSafe}, a line break as ␤ and a tab as a
 * space, so that neither can break the layout (a tab jumps to the terminal's next tab stop, past
 * the column's width).
 */
export function oneLine(text: string, colours = true): string {
  return terminalSafe(text.replace(/\r\n|\n/g, '\u2424').replace(/\t/g, ' '), colours)
}

function picture(code: number): string {
  if (code < 0x20) return String.fromCharCode(0x2400 + code)
  if (code >= 0x202a) return `<U+${code.toString(16).toUpperCase()}>`
  return code === 0x7f ? '\u2421' : '\ufffd'
}
