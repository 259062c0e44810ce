import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AgentState, Fact, Grade } from '@agent-tracker/core'
import type { FactScript } from '@agent-tracker/core/testing'
import { createFactScript } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { tempFolder } from '@agent-tracker/test-folders'
import { describe, expect, it } from 'vitest'
import { importLegacyFiles } from './import-legacy-files.js'
import { mergeDatabase } from './merge-database.js'

/**
 * Property-style: for seeded random histories, a setup that took in another database's part in the
 * middle of its history (a merge of a migrated laptop, between its own facts) ends with the same
 * scores wherever that history is merged — back into the laptop, and into a database of its own —
 * as in the database where it happened. Level-ups, the communication cap and the floors at 0 make
 * scores depend on the order of facts and parts, which sums of parts do not keep.
 */
const SEEDS = 10
const SETUP = 'h1'

/** mulberry32: a small seeded generator, so that a failing seed can be run again alone. */
function generator(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A random stretch of work: tool calls (most), commits graded by the user and the agent, bugs. */
function work(random: () => number, script: FactScript, tag: string, count: number): Fact[] {
  const facts: Fact[] = []
  const grades: readonly Grade[] = [-1, 1, 2, 5]
  const grade = (): Grade => grades[Math.floor(random() * grades.length)] ?? 1
  for (let i = 0; i < count; i++) {
    const pick = random()
    if (pick < 0.6) facts.push(script.toolCall('bash', random() < 0.9))
    else if (pick < 0.9) {
      const hash = `${tag}${String(i).padStart(4, '0')}c0ffee`
      facts.push(script.commit(hash, `work ${String(i)}`), script.grade(hash, { by: 'user', userGrade: grade(), agentGrade: grade() }))
    } else facts.push(script.bug('user', `bug ${String(i)}`))
  }
  return facts
}

/** The history of one seed: the laptop's migrated status file and its own work; the desktop's work before and after it merged the laptop. */
function history(seed: number): { status: string; laptop: Fact[]; before: Fact[]; after: Fact[]; next: Fact } {
  const random = generator(seed)
  const status = JSON.stringify({ agent_name: SETUP, skill_points: 1 + Math.floor(random() * 6), experience_points: Math.floor(random() * 90), communication_score: Math.floor(random() * 160) })
  const onLaptop = createFactScript({ setup: SETUP, project: '/work/shop', start: '2026-02-01T00:00:00.000Z', session: `l${String(seed)}` })
  const onDesktop = createFactScript({ setup: SETUP, project: '/work/shop', start: '2026-03-01T00:00:00.000Z', session: `d${String(seed)}` })
  const laptop = work(random, onLaptop, 'aa', Math.floor(random() * 40))
  const before = work(random, onDesktop, 'bb', 1 + Math.floor(random() * 120))
  const after = work(random, onDesktop, 'cc', 1 + Math.floor(random() * 60))
  return { status, laptop, before, after, next: createFactScript({ setup: SETUP, project: '/work/shop', start: '2026-05-01T00:00:00.000Z', session: `n${String(seed)}` }).toolCall('bash', true) }
}

async function stateOf(path: string): Promise<AgentState | undefined> {
  const store = openLmdbStore({ databasePath: path })
  try {
    return (await store.get('setups', [SETUP]))?.state
  } finally {
    await store.close()
  }
}

/** Opens, applies, closes. */
async function apply(path: string, facts: readonly Fact[]): Promise<void> {
  const store = openLmdbStore({ databasePath: path })
  try {
    if (facts.length > 0) await store.applyFacts(facts)
  } finally {
    await store.close()
  }
}

async function merge(from: string, into: string): Promise<void> {
  const store = openLmdbStore({ databasePath: into })
  try {
    expect((await mergeDatabase(from, store)).errors).toEqual([])
  } finally {
    await store.close()
  }
}

/** What a merge of `from` into `into` lists as combined. */
async function combinedBy(from: string, into: string): Promise<unknown> {
  const store = openLmdbStore({ databasePath: into })
  try {
    const report = await mergeDatabase(from, store)
    expect(report.errors).toEqual([])
    return report.combined
  } finally {
    await store.close()
  }
}

/** Plays one seed's history: the laptop migrated and worked; the desktop worked, merged the laptop in, and worked on. */
async function play(seed: number): Promise<{ folder: string; laptop: string; desktop: string; next: Fact }> {
  const { status, laptop: laptopWork, before, after, next } = history(seed)
  const project = tempFolder()
  mkdirSync(join(project, '.agent'))
  writeFileSync(join(project, '.agent', 'status.json'), status)
  const folder = tempFolder()
  const laptop = join(folder, 'laptop.lmdb')
  const desktop = join(folder, 'desktop.lmdb')
  const migrated = openLmdbStore({ databasePath: laptop })
  expect((await importLegacyFiles(project, migrated, { timeZone: 'UTC' })).errors).toEqual([])
  await migrated.close()
  await apply(laptop, laptopWork)
  await apply(desktop, before)
  // The laptop's part comes in in the middle of the desktop's history.
  await merge(laptop, desktop)
  await apply(desktop, after)
  return { folder, laptop, desktop, next }
}

describe('a merge of a history that took in another database\'s part midway (seeded random histories)', () => {
  it('leaves the laptop with the desktop\'s scores when the desktop is merged back, and the same next fact moves both alike', async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { laptop, desktop, next } = await play(seed)
      await merge(desktop, laptop)
      expect(await stateOf(laptop), `seed ${String(seed)}`).toEqual(await stateOf(desktop))
      // Merged again either way, nothing changes.
      expect(await combinedBy(desktop, laptop), `seed ${String(seed)}`).toBeUndefined()
      expect(await combinedBy(laptop, desktop), `seed ${String(seed)}`).toBeUndefined()
      expect(await stateOf(laptop), `seed ${String(seed)}`).toEqual(await stateOf(desktop))
      await apply(laptop, [next])
      await apply(desktop, [next])
      expect(await stateOf(laptop), `seed ${String(seed)}, after the next fact`).toEqual(await stateOf(desktop))
    }
  }, 240_000)

  it('gives a database of its own, merged from the desktop, the desktop\'s scores, and the same next fact moves both alike', async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { folder, desktop, next } = await play(seed)
      const fresh = join(folder, 'fresh.lmdb')
      await merge(desktop, fresh)
      expect(await stateOf(fresh), `seed ${String(seed)}, at once`).toEqual(await stateOf(desktop))
      await apply(fresh, [next])
      await apply(desktop, [next])
      expect(await stateOf(fresh), `seed ${String(seed)}`).toEqual(await stateOf(desktop))
    }
  }, 240_000)
})
