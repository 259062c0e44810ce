/** Characters a POSIX shell takes literally in a word. */
const PLAIN = /^[\w@%+=:,./-]+$/

/** `word` in single quotes, for a POSIX shell to take literally whatever it holds (`'` written as `'\''`). */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`
}

/** `word` as a person would type it: as it is when the shell takes it literally, else {@link shellQuote}d. */
export function shellWord(word: string): string {
  return PLAIN.test(word) ? word : shellQuote(word)
}
