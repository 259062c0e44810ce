import type { Fact } from '@agent-tracker/core'

/**
 * The facts waiting for a flush, oldest first. Between generations it only grows at the end, so
 * a position in it, and anything derived from the facts before that position, stays valid until
 * `generation` changes.
 */
export class PendingQueue {
  readonly #facts: Fact[] = []
  /** Where each pending id first occurs: a later fact with the same id is a repeat. */
  readonly #firstAt = new Map<string, number>()
  #generation = 0

  /** Facts waiting. */
  get length(): number {
    return this.#facts.length
  }

  /** Changes whenever facts leave the queue or a flush's write starts or ends. */
  get generation(): number {
    return this.#generation
  }

  /** The waiting facts themselves, read-only. */
  get facts(): readonly Fact[] {
    return this.#facts
  }

  /** Adds facts at the end; the generation stays. */
  push(facts: readonly Fact[]): void {
    for (const fact of facts) {
      if (!this.#firstAt.has(fact.id)) this.#firstAt.set(fact.id, this.#facts.length)
      this.#facts.push(fact)
    }
  }

  /** True when an earlier pending fact has the id of the fact at `position`: a flush skips this one as a repeat. */
  isRepeatAt(position: number): boolean {
    const fact = this.#facts[position]
    return fact !== undefined && this.#firstAt.get(fact.id) !== position
  }

  /** True when a pending fact has this id. */
  hasId(id: string): boolean {
    return this.#firstAt.has(id)
  }

  /** A copy of every waiting fact, for a flush. */
  snapshot(): Fact[] {
    return this.#facts.slice()
  }

  /** Removes the oldest `count` facts, which a flush has stored, and starts a new generation. */
  dequeue(count: number): void {
    this.#facts.splice(0, count)
    this.#firstAt.clear()
    this.#facts.forEach((fact, position) => {
      if (!this.#firstAt.has(fact.id)) this.#firstAt.set(fact.id, position)
    })
    this.#generation += 1
  }

  /** Starts a new generation without changing the facts: a flush's write started or ended. */
  touch(): void {
    this.#generation += 1
  }
}
