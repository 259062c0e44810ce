import type { Fact } from '../facts/facts.js'
import { validateFact } from '../facts/validate-fact.js'

/** An item refused at the door: where it came from (a line, a sequence number, a session) and why. */
export interface RefusedItem {
  readonly position: string
  readonly message: string
}

/** What {@link screenFacts} let through and what it refused. */
export interface ScreenedFacts<T> {
  /** The items whose fact passed, in their order. */
  readonly kept: T[]
  /** Their facts, checked and normalised, in the same order. */
  readonly facts: Fact[]
  readonly refused: RefusedItem[]
}

/**
 * The door for a batch of facts from outside (an import, a team sync): each item's fact is checked
 * on its own, so one bad item is reported with its position and skipped while the rest go in.
 */
export function screenFacts<T>(items: Iterable<T>, factOf: (item: T) => unknown, positionOf: (item: T) => string): ScreenedFacts<T> {
  const kept: T[] = []
  const facts: Fact[] = []
  const refused: RefusedItem[] = []
  for (const item of items) {
    try {
      facts.push(validateFact(factOf(item)))
      kept.push(item)
    } catch (error) {
      refused.push({ position: positionOf(item), message: `${error instanceof Error ? error.message : String(error)} Skipped.` })
    }
  }
  return { kept, facts, refused }
}
