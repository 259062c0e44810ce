import { StringDecoder } from 'node:string_decoder'

/**
 * The lines of a text stream, numbered from 1, without their line ends. Bytes are decoded as
 * UTF-8 across chunk borders, so a character split between two chunks arrives whole.
 */
export async function* numberedLines(input: AsyncIterable<string | Buffer>): AsyncGenerator<{ readonly line: number; readonly text: string }> {
  const decoder = new StringDecoder('utf8')
  let rest = ''
  let line = 0
  for await (const chunk of input) {
    rest += typeof chunk === 'string' ? chunk : decoder.write(chunk)
    let start = 0
    let newline = rest.indexOf('\n', start)
    while (newline !== -1) {
      line += 1
      yield { line, text: rest.slice(start, newline).replace(/\r$/, '') }
      start = newline + 1
      newline = rest.indexOf('\n', start)
    }
    rest = rest.slice(start)
  }
  rest += decoder.end()
  if (rest !== '') yield { line: line + 1, text: rest.replace(/\r$/, '') }
}
