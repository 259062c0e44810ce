import type { Fact, HostName, TokenUsage } from '@agent-tracker/core'
import { NO_TOKENS, countedCost } from '@agent-tracker/core'
import type { HistoryLocation, HistoryProblem } from '../history-events.js'

/** What one source's import read and did. */
export interface SourceSummary {
  readonly source: HostName
  /** Files and folders read (empty: nothing found). */
  readonly paths: readonly string[]
  /** Where the history was looked for. */
  readonly searched: readonly string[]
  readonly sessions: number
  readonly setups: readonly string[]
  readonly toolCalls: number
  readonly toolFailures: number
  readonly commits: number
  /** Of those, commits made by `git commit --amend`: each takes the place of the commit it amended where that is recorded. */
  readonly amends: number
  /** The project folders those commits were made in, sorted. */
  readonly projects: readonly string[]
  readonly pushes: number
  /** Model responses with usage. */
  readonly messages: number
  readonly tokens: TokenUsage
  /** Total cost in USD: the host's own figures plus estimates. */
  readonly cost: number
  /** The part of `cost` estimated from the price catalogue (the host recorded none). */
  readonly estimatedCost: number
  /** Responses whose model has no known price: their cost is unknown (counted as 0). */
  readonly unpricedMessages: number
  /** Facts read from the history. */
  readonly facts: number
  /** Facts new to the database (with `--dry-run`: that would be). */
  readonly imported: number
  /** Facts already recorded (live or by an earlier import): left alone. */
  readonly repeats: number
  /** What could not be read: by file and line, why (the first {@link MAX_LISTED_PROBLEMS}). */
  readonly problems: readonly HistoryProblem[]
  /** How many problems there were in all. */
  readonly problemCount: number
}

/** Problems listed in a summary; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 50

/** A summary being filled in as facts are read. */
export class SummaryTally {
  readonly #location: HistoryLocation
  readonly #sessions = new Set<string>()
  readonly #setups = new Set<string>()
  readonly #projects = new Set<string>()
  readonly #problems: HistoryProblem[] = []
  #problemCount = 0
  #counts = { toolCalls: 0, toolFailures: 0, commits: 0, amends: 0, pushes: 0, messages: 0, cost: 0, estimatedCost: 0, unpricedMessages: 0, facts: 0, imported: 0, repeats: 0 }
  #tokens: TokenUsage = NO_TOKENS

  constructor(location: HistoryLocation) {
    this.#location = location
  }

  /** Counts a fact read from the history. */
  addFact(fact: Fact): void {
    const counts = this.#counts
    counts.facts += 1
    if (fact.session !== undefined) this.#sessions.add(fact.session)
    this.#setups.add(fact.setup)
    switch (fact.kind) {
      case 'tool_call':
        counts.toolCalls += 1
        if (!fact.ok) counts.toolFailures += 1
        break
      case 'commit':
        counts.commits += 1
        if (fact.amends !== undefined) counts.amends += 1
        this.#projects.add(fact.project)
        break
      case 'push':
        counts.pushes += 1
        break
      case 'usage': {
        counts.messages += 1
        counts.cost += countedCost(fact)
        if (fact.costSource === 'estimate') counts.estimatedCost += fact.cost
        if (fact.costSource === 'unknown') counts.unpricedMessages += 1
        const t = this.#tokens
        this.#tokens = { input: t.input + fact.tokens.input, output: t.output + fact.tokens.output, reasoning: t.reasoning + fact.tokens.reasoning, cacheRead: t.cacheRead + fact.tokens.cacheRead, cacheWrite: t.cacheWrite + fact.tokens.cacheWrite }
        break
      }
      default:
        break
    }
  }

  /** Counts what the store did with a batch: new facts and repeats. */
  addApplied(imported: number, repeats: number): void {
    this.#counts.imported += imported
    this.#counts.repeats += repeats
  }

  /** Notes something that could not be read. */
  addProblem(problem: HistoryProblem): void {
    this.#problemCount += 1
    if (this.#problems.length < MAX_LISTED_PROBLEMS) this.#problems.push(problem)
  }

  /** The summary so far. */
  summary(): SourceSummary {
    const { host, paths, searched } = this.#location
    return {
      source: host, paths, searched,
      sessions: this.#sessions.size,
      setups: [...this.#setups].sort(),
      projects: [...this.#projects].sort(),
      ...this.#counts,
      tokens: this.#tokens,
      problems: [...this.#problems],
      problemCount: this.#problemCount,
    }
  }
}
