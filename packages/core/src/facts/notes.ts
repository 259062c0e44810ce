import type { GradeFact } from './facts.js'
import { LIMITS, utf8Bytes } from '../validation/limits.js'

/** What stands between two notes on a commit (the user's, or the agent's): each note starts on a line of its own. */
export const NOTE_SEPARATOR = '\n'

/**
 * The notes on a commit (the user's, or the agent's) with one more: the earlier ones kept as they are, the new one after
 * them on a line of its own. A note that is already one of them (spaces around it aside) is not
 * added again, so giving the same note twice keeps one.
 */
export function withNote(notes: string | undefined, note: string): string {
  if (notes === undefined || notes === '') return note
  const wanted = note.trim()
  // A blank note (refused at the door; a record from elsewhere may hold one) adds nothing.
  if (wanted === '') return notes
  // Already there: as a line of its own (spaces aside), or — a note of several lines — as a run of whole lines.
  if (notes.trim() === wanted || `${NOTE_SEPARATOR}${notes}${NOTE_SEPARATOR}`.includes(`${NOTE_SEPARATOR}${note}${NOTE_SEPARATOR}`) || notes.split(NOTE_SEPARATOR).some((line) => line.trim() === wanted)) return notes
  return `${notes}${NOTE_SEPARATOR}${note}`
}

/** Why the note cannot be added to `notes` (they would pass the limit a stored text has), or undefined when it can. */
export function noteTooLong(notes: string | undefined, note: string): string | undefined {
  const joined = withNote(notes, note)
  if (joined.length * 3 <= LIMITS.textBytes || utf8Bytes(joined) <= LIMITS.textBytes) return undefined
  return `the notes on the commit would pass ${String(LIMITS.textBytes / 1024)} KiB with this one added`
}

/**
 * The note a grade event keeps (see `GradeEventRecord.note`): the grader's own (`userNote` for a
 * grade by the user, `agentNote` for one by the agent), then the other's on a line of its own
 * where both are given and they fit the limit a stored text has (else the grader's alone). Kept
 * on every grade event, counted or not: a grade that does not count takes no place in the
 * commit's retrospective, and its event is the one record of what was said with it.
 */
export function gradeNote(fact: Pick<GradeFact, 'by' | 'userNote' | 'agentNote'>): string | undefined {
  const [own, other] = fact.by === 'user' ? [fact.userNote, fact.agentNote] : [fact.agentNote, fact.userNote]
  if (own === undefined || other === undefined) return own ?? other
  return noteTooLong(own, other) === undefined ? withNote(own, other) : own
}
