import type { CostEstimator, Fact, HostName, SetupIdentity, TrackerStore } from '@agent-tracker/core'
import { checkHostFact, hostToolCallFact, hostUsageFact, responseCost, screenFacts } from '@agent-tracker/core'
import { claudeCodeHistory } from '../claude-code/transcript-events.js'
import { codexHistory } from '../codex/rollout-events.js'
import type { HistoryEvent, HistoryLocation, HistoryToolCall, HistoryUsage, ReadOptions } from '../history-events.js'
import { opencodeDatabaseHistory } from '../opencode/opencode-database.js'
import { opencodeStorageHistory } from '../opencode/opencode-storage.js'
import { loadPriceCatalogue } from '../prices/price-catalogue.js'
import type { SourceSummary } from './import-summary.js'
import { SummaryTally } from './import-summary.js'
import { shellFacts } from './shell-facts.js'

/** How {@link importHistory} imports. */
export interface ImportHistoryOptions {
  /** The hosts' histories to read (see `historyLocations`). */
  readonly locations: readonly HistoryLocation[]
  /** Where the facts go; with `dryRun`, only asked which fact ids it has taken (and may be absent). */
  readonly store?: TrackerStore | undefined
  /** Read and count, but write nothing. */
  readonly dryRun?: boolean | undefined
  /** Only what happened at or after this ISO 8601 time. */
  readonly since?: string | undefined
  /** How setups are named; default `agent+model`, as live tracking names them by default. */
  readonly identity?: SetupIdentity | undefined
  /** Prices responses whose host recorded no cost; default the price catalogue (see `loadPriceCatalogue`). */
  readonly estimator?: CostEstimator | undefined
  /** Facts written per transaction; default 5,000 (each transaction waits for the disk once). */
  readonly batchSize?: number | undefined
  /** Called as each source's files or sessions are read. */
  readonly onProgress?: ((source: HostName, done: number, total: number) => void) | undefined
  /** The time now, which no fact may be more than a day ahead of (as `ingest` holds its lines to); default the system clock. */
  readonly now?: (() => Date) | undefined
}

const BATCH = 5000

/**
 * Imports the history of agent hosts into the tracker: reads each source streamed (never a whole
 * file in memory), turns what it holds into facts exactly as live tracking would have recorded them
 * — with the same ids, so what was tracked live or imported before is left alone — and writes them
 * in batches, each one transaction. What cannot be read is reported by file and line; the rest is
 * imported. Returns a summary per source.
 * @throws {HostImportError} SQLITE_UNAVAILABLE for an OpenCode database without better-sqlite3; the store's errors when a write fails (batches before it stay written).
 */
export async function importHistory(options: ImportHistoryOptions): Promise<SourceSummary[]> {
  const estimator = options.estimator ?? (await loadPriceCatalogue())
  const read: ReadOptions = { since: options.since, identity: options.identity }
  const now = options.now ?? ((): Date => new Date())
  const summaries: SourceSummary[] = []
  for (const location of options.locations) {
    const tally = new SummaryTally(location)
    let pending: Fact[] = []
    const write = async (): Promise<void> => {
      const batch = pending
      pending = []
      if (batch.length === 0) return
      if (options.dryRun === true || options.store === undefined) {
        const known = (await options.store?.knownFactIds(batch.map((fact) => fact.id))) ?? new Set<string>()
        tally.addApplied(batch.length - known.size, known.size)
        return
      }
      const result = await options.store.applyFacts(batch)
      if (result.deferred) tally.addApplied(result.accepted, 0)
      else tally.addApplied(result.applied, result.skipped.length)
    }
    for await (const event of historyOf(location, read)) {
      switch (event.kind) {
        case 'problem':
          tally.addProblem(event)
          continue
        case 'progress':
          options.onProgress?.(location.host, event.done, event.total)
          continue
        case 'tool_call':
        case 'usage':
          pending.push(...(await checkedFacts(event, estimator, tally, now)))
          break
      }
      if (pending.length >= (options.batchSize ?? BATCH)) {
        for (const fact of pending) tally.addFact(fact)
        await write()
      }
    }
    for (const fact of pending) tally.addFact(fact)
    await write()
    summaries.push(tally.summary())
  }
  return summaries
}

/** The facts live tracking would have recorded for one tool call or response. */
async function factsOf(event: HistoryToolCall | HistoryUsage, estimator: CostEstimator): Promise<unknown[]> {
  if (event.kind === 'tool_call') return [hostToolCallFact(event.context, event), ...(await shellFacts(event))]
  const cost = responseCost(event.hostCost, () => estimator({ provider: event.provider, model: event.model, tokens: event.tokens, at: event.context.at }))
  return [hostUsageFact(event.context, { responseIds: event.responseIds, tokens: event.tokens, cost, message: event.message })]
}

/**
 * The door every imported fact goes through, one by one: a fact that cannot be built or fails its
 * check (an absurd token count, a field too large to store) is reported where it was read — the
 * file and its line, or in a database the record — and skipped; the rest go in. The check is the one `ingest` holds another host's facts to
 * (`checkHostFact`): a history is another host's word too, and a time years ahead of the clock
 * would otherwise sit at the end of every window and make its setup look active until then.
 */
async function checkedFacts(event: HistoryToolCall | HistoryUsage, estimator: CostEstimator, tally: SummaryTally, now: () => Date): Promise<Fact[]> {
  // An event without its place (none of the readers here makes one) is told of by its session.
  const { file, line, record } = event.source ?? { file: `${event.context.host} session ${event.context.session}` }
  const refuse = (reason: string): void => {
    tally.addProblem({ kind: 'problem', file, ...(line === undefined ? {} : { line }), reason: record === undefined ? reason : `${record}: ${reason}` })
  }
  let candidates: unknown[]
  try {
    candidates = await factsOf(event, estimator)
  } catch (error) {
    refuse(`${error instanceof Error ? error.message : String(error)} Skipped.`)
    return []
  }
  const { facts, refused } = screenFacts(candidates, (candidate) => candidate, () => file)
  for (const item of refused) refuse(item.message)
  return facts.filter((fact) => {
    try {
      checkHostFact(fact, now())
      return true
    } catch (error) {
      refuse(`${error instanceof Error ? error.message : String(error)} Skipped.`)
      return false
    }
  })
}

/** Every event of one host's history, source by source. */
async function* historyOf(location: HistoryLocation, options: ReadOptions): AsyncGenerator<HistoryEvent> {
  switch (location.host) {
    case 'claude-code':
      yield* claudeCodeHistory(location.paths, options)
      return
    case 'codex':
      yield* codexHistory(location.paths, options)
      return
    case 'opencode': {
      // The database first: sessions the old JSON storage also holds (migrated in 1.2) are read once.
      const seen = new Set<string>()
      const ordered = [...location.paths].sort((a, b) => Number(!a.endsWith('.db')) - Number(!b.endsWith('.db')))
      for (const path of ordered) yield* path.endsWith('.db') ? opencodeDatabaseHistory(path, seen, options) : opencodeStorageHistory(path, seen, options)
    }
  }
}
