import type { Node } from 'jsonc-parser'

/** How a JSONC file is laid out: its indentation unit and line ending. */
export interface Layout {
  readonly indent: string
  readonly eol: string
}

/** The layout of a file: the smallest indentation of an indented line (tabs or spaces), and its line ending. */
export function detectLayout(text: string): Layout {
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const indents = text.split(/\r?\n/).map((line) => /^([ \t]+)\S/.exec(line)?.[1]).filter((indent): indent is string => indent !== undefined)
  const tabbed = indents.find((indent) => indent.startsWith('\t'))
  if (tabbed !== undefined && indents.filter((indent) => indent.startsWith('\t')).length >= indents.length / 2) return { indent: '\t', eol }
  const spaces = indents.filter((indent) => !indent.includes('\t')).map((indent) => indent.length)
  return { indent: ' '.repeat(spaces.length === 0 ? 2 : Math.min(...spaces)), eol }
}

/** The whitespace a line starts with. */
export function indentOfLineAt(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? ''
}

/** True when a container's children sit on lines of their own (a newline between its opening bracket and its first child or closing bracket). */
export function isMultiLine(text: string, container: Node): boolean {
  const first = container.children?.[0]
  const end = first === undefined ? container.offset + container.length - 1 : first.offset
  return text.slice(container.offset + 1, end).includes('\n')
}

/**
 * Where a child's line goes on: just after the child, past a comma and a comment on the same
 * line. `comma` is the offset of the comma after the child, if there is one.
 */
export function endOfChildLine(text: string, child: Node): { readonly end: number; readonly comma: number | undefined } {
  let at = child.offset + child.length
  let comma: number | undefined
  const skipSpaces = (): void => {
    while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++
  }
  skipSpaces()
  if (text[at] === ',') {
    comma = at
    at++
    skipSpaces()
  }
  for (;;) {
    if (text.startsWith('//', at)) {
      const newline = text.indexOf('\n', at)
      at = newline === -1 ? text.length : newline
      if (text[at - 1] === '\r') at--
      break
    }
    if (text.startsWith('/*', at)) {
      const close = text.indexOf('*/', at + 2)
      if (close === -1 || text.slice(at, close).includes('\n')) break
      at = close + 2
      skipSpaces()
      continue
    }
    break
  }
  // Trailing spaces before a line end stay where they are; insert right after the last visible character.
  while (at > child.offset + child.length && (text[at - 1] === ' ' || text[at - 1] === '\t')) at--
  return { end: at, comma }
}
