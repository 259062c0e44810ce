import { join } from 'node:path'
import { createFactScript } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { LONGEST_KEY_PART } from './layout.js'
import { openLmdbStore } from './open-lmdb-store.js'

describe('key parts past LMDB key limit', () => {
  it('stores a 2,027-character project path, a long setup and a long hash under digests, and reads every record back whole', async () => {
    const project = `/home/de/${'deep/'.repeat(403)}app`
    const setup = `build@anthropic/${'m'.repeat(600)}`
    const hash = 'f'.repeat(3000)
    expect(project).toHaveLength(2027)
    expect(Buffer.byteLength(setup)).toBeGreaterThan(LONGEST_KEY_PART)
    const databasePath = join(tempFolder(), 'long.lmdb')
    let store = openLmdbStore({ databasePath })
    const s = createFactScript({ setup, project })
    const call = s.toolCall('bash')
    const result = await store.applyFacts([call, s.commit(hash, 'Add cart'), s.grade(hash, { by: 'user', userGrade: 5 }), s.usage({ input: 100, output: 20 }, 0.5), s.activity('a task')])
    expect(result).toMatchObject({ applied: 5, skipped: [] })
    await store.close()
    // Another process (here: a new open) finds everything by the full values.
    store = openLmdbStore({ databasePath })
    try {
      expect((await store.get('setups', [setup]))?.state).toMatchObject({ toolCalls: 1, commits: 1 })
      expect(await store.get('commits', [project, hash])).toMatchObject({ project, hash, setup, message: 'Add cart' })
      expect(await store.get('projects', [project])).toMatchObject({ path: project })
      // Through the time indexes, whose keys hold the digests: filters and commit refs see the full values.
      expect(await store.find('commits', { setup, since: '2000-01-01T00:00:00.000Z' })).toMatchObject([{ project, hash }])
      expect(await store.find('commits', { project, order: 'newest' })).toMatchObject([{ project, hash }])
      expect(await store.find('gradeEvents', { project, since: '2000-01-01T00:00:00.000Z' })).toMatchObject([{ setup, project, commit: hash }])
      expect(await store.find('usage', { setup, project })).toMatchObject([{ setup, project, messages: 1 }])
      expect(await store.find('activities', { setup })).toMatchObject([{ project, task: 'a task' }])
      // A repeat counts nothing; a new call counts once more.
      expect((await store.applyFacts([call])).applied).toBe(0)
      expect((await store.applyFacts([s.toolCall('bash')])).applied).toBe(1)
      expect((await store.get('setups', [setup]))?.state.toolCalls).toBe(2)
    } finally {
      await store.close()
    }
  })
})
