import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '../test/legacy-fixtures.js'
import { importLegacyFiles } from './import-legacy-files.js'
import { readJournalFile } from './legacy-journal-file.js'

const CONTEXT = { setup: 'build', project: '/work/shop', now: '2026-03-01T00:00:00.000Z' }

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
    for (const root of projects) expect(await importLegacyFiles(root, store, { setup: 'build' })).toMatchObject({ skipped: 0, errors: [] })
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

  it('reports text in a section that belongs to no field instead of dropping it', () => {
    const content = journal('A slow day.\n## 09:15\nstarted late today\n- **Task**: Cart\n')
    const { activities, errors } = readJournalFile('/j.md', content, CONTEXT, '2026-02-23')
    expect(activities.map((a) => a.task)).toEqual(['Cart'])
    expect(errors).toEqual([
      { source: '/j.md', position: 'line 3', message: 'text outside any "## HH:MM" entry was not imported: "A slow day."' },
      { source: '/j.md', position: 'line 5', message: 'text before the first "- **Field**:" bullet of the 09:15 entry was not imported: "started late today"' },
    ])
  })
})
