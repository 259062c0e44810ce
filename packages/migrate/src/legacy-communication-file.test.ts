import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { resolveTimeZone } from './legacy-time.js'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { importLegacyFiles } from './import-legacy-files.js'
import { readCommunicationFile } from './legacy-communication-file.js'

const CONTEXT = { setup: 'build', project: '/work/shop', folder: '/work/shop', now: '2026-03-01T00:00:00.000Z', zone: resolveTimeZone('UTC') }

function entry(commit: string, task: string): string {
  return JSON.stringify({ commit, timestamp: '2026-02-23T18:00:00Z', task, agent_grade: 'good', user_grade: 'good' })
}

describe('readCommunicationFile', () => {
  it('reports a second retrospective for the same commit with its position instead of skipping it silently', async () => {
    const root = join(tempFolder(), 'shop')
    mkdirSync(join(root, '.journal'), { recursive: true })
    const source = join(root, '.journal', 'communication.json')
    writeFileSync(source, `[\n${[entry('a1b2c3d', 'first'), entry('e4f5a6b', 'other'), entry('a1b2c3d', 'again')].join(',\n')}\n]\n`)
    const store = createMemoryStore()
    const report = await importLegacyFiles(root, store, { setup: 'build' })
    expect(report.skipped).toBe(0)
    expect(report.errors).toEqual([{
      source, position: 'entry 3 (line 4) (commit a1b2c3d)',
      message: 'a second retrospective for commit a1b2c3d (the first is entry 1 (line 2)); only the first was imported',
    }])
    expect((await store.get('retrospectives', ['build', 'a1b2c3d']))?.task).toBe('first')
  })

  it('imports a later entry for a commit whose first entry was malformed', () => {
    const bad = JSON.stringify({ commit: 'a1b2c3d', timestamp: 'yesterday', agent_grade: 2, user_grade: 2 })
    const { retrospectives, errors } = readCommunicationFile('/c.json', `[${bad}, ${entry('a1b2c3d', 'fixed')}]`, CONTEXT)
    expect(retrospectives.map((r) => r.task)).toEqual(['fixed'])
    expect(errors.map((e) => e.position)).toEqual(['entry 1 (line 1) (commit a1b2c3d)'])
  })

  it('takes null for an optional field as leaving it out', () => {
    const content = JSON.stringify([{ commit: 'a1b2c3d', timestamp: '2026-02-23T18:00:00Z', agent_grade: 'good', user_grade: 'good', score_before: null, score_after: null, task: null, agent_note: null, user_note: null }])
    const { retrospectives, gradeEvents, commits, errors } = readCommunicationFile('/c.json', content, CONTEXT)
    expect(errors).toEqual([])
    expect(retrospectives).toEqual([{
      v: 1, setup: 'build', commit: 'a1b2c3d', project: '/work/shop', at: '2026-02-23T18:00:00.000Z', updatedAt: '2026-02-23T18:00:00.000Z',
      agentGrade: 2, userGrade: 2, agentGradeChannel: 'import', userGradeChannel: 'import',
    }])
    expect(gradeEvents[0]).not.toHaveProperty('scoreAfter')
    expect(commits).toHaveLength(1)
  })

  it('reports a file that is not JSON by line and column', () => {
    const content = `[\n  ${entry('a1b2c3d', 'first')},\n  oops\n]\n`
    expect(readCommunicationFile('/c.json', content, CONTEXT)).toMatchObject({
      retrospectives: [],
      errors: [{ source: '/c.json', position: 'line 3, column 3', message: expect.stringMatching(/^not valid JSON: /) as unknown }],
    })
  })

  it('reports JSON that is not an array', () => {
    expect(readCommunicationFile('/c.json', '{"commit": "a1b2c3d"}', CONTEXT).errors).toEqual([{ source: '/c.json', message: 'expected a JSON array of retrospectives' }])
  })
})
