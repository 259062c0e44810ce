import { createTrackingService } from '@agent-tracker/core'
import { createFactScript, createMemoryStore } from '@agent-tracker/core/testing'
import { describeStoreContract } from '@agent-tracker/core/testing/contract'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { asyncOnly, instrument } from '../test/helpers.js'
import type { WriteBufferError } from './errors.js'
import { isWriteBufferError } from './errors.js'
import { withWriteBuffer } from './write-buffer.js'

const SETUP = 'build@fake/m1'
const PROJECT = '/home/dev/shop'

describeStoreContract('write buffer over memory (facts pending)', ({ rules }) =>
  Promise.resolve(withWriteBuffer(createMemoryStore(rules === undefined ? {} : { rules }), { maxPending: false, maxAgeMs: false })),
)

describeStoreContract('write buffer over memory (flushing after every fact)', ({ rules }) =>
  Promise.resolve(withWriteBuffer(createMemoryStore(rules === undefined ? {} : { rules }), { maxPending: 1, maxAgeMs: false })),
)

describeStoreContract('write buffer over an async-only store (flushing after every fact)', ({ rules }) =>
  Promise.resolve(withWriteBuffer(asyncOnly(createMemoryStore(rules === undefined ? {} : { rules })), { maxPending: 1, maxAgeMs: false })),
)

