/**
 * A path as git prints it in diffs, `--numstat` and `--name-status` (with `core.quotePath` off):
 * as it is, or C-quoted (`"q\"uote.txt"`, `"tab\there"`) when it holds a double quote, a
 * backslash or a control character — octal escapes (`\351`) stand for single bytes. Undefined
 * when the name is not UTF-8 (a Latin-1 `caf\xe9.txt`): Node passes arguments to git as UTF-8,
 * so such a file cannot be named to `git blame`, and a reading must leave it out.
 */
export function gitPath(printed: string): string | undefined {
  if (!(printed.length >= 2 && printed.startsWith('"') && printed.endsWith('"'))) return printed.includes(UNDECODABLE) ? undefined : printed
  const bytes: number[] = []
  // By code point: a name's characters beyond the BMP stay whole.
  const body = Array.from(printed.slice(1, -1))
  for (let at = 0; at < body.length; at++) {
    const char = body[at] ?? ''
    if (char !== '\\') {
      bytes.push(...ENCODER.encode(char))
      continue
    }
    const next = body[at + 1] ?? ''
    const octal = /^[0-7]{3}$/.exec(body.slice(at + 1, at + 4).join(''))
    if (octal !== null) {
      bytes.push(Number.parseInt(octal[0], 8))
      at += 3
      continue
    }
    bytes.push(ESCAPES[next] ?? next.charCodeAt(0))
    at += 1
  }
  try {
    const path = STRICT.decode(Uint8Array.from(bytes))
    return path.includes(UNDECODABLE) ? undefined : path
  } catch {
    return undefined
  }
}

/** What a byte that is not UTF-8 becomes in git's output decoded as UTF-8. */
const UNDECODABLE = '\uFFFD'

const ENCODER = new TextEncoder()
const STRICT = new TextDecoder('utf-8', { fatal: true })

/** The single-letter escapes of git's C-style quoting, as bytes. */
const ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 }
