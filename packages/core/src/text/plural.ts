/** A count with its noun, agreeing in number: `1 commit`, `2 commits`; `irregular` for nouns that do not just take an s (`entries`). */
export function plural(count: number, noun: string, irregular?: string): string {
  return `${String(count)} ${count === 1 ? noun : (irregular ?? `${noun}s`)}`
}