describe('withWriteBuffer', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('keeps a 10,000-fact burst in memory, then writes it as exactly one batch', async () => {
    const inner = instrument(createMemoryStore())
    const buffer = withWriteBuffer(inner, { maxPending: false, maxAgeMs: false })
    const s = createFactScript({ setup: SETUP, project: PROJECT, stepMs: 1 })
    for (let i = 0; i < 10_000; i++) buffer.append([s.toolCall()])
    expect(inner.batches).toHaveLength(0)
    expect(await inner.find('setups')).toEqual([])
    expect(buffer.stats.pending).toBe(10_000)

    const result = await buffer.flush()
    expect(result).toEqual({ factsWritten: 10_000, entriesWritten: 3, skipped: 0, errors: [] })
    expect(inner.batches.map((batch) => batch.length)).toEqual([10_000])
    expect((await inner.get('setups', [SETUP]))?.state.toolCalls).toBe(10_000)
    expect(buffer.stats).toMatchObject({ pending: 0, flushes: 1, factsWritten: 10_000, entriesWritten: 3 })
    expect(await buffer.flush()).toEqual({ factsWritten: 0, entriesWritten: 0, skipped: 0, errors: [] })
    expect(inner.batches).toHaveLength(1)
  })

  it('shows pending facts to readers: status right after a bug report has the lower SP', async () => {
    const inner = instrument(createMemoryStore())
    const buffer = withWriteBuffer(inner, { maxPending: false, maxAgeMs: false })
    const service = createTrackingService({ store: buffer })
    await service.recordCommit({ setup: SETUP, project: PROJECT, hash: 'abcd1234', message: 'feat' })
    const status = await service.reportBug({ setup: SETUP, project: PROJECT, by: 'user', note: 'wrong total' })
    expect(status).toMatchObject({ halted: true })
    expect(status.state).toMatchObject({ skillPoints: 0, bugs: 1, commits: 1 })
    expect(inner.batches).toHaveLength(0)
    const graded = await service.userGrade({ setup: SETUP, userGrade: 'good', channel: 'slash-command' })
    expect(graded.commit.hash).toBe('abcd1234')
    expect(await buffer.find('bugs', { setup: SETUP })).toHaveLength(1)
  })

  it('keeps every fact after a failed flush and applies each exactly once when a later flush succeeds', async () => {
    const inner = instrument(createMemoryStore())
    const errors: unknown[] = []
    const buffer = withWriteBuffer(inner, { maxPending: false, maxAgeMs: false, onFlushError: (error) => errors.push(error) })
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    await buffer.applyFacts([s.toolCall(), s.commit('c0ffee00'), s.push()])
    inner.failNext(2, 'MDB_MAP_FULL: database full')

    expect(await buffer.flush()).toEqual({ factsWritten: 0, entriesWritten: 0, skipped: 0, errors: ['MDB_MAP_FULL: database full'] })
    await buffer.applyFacts([s.toolCall()])
    expect((await buffer.flush()).errors).toHaveLength(1)
    expect(buffer.stats).toMatchObject({ pending: 4, failedFlushes: 2, lastError: 'MDB_MAP_FULL: database full' })
    expect(errors).toHaveLength(2)
    expect(await inner.find('setups')).toEqual([])

    expect(await buffer.flush()).toMatchObject({ factsWritten: 4, errors: [] })
    expect((await inner.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 2, commits: 1, pushes: 1, skillPoints: 2 })
    expect(buffer.stats).toMatchObject({ pending: 0, flushes: 1, failedFlushes: 2 })
  })

  it.each([
    ['a synchronous store', () => instrument(createMemoryStore())],
    ['an async-only store', () => instrument(asyncOnly(createMemoryStore()))],
  ])('never applies a fact twice when flushes are called concurrently while facts keep arriving, over %s', async (_, makeStore) => {
    const inner = makeStore()
    const buffer = withWriteBuffer(inner, { maxPending: false, maxAgeMs: false })
    const s = createFactScript({ setup: SETUP, project: PROJECT, stepMs: 1 })
    const flushes = []
    for (let round = 0; round < 20; round++) {
      buffer.append(Array.from({ length: 50 }, () => s.toolCall()))
      flushes.push(buffer.flush(), buffer.flush())
    }
    await Promise.all(flushes)
    await buffer.flush()
    const applied = inner.batches.flat().map((fact) => fact.id)
    expect(applied).toHaveLength(1000)
    expect(new Set(applied).size).toBe(1000)
    expect((await inner.get('setups', [SETUP]))?.state.toolCalls).toBe(1000)
  })

  it('never counts a batch twice while an asynchronous flush is writing it', async () => {
    const inner = instrument(asyncOnly(createMemoryStore()))
    const buffer = withWriteBuffer(inner, { maxPending: false, maxAgeMs: false })
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    buffer.append(Array.from({ length: 30 }, () => s.toolCall()))
    const flushing = buffer.flush()
    const reads = Array.from({ length: 20 }, () => buffer.get('setups', [SETUP]))
    await flushing
    for (const setup of await Promise.all(reads)) expect(setup?.state.toolCalls).toBe(30)
  })

  it('never counts a batch twice when a read overlaps a flush into a synchronous store', async () => {
    const buffer = withWriteBuffer(createMemoryStore(), { maxPending: false, maxAgeMs: false })
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    buffer.append(Array.from({ length: 30 }, () => s.toolCall()))
    const flushing = buffer.flush()
    const read = buffer.get('setups', [SETUP])
    await flushing
    expect((await read)?.state.toolCalls).toBe(30)
  })

  it('flushes by itself once maxPending facts are pending', async () => {
    vi.useFakeTimers()
    const inner = instrument(createMemoryStore())
    const buffer = withWriteBuffer(inner, { maxPending: 10, maxAgeMs: false })
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    buffer.append(Array.from({ length: 9 }, () => s.toolCall()))
    await vi.advanceTimersByTimeAsync(0)
    expect(inner.batches).toHaveLength(0)
    buffer.append([s.toolCall()])
    await vi.advanceTimersByTimeAsync(0)
    expect(inner.batches.map((b) => b.length)).toEqual([10])
  })

  it('backs off after a failed valve flush instead of retrying on every new fact, while flush() always tries', async () => {
    vi.useFakeTimers()
    const inner = instrument(createMemoryStore())
    const buffer = withWriteBuffer(inner, { maxPending: 5, maxAgeMs: false })
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    const attempts = () => buffer.stats.failedFlushes + buffer.stats.flushes
    const recordAfter = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms)
      buffer.append([s.toolCall()])
      await vi.advanceTimersByTimeAsync(0)
    }
    inner.failNext(1000, 'MDB_MAP_FULL: database full')
    buffer.append(Array.from({ length: 5 }, () => s.toolCall()))
    await vi.advanceTimersByTimeAsync(0)
    expect(attempts()).toBe(1)
    for (let i = 0; i < 20; i++) await recordAfter(0)
    await recordAfter(999)
    expect(attempts()).toBe(1)
    await recordAfter(1)
    expect(attempts()).toBe(2)
    await recordAfter(1999)
    expect(attempts()).toBe(2)
    await recordAfter(1)
    expect(attempts()).toBe(3)

    expect((await buffer.flush()).errors).toEqual(['MDB_MAP_FULL: database full'])
    expect(attempts()).toBe(4)
    for (let i = 0; i < 10; i++) await recordAfter(60_000)
    expect(attempts()).toBe(14)

    inner.failNext(0)
    expect(await buffer.flush()).toMatchObject({ factsWritten: 39, errors: [] })
    buffer.append(Array.from({ length: 5 }, () => s.toolCall()))
    await vi.advanceTimersByTimeAsync(0)
    expect(inner.batches.map((b) => b.length)).toEqual([39, 5])
  })

  it('flushes by itself once the oldest pending fact is maxAgeMs old', async () => {
    vi.useFakeTimers()
    const inner = instrument(createMemoryStore())
    const buffer = withWriteBuffer(inner, { maxPending: false, maxAgeMs: 5000 })
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    buffer.append([s.toolCall()])
    await vi.advanceTimersByTimeAsync(4999)
    expect(inner.batches).toHaveLength(0)
    buffer.append([s.toolCall()])
    await vi.advanceTimersByTimeAsync(1)
    expect(inner.batches.map((b) => b.length)).toEqual([2])
  })

  it('never flushes by itself when both safety valves are off', async () => {
    vi.useFakeTimers()
    const inner = instrument(createMemoryStore())
    const buffer = withWriteBuffer(inner, { maxPending: false, maxAgeMs: false })
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    for (let i = 0; i < 5000; i++) buffer.append([s.toolCall()])
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(inner.batches).toHaveLength(0)
    expect(buffer.pendingCount).toBe(5000)
  })

  it('flushes by itself after 30 s, or at 1000 facts, by default', async () => {
    vi.useFakeTimers()
    const inner = instrument(createMemoryStore())
    const buffer = withWriteBuffer(inner)
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    buffer.append([s.toolCall()])
    await vi.advanceTimersByTimeAsync(29_999)
    expect(inner.batches).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(inner.batches.map((b) => b.length)).toEqual([1])

    buffer.append(Array.from({ length: 999 }, () => s.toolCall()))
    await vi.advanceTimersByTimeAsync(0)
    expect(inner.batches).toHaveLength(1)
    buffer.append([s.toolCall()])
    await vi.advanceTimersByTimeAsync(0)
    expect(inner.batches.map((b) => b.length)).toEqual([1, 1000])
  })

  it('flushes synchronously into a store that can write synchronously', async () => {
    const inner = createMemoryStore()
    const buffer = withWriteBuffer(inner, { maxPending: false, maxAgeMs: false })
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    buffer.append([s.commit('aaaa1111'), s.commit('aaaa1111')])
    expect(buffer.flushSync()).toEqual({ factsWritten: 2, entriesWritten: 4, skipped: 1, errors: [] })
    expect((await inner.get('setups', [SETUP]))?.state.commits).toBe(1)
  })

  it('reports, without throwing, that a store without synchronous writes cannot flush synchronously', () => {
    const buffer = withWriteBuffer(asyncOnly(createMemoryStore()), { maxPending: false, maxAgeMs: false })
    buffer.append([createFactScript({ setup: SETUP, project: PROJECT }).toolCall()])
    expect(buffer.flushSync().errors).toEqual(['The wrapped store cannot apply facts synchronously; call flush() instead.'])
    expect(buffer.pendingCount).toBe(1)
  })

  it('rejects an invalid fact at the call site and keeps the rest of the buffer healthy', async () => {
    const buffer = withWriteBuffer(createMemoryStore(), { maxPending: false, maxAgeMs: false })
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    expect(() => buffer.append([s.toolCall(), { ...s.commit('x'), hash: '' }])).toThrow('Invalid commit fact: field "hash" must be a non-empty string, got "".')
    expect(buffer.pendingCount).toBe(0)
    buffer.append([s.toolCall()])
    expect((await buffer.flush()).errors).toEqual([])
  })

  it('flushes on close, and refuses to close (keeping the facts) when that flush fails', async () => {
    const inner = instrument(createMemoryStore())
    const buffer = withWriteBuffer(inner, { maxPending: false, maxAgeMs: false })
    buffer.append([createFactScript({ setup: SETUP, project: PROJECT }).toolCall()])
    inner.failNext(1, 'locked')
    const failure = await buffer.close().catch((error: unknown) => error)
    expect(isWriteBufferError(failure, 'FLUSH_FAILED')).toBe(true)
    expect((failure as WriteBufferError<'FLUSH_FAILED'>).message).toBe('Could not flush 1 pending facts before closing: locked')
    expect((failure as WriteBufferError<'FLUSH_FAILED'>).details).toEqual({ pending: 1, errors: ['locked'] })
    expect((failure as Error).cause).toMatchObject({ message: 'locked' })
    expect(buffer.pendingCount).toBe(1)
    await buffer.close()
    expect(inner.batches.flat()).toHaveLength(1)
    await expect(buffer.get('setups', [SETUP])).rejects.toMatchObject({ code: 'STORE_CLOSED' })
  })

  it.each([
    [{ maxPending: 0 }, 'Invalid write buffer option maxPending: 0; accepted: a whole number ≥ 1, or false to turn it off.'],
    [{ maxAgeMs: -5 }, 'Invalid write buffer option maxAgeMs: -5; accepted: a whole number ≥ 1, or false to turn it off.'],
    [{ maxAgeMs: true }, 'Invalid write buffer option maxAgeMs: true'],
  ])('rejects option %j naming it and what is accepted', (options, message) => {
    expect(() => withWriteBuffer(createMemoryStore(), options as never)).toThrow(message)
  })

  it('carries the option, the value and the minimum as data, for hosts to phrase in their own terms', () => {
    const failure = (() => {
      try {
        return withWriteBuffer(createMemoryStore(), { maxPending: 0 })
      } catch (error) {
        return error
      }
    })()
    expect(isWriteBufferError(failure, 'INVALID_OPTION')).toBe(true)
    expect((failure as WriteBufferError<'INVALID_OPTION'>).details).toEqual({ option: 'maxPending', value: 0, minimum: 1 })
  })
})
