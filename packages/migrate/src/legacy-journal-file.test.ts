import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { resolveTimeZone } from './legacy-time.js'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { importLegacyFiles } from './import-legacy-files.js'
import { readJournalFile } from './legacy-journal-file.js'

const CONTEXT = { setup: 'build', project: '/work/shop', folder: '/work/shop', now: '2026-03-01T00:00:00.000Z', zone: resolveTimeZone('UTC') }

function journal(...sections: string[]): string {
  return ['# Journal - 2026-02-23', '', ...sections].join('\n')
}

function section(time: string, task: string): string {
  return `## ${time}\n- **Task**: ${task}\n- **Outcome**: done\n`
}

function ids(content: string): Record<string, string> {
  return Object.fromEntries(readJournalFile('/j.md', content, CONTEXT, '2026-02-23').activities.map((a) => [a.task, a.id]))
}

describe('readJournalFile', () => {
  it('keeps the activities of two projects with an entry at the same date and time apart', async () => {
    const store = createMemoryStore()
    const projects = ['shop', 'api'].map((name) => {
      const root = join(tempFolder(), name)
      mkdirSync(join(root, '.journal'), { recursive: true })
      writeFileSync(join(root, '.journal', '2026-02-23.md'), journal(section('09:15', `${name} work`)))
      return root
    })
    for (const root of projects) expect(await importLegacyFiles(root, store, { setup: 'build' })).toMatchObject({ migrated: expect.any(Number) as unknown, errors: [] })
    expect((await store.find('activities', { setup: 'build' })).map((a) => a.task).sort()).toEqual(['api work', 'shop work'])
  })

  it('gives each section an id that does not shift when another section is inserted before it', () => {
    const before = ids(journal(section('09:15', 'first'), section('16:05', 'last')))
    const after = ids(journal(section('09:15', 'first'), section('11:00', 'inserted'), section('16:05', 'last')))
    expect(after.first).toBe(before.first)
    expect(after.last).toBe(before.last)
    expect(new Set(Object.values(after)).size).toBe(3)
  })

  it('tells apart sections with the same time in one file', () => {
    const found = ids(journal(section('09:15', 'one'), section('09:15', 'two')))
    expect(found.one).not.toBe(found.two)
  })

  it('keeps continuation lines and sub-bullets with the field they follow', () => {
    const content = journal([
      '## 09:15',
      '- **Task**: Set up the cart module',
      '  so that checkout can follow',
      '- **Actions taken**:',
      '  - created cart.ts',
      '  - wrote tests',
      '',
      '  and ran them twice',
      '- **Outcome**: tests green',
    ].join('\n'))
    const { activities, errors } = readJournalFile('/j.md', content, CONTEXT, '2026-02-23')
    expect(errors).toEqual([])
    expect(activities.map((a) => [a.task, a.actions, a.outcome])).toEqual([
      ['Set up the cart module\nso that checkout can follow', '- created cart.ts\n- wrote tests\nand ran them twice', 'tests green'],
    ])
  })

  it('keeps text of an entry that fits no field in its notes, and reports text outside any entry', () => {
    const content = journal('A slow day.\n## 09:15\nstarted late today\n- **Task**: Cart\n')
    const { activities, errors } = readJournalFile('/j.md', content, CONTEXT, '2026-02-23')
    expect(activities.map((a) => [a.task, a.notes])).toEqual([['Cart', 'started late today']])
    expect(errors).toEqual([{ source: '/j.md', position: 'line 3', message: 'text outside any "## HH:MM" entry was not imported: "A slow day."' }])
  })
})

describe('readJournalFile heading styles', () => {
  it('reads a date before or after the time, a one-digit hour and 24:00 of a dated heading', () => {
    const content = journal('## 2026-03-01 9:05 - Early start\n- **Task**: A\n', '## 24:00 (2026-02-28)\n- **Task**: B\n', '## 12:30 | Review\n**Task:** C\n')
    const { activities, errors } = readJournalFile('/j.md', content, CONTEXT, '2026-02-23')
    expect(errors).toEqual([])
    expect(activities.map((a) => [a.at, a.task, a.notes])).toEqual([
      ['2026-03-01T09:05:00.000Z', 'A', 'Early start'],
      ['2026-03-01T00:00:00.000Z', 'B', undefined],
      ['2026-02-23T12:30:00.000Z', 'C', 'Review'],
    ])
  })

  it('reports an entry whose heading has no readable time by its lines, and imports the others', () => {
    const content = journal('## Notes\nsome thoughts\nmore thoughts\n', '## 25:10\n- **Task**: late\n', '## 10:00\n- **Task**: fine\n')
    const { activities, errors } = readJournalFile('/j.md', content, CONTEXT, '2026-02-23')
    expect(activities.map((a) => a.task)).toEqual(['fine'])
    expect(errors).toEqual([
      { source: '/j.md', position: 'lines 3-5', message: 'the heading has no "HH:MM" time, so this entry was not imported; give it one (e.g. "## 14:30") and migrate again: "## Notes"' },
      { source: '/j.md', position: 'lines 7-8', message: 'the heading\'s time 25:10 is not a time of day, so this entry was not imported; give it one (e.g. "## 14:30") and migrate again: "## 25:10"' },
    ])
  })

  it('keeps unknown labels and sub-headings in the notes of their own entry', () => {
    const content = journal('## 10:00\n- **Task**: one\n### Risks\n- the cache\n- **Follow-up**: ask Ada\n## 11:00\n- **Task**: two\n')
    const { activities } = readJournalFile('/j.md', content, CONTEXT, '2026-02-23')
    expect(activities.map((a) => [a.task, a.notes])).toEqual([['one', '### Risks\n- the cache\n- **Follow-up**: ask Ada'], ['two', undefined]])
  })
})
