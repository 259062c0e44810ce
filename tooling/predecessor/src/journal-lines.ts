/** What a journal must leave behind after an import: entries, and text that must survive. */
export interface JournalExpectations {
  /** One per `## …` heading: the heading line. */
  readonly entries: readonly string[]
  /** Text of every other non-empty line (field labels and heading markup taken off) that an import must keep somewhere. */
  readonly texts: readonly { readonly line: number; readonly text: string }[]
}

const FIELD_LABEL = /^(?:[-*+]\s+)?\*\*(task|actions taken|actions|outcome|decisions made|decisions):?\*\*:?\s*(.*)$/i
const FIELD_HEADING = /^#{3,6}\s+(task|actions taken|actions|outcome|decisions made|decisions)\s*$/i

/**
 * Reads a journal the way a person would check an import of it, independently of any parser: every
 * `## …` heading is an entry (its time aside, its title is text to keep), a field's label (`- **Task**:`,
 * `**Task:**`, `### Task`) is markup, and every other non-empty line is text to keep as written
 * (trimmed). The first `# …` line is the journal's title.
 */
export function journalExpectations(content: string): JournalExpectations {
  const entries: string[] = []
  const texts: { line: number; text: string }[] = []
  let titleSeen = false
  content.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim()
    if (line === '') return
    if (!titleSeen && /^#\s/.test(line)) {
      titleSeen = true
      return
    }
    titleSeen = true
    if (/^##\s/.test(line)) {
      entries.push(line)
      const title = line.replace(/^##\s+/, '').replace(/\d{1,2}:\d{2}/, '').replace(/\(?\d{4}-\d{2}-\d{2}\)?/, '').replace(/^[\s\-–—:|,]+|[\s\-–—:|,]+$/g, '')
      if (title !== '') texts.push({ line: index + 1, text: title })
      return
    }
    if (FIELD_HEADING.test(line)) return
    const field = FIELD_LABEL.exec(line)
    const text = field === null ? line : (field[2] ?? '').trim()
    if (text !== '') texts.push({ line: index + 1, text })
  })
  return { entries, texts }
}

/** The journal lines (by number) whose text appears in none of `strings`. */
export function missingJournalLines(content: string, strings: readonly string[]): { readonly line: number; readonly text: string }[] {
  return journalExpectations(content).texts.filter(({ text }) => !strings.some((value) => value.includes(text)))
}
