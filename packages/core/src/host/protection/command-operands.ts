/**
 * The operands of a command's words: those that are no option nor an option's value, and every
 * word after `--` (`-` alone is an operand: stdin). `takesValue` says which options take the next
 * word as their value (`-e PATTERN`, `--chmod +x`).
 */
export function commandOperands<W extends { readonly text: string }>(words: readonly W[], takesValue: (option: string) => boolean): W[] {
  const operands: W[] = []
  for (let index = 0; index < words.length; index++) {
    const word = words[index]
    if (word === undefined) continue
    if (word.text === '--') {
      operands.push(...words.slice(index + 1))
      break
    }
    if (word.text.startsWith('-') && word.text !== '-') {
      if (takesValue(word.text)) index++
      continue
    }
    operands.push(word)
  }
  return operands
}
