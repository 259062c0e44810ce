import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createTrackingService, initialState, resolveRules, toolCallFactId } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { withWriteBuffer } from '@agent-tracker/write-buffer'
import type { Key } from 'lmdb'
import { open } from 'lmdb'
import type { Spread, Timing } from './stats.js'
import { cpuMs, median, round, spread, summarise, timeEach, timeMs } from './stats.js'
import { BENCH_SETUPS, OpencodeIds, mixedFacts } from './workload.js'

/** Sizes of the write-path benchmarks. */
export interface WritePathSizes {
  readonly bufferedHooks: number
  readonly immediateHooks: number
  readonly flushFacts: number
  readonly flushRepeats: number
  readonly statusReads: number
}

function temp(): { path: string; done: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'bench-'))
  return {
    path: join(folder, 'bench.lmdb'),
    done: () => {
      rmSync(folder, { recursive: true, force: true })
    },
  }
}

/** What a flush of the benchmark's facts costs, beside its floor. */
export interface FlushFigures {
  readonly facts: number
  /** Records put (setups, projects, rollups, commits, grades …), besides index entries and the fact log. */
  readonly records: number
  /** Every entry the flush wrote: records, index entries, fact ids, the fact-log batch, meta. */
  readonly entries: number
  readonly flush: Spread
  readonly flushCpuMs: number
  /** The same entries put in one bare lmdb transaction, with the same encoding and durability. */
  readonly floor: Spread
  readonly floorCpuMs: number
  /** Each run's flush ÷ the floor measured right after it, on the same entries: the median is the figure. */
  readonly ratios: Spread
  /** The median of the paired ratios. */
  readonly ratio: number
  /** For context: one put per fact (a store without collapsing), in one bare transaction. */
  readonly perFactFloorMs: number
  /**
   * For context: the same flush into a database that holds twice as many facts of later sessions,
   * so that its ids fall among stored ones rather than past the last (the empty database's case).
   */
  readonly amongStored: Spread
  /** Bytes the fact log and the fact-id index take per fact (their pages over the facts). */
  readonly factLogBytesPerFact: number
}

/** Every entry of every sub-database of a database, decoded: what a flush into an empty database wrote. */
function entriesOf(path: string): { database: string; key: Key; value: unknown }[] {
  const root = open({ path, noSubdir: true, maxDbs: 32, readOnly: true })
  const names = [...root.getKeys()].map(String)
  const entries = names.flatMap((database) => [...root.openDB(openOptions(database)).getRange({})].map(({ key, value }) => ({ database, key, value: value as unknown })))
  void root.close()
  return entries
}

/** How a sub-database is opened: the search indexes hold raw bytes; every other table msgpack, with shared structures. */
function openOptions(name: string): { name: string; sharedStructuresKey?: symbol; keyEncoding?: 'binary'; encoding?: 'binary' } {
  return name.endsWith('-search') ? { name, keyEncoding: 'binary', encoding: 'binary' } : { name, sharedStructuresKey: Symbol.for('structures') }
}

/** Bytes the pages of some sub-databases take. */
function pagesBytes(path: string, databases: readonly string[]): number {
  const root = open({ path, noSubdir: true, maxDbs: 32, readOnly: true })
  let bytes = 0
  for (const name of databases) {
    const stats = root.openDB({ name }).getStats() as { pageSize: number; treeBranchPageCount: number; treeLeafPageCount: number; overflowPages: number }
    bytes += (stats.treeBranchPageCount + stats.treeLeafPageCount + stats.overflowPages) * stats.pageSize
  }
  void root.close()
  return bytes
}

/**
 * 2. Flush: N pending facts applied as one batch through the write buffer into an empty database
 * (validation, id claims, planning, records, indexes, the fact log, one fsync'd commit), against
 * the floor: every entry that flush wrote, put again into an empty database in one bare lmdb
 * transaction with the same tables, encoding and durability (fsync on commit). Each flush is
 * followed at once by its floor, and the figure is the median of those pairs' ratios: both halves
 * of a pair meet the same load on a shared machine, where the floor alone varies by half.
 */
