import { createHash } from 'node:crypto'

/**
 * The id of a fact read from a JSON line that names none: derived from the line's text and its
 * number, so ingesting the same input again gives the same ids (and the store skips them as
 * repeats), while two identical lines at different places stay two facts. A grade vouched for
 * (`ingest --trust`) is another fact than the same line's uncounted grade, as a `grade --trust`
 * after an uncounted `grade` is: `trusted` gives it an id of its own, so the input ingested again
 * with `--trust` counts its grades.
 */
export function lineFactId(line: number, text: string, trusted = false): string {
  const source = `${String(line)}\n${text.trim()}${trusted ? '\ntrusted' : ''}`
  return `ingest:${createHash('sha256').update(source).digest('hex').slice(0, 40)}`
}
