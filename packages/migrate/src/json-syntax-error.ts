const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const ESCAPES = '"\\/bfnrtu'
const KEYWORDS: Readonly<Record<string, string>> = { t: 'true', f: 'false', n: 'null' }

/** Unwinds the scanner from the offending character (internal; never escapes). */
class SyntaxStop extends Error {
  constructor(readonly offset: number) {
    super(`not JSON from offset ${String(offset)}`)
  }
}

/**
 * The offset of the first character at which `text` stops being JSON (the text's length when it
 * ends too early), or undefined when it is JSON. JavaScript engines name the offset in only some
 * of their JSON.parse messages; this gives every malformed file a line and column.
 */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  let at = 0
  const stop = (): never => {
    throw new SyntaxStop(at)
  }
  const skipSpace = (): void => {
    while (at < text.length && ' \t\n\r'.includes(text.charAt(at))) at += 1
  }
  const string = (): void => {
    at += 1
    for (;;) {
      if (at >= text.length) stop()
      const char = text.charAt(at)
      if (char === '"') break
      if (char < ' ') stop()
      if (char === '\\') {
        at += 1
        if (at >= text.length || !ESCAPES.includes(text.charAt(at))) stop()
        if (text.charAt(at) === 'u') {
          for (let digit = 0; digit < 4; digit++) {
            at += 1
            if (!/^[0-9a-fA-F]$/.test(text.charAt(at))) stop()
          }
        }
      }
      at += 1
    }
    at += 1
  }
  const sequence = (close: string, member: () => void): void => {
    at += 1
    skipSpace()
    if (text.charAt(at) === close) {
      at += 1
      return
    }
    for (;;) {
      member()
      skipSpace()
      const char = text.charAt(at)
      if (char === close) break
      if (char !== ',') stop()
      at += 1
    }
    at += 1
  }
  const value = (): void => {
    skipSpace()
    const char = text.charAt(at)
    if (char === '{') {
      sequence('}', () => {
        skipSpace()
        if (text.charAt(at) !== '"') stop()
        string()
        skipSpace()
        if (text.charAt(at) !== ':') stop()
        at += 1
        value()
      })
    } else if (char === '[') sequence(']', value)
    else if (char === '"') string()
    else if (char === '-' || (char >= '0' && char <= '9')) {
      NUMBER.lastIndex = at
      if (NUMBER.exec(text) === null) stop()
      at = NUMBER.lastIndex
    } else {
      const keyword = KEYWORDS[char] ?? stop()
      for (const expected of keyword) {
        if (text.charAt(at) !== expected) stop()
        at += 1
      }
    }
  }
  try {
    value()
    skipSpace()
    return at < text.length ? at : undefined
  } catch (error) {
    if (error instanceof SyntaxStop) return error.offset
    return undefined
  }
}