export async function flushCost(sizes: WritePathSizes): Promise<FlushFigures> {
  const flushes: number[] = []
  const cpu: number[] = []
  const floors: number[] = []
  const floorCpu: number[] = []
  const ratios: number[] = []
  const perFact: number[] = []
  const amongStored: number[] = []
  let records = 0
  let entries = 0
  let logBytes = 0
  // One round more than measured: the first warms up the code of both sides and is left out.
  for (let repeat = -1; repeat < sizes.flushRepeats; repeat++) {
    const facts = mixedFacts(sizes.flushFacts, Date.UTC(2026, 0, 1) + (repeat + 1) * 1e9)
    const a = temp()
    const store = openLmdbStore({ databasePath: a.path })
    const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
    buffer.append(facts)
    let flushed = 0
    const cpuBefore = process.cpuUsage()
    const flushMs = await timeMs(async () => {
      flushed = (await buffer.flush()).entriesWritten
    })
    const flushCpu = cpuMs(process.cpuUsage(cpuBefore))
    if (repeat >= 0) {
      flushes.push(flushMs)
      cpu.push(flushCpu)
    }
    await buffer.close()
    records = flushed
    const written = entriesOf(a.path)
    entries = written.length
    logBytes = pagesBytes(a.path, ['facts', 'fact-ids']) / facts.length
    a.done()

    const b = temp()
    const bare = open({ path: b.path, noSubdir: true, maxDbs: 32, overlappingSync: false })
    const tables = new Map<string, ReturnType<typeof bare.openDB>>()
    for (const { database } of written) if (!tables.has(database)) tables.set(database, bare.openDB(openOptions(database)))
    const floorCpuBefore = process.cpuUsage()
    const floorMs = await timeMs(() => {
      bare.transactionSync(() => {
        for (const { database, key, value } of written) tables.get(database)?.putSync(key, value)
      })
    })
    const floorCpuMs = cpuMs(process.cpuUsage(floorCpuBefore))
    // For context: one put per fact, which a buffer that did not collapse writes would need.
    const events = bare.openDB({ name: 'every-fact' })
    const perFactMs = await timeMs(() => {
      bare.transactionSync(() => {
        for (const fact of facts) events.putSync([fact.setup, fact.at, fact.id], fact)
      })
    })
    if (repeat >= 0) {
      floors.push(floorMs)
      floorCpu.push(floorCpuMs)
      ratios.push(flushMs / floorMs)
      perFact.push(perFactMs)
    }
    await bare.close()
    b.done()

    const c = temp()
    const later = withWriteBuffer(openLmdbStore({ databasePath: c.path }), { maxPending: false, maxAgeMs: false })
    for (const months of [6, 9]) {
      later.append(mixedFacts(sizes.flushFacts, Date.UTC(2026, months, 1) + (repeat + 1) * 1e9))
      await later.flush()
    }
    later.append(facts)
    const amongMs = await timeMs(async () => {
      await later.flush()
    })
    if (repeat >= 0) amongStored.push(amongMs)
    await later.close()
    c.done()
  }
  const flush = spread(flushes)
  const floor = spread(floors)
  const paired = spread(ratios)
  return { facts: sizes.flushFacts, records, entries, flush, flushCpuMs: round(median(cpu)), floor, floorCpuMs: round(median(floorCpu)), ratios: paired, ratio: paired.median, perFactFloorMs: round(median(perFact)), factLogBytesPerFact: round(logBytes), amongStored: spread(amongStored) }
}

