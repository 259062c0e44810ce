import { createHash } from 'node:crypto'

/**
 * The id of a fact read from a JSON line that names none: derived from the line's text and its
 * number, so ingesting the same input again gives the same ids (and the store skips them as
 * repeats), while two identical lines at different places stay two facts.
 */
export function lineFactId(line: number, text: string): string {
  return `ingest:${createHash('sha256').update(`${String(line)}\n${text.trim()}`).digest('hex').slice(0, 40)}`
}
