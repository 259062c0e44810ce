import { jsonSyntaxErrorOffset } from './json-syntax-error.js'

/** 1-based line and column of a character offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset))
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}

/** Where a `JSON.parse` failure happened, as `line L, column C`. */
export function jsonErrorPosition(text: string, error: unknown): string | undefined {
  const offset = jsonSyntaxErrorOffset(text)
  if (offset !== undefined) {
    const { line, column } = lineAndColumn(text, offset)
    return `line ${String(line)}, column ${String(column)}`
  }
  const message = error instanceof Error ? error.message : ''
  const atPosition = /position (\d+)/.exec(message)
  if (atPosition?.[1] !== undefined) {
    const { line, column } = lineAndColumn(text, Number(atPosition[1]))
    return `line ${String(line)}, column ${String(column)}`
  }
  const atLine = /line (\d+) column (\d+)/.exec(message)
  return atLine === null ? undefined : `line ${String(atLine[1])}, column ${String(atLine[2])}`
}

/**
 * The line on which each element of a top-level JSON array starts, found by scanning brackets
 * outside strings — so that a bad entry can be reported by line, not only by index.
 */
export function topLevelElementLines(text: string): number[] {
  const lines: number[] = []
  let depth = 0
  let line = 1
  let inString = false
  let escaped = false
  let expectElement = false
  for (const char of text) {
    if (char === '\n') line += 1
    if (inString) {
      if (escaped) escaped = false
      else if (char === '\\') escaped = true
      else if (char === '"') inString = false
      continue
    }
    if (expectElement && !/\s/.test(char) && char !== ']') {
      lines.push(line)
      expectElement = false
    }
    if (char === '"') inString = true
    else if (char === '[' || char === '{') {
      depth += 1
      if (depth === 1 && char === '[') expectElement = true
    } else if (char === ']' || char === '}') depth -= 1
    else if (char === ',' && depth === 1) expectElement = true
  }
  return lines
}