/** Hook costs: buffered alone, buffered with its share of the flushes, the plugin's whole per-call work, and the immediate-write pattern. */
export interface HookFigures {
  readonly buffered: Timing
  /** The buffered hook plus its share of a flush: the median flush of `flushFacts` facts over that many facts. */
  readonly bufferedWithFlushUs: number
  readonly pluginCall: Timing
  readonly immediate: Timing
  /** Immediate ÷ buffered with the flush share: the target is ≥ 100. */
  readonly ratio: number
  /** Immediate ÷ buffered alone, for context. */
  readonly ratioWithoutFlush: number
  readonly pluginCallRatio: number
}

/**
 * 1. Hook cost: recording one tool call through the tracking service and the write buffer (no
 * I/O), then with its share of the flush that writes it; vs the predecessor's pattern — read the
 * agent, change it, `await put` it, per hook, on a bare lmdb database (lmdb-js commits and fsyncs
 * each such write: the same durability a flush has).
 */
export async function hookCost(sizes: WritePathSizes, flush: FlushFigures): Promise<HookFigures> {
  const a = temp()
  const store = openLmdbStore({ databasePath: a.path })
  const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
  const service = createTrackingService({ store: buffer })
  // With the id the plugin gives a tool call (its session's and the provider's call id).
  const ids = new OpencodeIds()
  const context = { setup: BENCH_SETUPS[0] ?? 'build', project: '/bench/project', session: ids.session(Date.now()) }
  const toolCall = (): Promise<unknown> => service.recordToolCall({ ...context, id: toolCallFactId('opencode', context.session, ids.call()), tool: 'bash', ok: true })
  for (let i = 0; i < 1000; i++) await toolCall()
  const buffered = summarise(await timeEach(sizes.bufferedHooks, toolCall))
  // What the OpenCode plugin does per tool call: a status read for the halt check before the
  // call, and the record after it, with the session's earlier calls pending — from none up to the
  // plugin's default safety valve (1,000 pending facts).
  await buffer.flush()
  const pluginCall = summarise(await timeEach(Math.min(sizes.bufferedHooks, 1000), async () => {
    await service.getStatus(context.setup)
    await toolCall()
  }))
  await buffer.close()
  a.done()

  const b = temp()
  // overlappingSync off, as the store opens: `await put` resolves once the write is committed and on disk.
  const legacy = open({ path: b.path, compression: true, overlappingSync: false })
  const rules = resolveRules()
  legacy.putSync('agent:build', { ...initialState(rules), id: 'build' })
  const immediate = summarise(await timeEach(sizes.immediateHooks, async () => {
    const agent = legacy.get('agent:build') as { experience: number; toolCalls: number }
    await legacy.put('agent:build', { ...agent, experience: agent.experience + 0.1, toolCalls: agent.toolCalls + 1 })
  }))
  await legacy.close()
  b.done()
  const bufferedWithFlushUs = round(buffered.medianUs + (flush.flush.median * 1000) / flush.facts)
  return {
    buffered,
    bufferedWithFlushUs,
    pluginCall,
    immediate,
    ratio: round(immediate.medianUs / bufferedWithFlushUs),
    ratioWithoutFlush: round(immediate.medianUs / buffered.medianUs),
    pluginCallRatio: round(immediate.medianUs / pluginCall.medianUs),
  }
}

/** 3. Status read per call, with nothing pending and with facts pending in the buffer (read-your-writes). */
export async function statusReads(sizes: WritePathSizes): Promise<{ storedOnly: Timing; withPending: Timing; pending: number }> {
  const a = temp()
  const store = openLmdbStore({ databasePath: a.path })
  const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
  const service = createTrackingService({ store: buffer })
  buffer.append(mixedFacts(2000))
  await buffer.flush()
  const setup = BENCH_SETUPS[0] ?? 'build'
  const storedOnly = summarise(await timeEach(sizes.statusReads, () => service.getStatus(setup)))
  const pending = mixedFacts(200, Date.UTC(2027, 0, 1))
  buffer.append(pending)
  const withPending = summarise(await timeEach(sizes.statusReads, () => service.getStatus(setup)))
  await buffer.close()
  a.done()
  return { storedOnly, withPending, pending: pending.length }
}
