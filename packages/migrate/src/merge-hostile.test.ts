import { join } from 'node:path'
import { HONEST, IMPOSSIBLE, createFactScript, writeHostileRecords } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { mergeDatabase } from './merge-database.js'

describe('mergeDatabase from a hostile database', () => {
  it('reports and skips every impossible value, recomputes the honest work, and plants nothing', async () => {
    const folder = tempFolder()
    const hostile = join(folder, 'hostile.lmdb')
    const source = openLmdbStore({ databasePath: hostile })
    const impossible = await writeHostileRecords(source)
    await source.close()
    const target = openLmdbStore({ databasePath: join(folder, 'mine.lmdb') })
    const mine = createFactScript({ setup: HONEST, project: '/w/mine', start: '2026-01-01T00:00:00.000Z' })
    await target.applyFacts([mine.commit('1111aaaa'), mine.toolCall()])

    const report = await mergeDatabase(hostile, target)
    expect(report.facts).toEqual({ applied: 3, repeats: 0, withoutEffect: 0 })
    const positions = report.errors.map((error) => error.position)
    // Each impossible record, and the day rollup the store itself derived from the commit with the impossible time.
    expect(report.errors).toHaveLength(impossible + 1)
    expect(positions).toEqual(expect.arrayContaining([
      `setups ${IMPOSSIBLE.skillPoints}`, `setups ${IMPOSSIBLE.communication}`, `setups ${IMPOSSIBLE.negative}`, `setups ${IMPOSSIBLE.wrongType}`, `setups ${IMPOSSIBLE.noState}`,
      `commits ${IMPOSSIBLE.skillPoints} · /w/evil · eeee0001`, `gradeEvents g1 · ${HONEST} · /w/honest`, `usage ${HONEST} · /w/evil · 2026-03-02`, 'projects /w/profiled',
    ]))
    const messages = report.errors.map((error) => error.message).join('\n')
    expect(messages).toContain('field "state.skillPoints" is 1000000000; accepted is a number from 0 to 10000')
    expect(messages).toContain('field "state.communication" is 1000000000000; accepted is at most 100 at 1 skill points')
    expect(messages).toContain('field "state.commits" is -5; accepted is a whole number from 0')
    expect(messages).toContain('field "state.experience" is null; accepted is a number')
    expect(messages).toContain('field "state" is missing; accepted is an object')
    expect(messages).toContain('field "at" is "2026-13-45T99:00:00.000Z"; accepted is a UTC timestamp')
    expect(messages).toContain('field "userGrade" is 7; accepted is a grade: -1, 1, 2 or 5')
    expect(messages).toContain('field "cost" is 1000000000000; accepted is a number from 0 to 1000000000')
    expect(messages).toContain('field "extra" nests deeper than 16 levels')
    expect(messages).toContain('field "profile.language" is 42; accepted is a string')

    for (const id of Object.values(IMPOSSIBLE)) expect(await target.get('setups', [id])).toBeUndefined()
    // The honest setup: this database's commit and call, the other's commit, call and grade — recomputed here.
    expect((await target.get('setups', [HONEST]))?.state).toMatchObject({ commits: 2, toolCalls: 2, userGrades: { count: 1, sum: 5 }, communication: 65 })
    // The honest legacy commit no fact backs comes across as a record.
    expect(await target.get('commits', ['/w/legacy', 'ffff0001'])).toMatchObject({ message: 'an honest legacy commit no fact backs' })
    expect(await target.find('usage', { project: '/w/evil' })).toEqual([])
    expect(await target.find('retrospectives')).toHaveLength(1)
    expect(await target.get('projects', ['/w/profiled'])).toBeUndefined()
    await target.close()
  })
})
