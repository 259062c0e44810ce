import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PlannedRecord } from '@agent-tracker/core/store'
import { createTrackingService, initialState, resolveRules } from '@agent-tracker/core'
import { planFacts } from '@agent-tracker/core/store'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { withWriteBuffer } from '@agent-tracker/write-buffer'
import { open } from 'lmdb'
import type { Timing } from './stats.js'
import { median, round, summarise, timeEach, timeMs } from './stats.js'
import { BENCH_SETUPS, mixedFacts } from './workload.js'

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

/**
 * 1. Hook cost: recording one tool call through the buffer, vs the predecessor's pattern (read the
 * agent, mutate it, `await put` per hook) on a bare lmdb database.
 */
export async function hookCost(sizes: WritePathSizes): Promise<{ buffered: Timing; pluginCall: Timing; immediate: Timing; ratio: number; pluginCallRatio: number }> {
  const a = temp()
  const store = openLmdbStore({ databasePath: a.path })
  const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
  const service = createTrackingService({ store: buffer })
  const context = { setup: BENCH_SETUPS[0] ?? 'build', project: '/bench/project', session: 'ses_bench' }
  for (let i = 0; i < 1000; i++) await service.recordToolCall({ ...context, tool: 'bash', ok: true })
  const buffered = summarise(await timeEach(sizes.bufferedHooks, () => service.recordToolCall({ ...context, tool: 'bash', ok: true })))
  // What the OpenCode plugin does per tool call: a status read for the halt check before the
  // call, and the record after it, with the session's earlier calls pending — from none up to the
  // plugin's default safety valve (1,000 pending facts).
  await buffer.flush()
  const pluginCall = summarise(await timeEach(Math.min(sizes.bufferedHooks, 1000), async () => {
    await service.getStatus(context.setup)
    await service.recordToolCall({ ...context, tool: 'bash', ok: true })
  }))
  await buffer.close()
  a.done()

  const b = temp()
  const legacy = open({ path: b.path, compression: true })
  const rules = resolveRules()
  legacy.putSync('agent:build', { ...initialState(rules), id: 'build' })
  const immediate = summarise(await timeEach(sizes.immediateHooks, async () => {
    const agent = legacy.get('agent:build') as { experience: number; toolCalls: number }
    await legacy.put('agent:build', { ...agent, experience: agent.experience + 0.1, toolCalls: agent.toolCalls + 1 })
  }))
  await legacy.close()
  b.done()
  return { buffered, pluginCall, immediate, ratio: round(immediate.medianUs / buffered.medianUs), pluginCallRatio: round(immediate.medianUs / pluginCall.medianUs) }
}

/**
 * 2. Flush: N pending facts applied as one batch through the buffer, vs the floor — putting the
 * very same records in one bare lmdb transaction.
 */
export async function flushCost(sizes: WritePathSizes): Promise<{ facts: number; records: number; flushMs: number; floorMs: number; ratio: number; perFactFloorMs: number }> {
  const flushes: number[] = []
  const floors: number[] = []
  const perFact: number[] = []
  let records = 0
  for (let repeat = 0; repeat < sizes.flushRepeats; repeat++) {
    const facts = mixedFacts(sizes.flushFacts, Date.UTC(2026, 0, 1) + repeat * 1e9)
    const a = temp()
    const store = openLmdbStore({ databasePath: a.path })
    const buffer = withWriteBuffer(store, { maxPending: false, maxAgeMs: false })
    buffer.append(facts)
    flushes.push(await timeMs(() => buffer.flush()))
    await buffer.close()
    a.done()

    const plan = planFacts({ get: () => undefined }, facts, resolveRules())
    records = plan.writes.length
    const b = temp()
    const bare = open({ path: b.path, maxDbs: 16, overlappingSync: false })
    const tables = new Map<string, ReturnType<typeof bare.openDB>>()
    for (const write of plan.writes) if (!tables.has(write.collection)) tables.set(write.collection, bare.openDB({ name: write.collection }))
    floors.push(await timeMs(() => {
      bare.transactionSync(() => {
        for (const write of plan.writes as PlannedRecord[]) tables.get(write.collection)?.putSync([...write.key], write.record)
      })
    }))
    // For context: one put per fact, which a buffer that did not collapse writes would need.
    const events = bare.openDB({ name: 'facts' })
    perFact.push(await timeMs(() => {
      bare.transactionSync(() => {
        for (const fact of facts) events.putSync([fact.setup, fact.at, fact.id], fact)
      })
    }))
    await bare.close()
    b.done()
  }
  const flushMs = median(flushes)
  const floorMs = median(floors)
  return { facts: sizes.flushFacts, records, flushMs, floorMs, ratio: round(flushMs / floorMs), perFactFloorMs: median(perFact) }
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
