import { join } from 'node:path'
import type { Fact, PriorArtAnswer } from '@agent-tracker/core'
import { priorArt } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { asSchema2, asSearchWords1 } from '@agent-tracker/lmdb-store/testing'
import { tempFolder } from '@agent-tracker/test-folders'
import { describe, expect, it } from 'vitest'
import { HookSession } from '../test/hook-session.js'
import { hookWorkRecorded, lastDetachedFailure } from './detached-outcome.js'
import { runDetachedHook } from './run-hook.js'

const SETUP = 'claude-code@anthropic/claude-opus-4-8'
const TASK = 'stripe webhook retries cache'

const text = (words: string): object[] => [{ type: 'text', text: words }]

/**
 * A database of the release before the search indexes (schema 2) holding `records` searched records
 * — journal entries and commits, a retrospective and a bug now and then — and what a search found in
 * it while this release's indexes were there.
 */
async function schema2Database(records: number): Promise<{ databasePath: string; before: PriorArtAnswer }> {
  const databasePath = join(tempFolder('db-'), 'tracker.lmdb')
  const script = createFactScript({ setup: 'build@anthropic/claude-sonnet-4-5', project: '/home/dev/shop', start: '2026-03-01T09:00:00.000Z', stepMs: 60_000 })
  const facts: Fact[] = []
  for (let i = 0; facts.length < records; i++) {
    const hash = `c0ffee${String(i)}`
    if (i % 50 === 49) facts.push(script.retrospective(`c0ffee${String(i - 1)}`, { task: `webhook idempotency ${String(i)}`, userNote: 'kept it small' }))
    else if (i % 50 === 48) facts.push(script.bug('user', `cache broke ${String(i)}`, `c0ffee${String(i - 1)}`))
    else facts.push(i % 2 === 0 ? script.activity(`stripe webhook retries ${String(i)}`, i % 10 === 0 ? 'the build broke' : 'done') : script.commit(hash, `cache invalidation ${String(i)}`))
  }
  const store = openLmdbStore({ databasePath })
  await store.applyFacts(facts)
  const before = await priorArt(store, { task: TASK })
  await store.close()
  await asSchema2(databasePath)
  return { databasePath, before }
}

/** What the database says now: its search indexes, the build's progress, the responses counted, and what the same search finds. */
async function readBack(databasePath: string) {
  const store = openLmdbStore({ databasePath, readOnly: true })
  try {
    return { indexes: store.searchIndexes(), build: store.searchIndexBuild(), messages: (await store.get('setups', [SETUP]))?.state.messages, found: await priorArt(store, { task: TASK }) }
  } finally {
    await store.close()
  }
}

describe('the detached run of a Stop on a database upgraded from schema 2', () => {
  it('carries the search-index build the upgrade started to its end after its own work, and searches find what they found before', async () => {
    const { databasePath, before } = await schema2Database(1800)
    expect(before.patterns.length + before.mistakes.length).toBeGreaterThan(3)
    const session = new HookSession('s1', tempFolder('project-'), databasePath)
    session.transcript.prompt('Start.').response('msg_1', text('one'))
    // What Claude Code waits for (the hook in its own process) upgrades the database, starts the build and goes no further.
    expect(await session.send('Stop', { stop_hook_active: false })).toEqual({ exitCode: 0 })
    expect(await readBack(databasePath)).toMatchObject({ indexes: 'building', build: { built: 0, total: 1800, done: false }, messages: 1, found: before })

    session.transcript.prompt('Go on.').response('msg_2', text('two'))
    expect(await runDetachedHook(session.input('Stop', { stop_hook_active: false }), session.options)).toEqual({ exitCode: 0 })
    expect(await readBack(databasePath)).toEqual({ indexes: 'in step', build: undefined, messages: 2, found: before })
    expect(lastDetachedFailure(databasePath)).toBeUndefined()
  })

  it('stops when its time is up, and the next goes on from where it stopped', async () => {
    const { databasePath, before } = await schema2Database(3000)
    const session = new HookSession('s2', tempFolder('project-'), databasePath)
    session.transcript.prompt('Start.').response('msg_1', text('one'))
    // 40 ms: a step (after the first 25 ms pause), not the six the build takes.
    expect(await runDetachedHook(session.input('Stop', { stop_hook_active: false }), session.options, { searchBuildMs: 40 })).toEqual({ exitCode: 0 })
    const first = await readBack(databasePath)
    expect(first).toMatchObject({ indexes: 'building', messages: 1, found: before })
    expect(first.build?.built).toBeGreaterThan(0)
    expect(first.build?.built).toBeLessThan(3000)

    session.transcript.prompt('Go on.').response('msg_2', text('two'))
    expect(await runDetachedHook(session.input('Stop', { stop_hook_active: false }), session.options, { searchBuildMs: 40 })).toEqual({ exitCode: 0 })
    const second = await readBack(databasePath)
    expect(second).toMatchObject({ indexes: 'building', messages: 2 })
    expect(second.build?.built).toBeGreaterThan(first.build?.built ?? Infinity)

    // Its worker's time already spent (a write that waited long for another process's lock): the turn is written, the build waits for the next.
    session.transcript.prompt('And then.').response('msg_3', text('three'))
    expect(await runDetachedHook(session.input('Stop', { stop_hook_active: false }), session.options, { searchBuildDeadline: Date.now() - 1 })).toEqual({ exitCode: 0 })
    const third = await readBack(databasePath)
    expect(third).toMatchObject({ indexes: 'building', messages: 3 })
    expect(third.build?.built).toBe(second.build?.built)
    expect(hookWorkRecorded()).toBe(true)

    session.transcript.prompt('Once more.').response('msg_4', text('four'))
    expect(await runDetachedHook(session.input('Stop', { stop_hook_active: false }), session.options)).toEqual({ exitCode: 0 })
    expect(await readBack(databasePath)).toEqual({ indexes: 'in step', build: undefined, messages: 4, found: before })
    expect(lastDetachedFailure(databasePath)).toBeUndefined()
  })
})

describe('the detached run of a Stop on a database whose search words an earlier release cut', () => {
  it('starts the rebuild itself and carries it to its end: nothing else has to start it', async () => {
    const { databasePath, before } = await schema2Database(600)
    // This release's indexes, built, then turned back into those of version 1 of the search words.
    const upgraded = openLmdbStore({ databasePath })
    await upgraded.repairSearchIndexes()
    await upgraded.close()
    await asSearchWords1(databasePath)
    expect(await readBack(databasePath)).toMatchObject({ indexes: 'outdated', build: undefined, found: before })
    const session = new HookSession('s3', tempFolder('project-'), databasePath)
    session.transcript.prompt('Start.').response('msg_1', text('one'))
    expect(await runDetachedHook(session.input('Stop', { stop_hook_active: false }), session.options)).toEqual({ exitCode: 0 })
    expect(await readBack(databasePath)).toEqual({ indexes: 'in step', build: undefined, messages: 1, found: before })
    expect(lastDetachedFailure(databasePath)).toBeUndefined()
  })
})
