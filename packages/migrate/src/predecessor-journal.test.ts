import { join } from 'node:path'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { PREDECESSOR_FILES, copyPredecessorProjectFiles, journalExpectations, missingJournalLines, readPredecessorFile } from '@agent-tracker/predecessor'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { importLegacyFiles } from './import-legacy-files.js'
import { readJournalFile } from './legacy-journal-file.js'
import { resolveTimeZone } from './legacy-time.js'

const JOURNAL = readPredecessorFile('journal')
const CONTEXT = { setup: 'AgentTracker-Core', project: '/home/dev/opencode-agent-tracker', folder: '/home/dev/opencode-agent-tracker', now: '2026-03-01T00:00:00.000Z', zone: resolveTimeZone('Europe/Stockholm') }

function texts(activity: { task: string; actions: string; outcome: string; decisions: string; notes?: string | undefined }): string[] {
  return [activity.task, activity.actions, activity.outcome, activity.decisions, activity.notes ?? '']
}

describe('the predecessor\'s own journal', () => {
  const { activities, errors } = readJournalFile('/j.md', JOURNAL, CONTEXT, '2026-02-23')

  it('becomes one activity per heading, in every heading style it wrote, with no issue', () => {
    expect(errors).toEqual([])
    expect(activities).toHaveLength(journalExpectations(JOURNAL).entries.length)
    expect(activities).toHaveLength(22)
    expect(new Set(activities.map((activity) => activity.id)).size).toBe(22)
  })

  it('gives each its own time: a date in the heading wins and 24:00 is the next day', () => {
    // Europe/Stockholm is UTC+1 in February.
    expect(activities.map((activity) => activity.at)).toEqual([
      '2026-02-23T17:00:00.000Z', '2026-02-23T17:30:00.000Z', '2026-02-23T18:00:00.000Z', '2026-02-23T18:30:00.000Z',
      '2026-02-23T19:00:00.000Z', '2026-02-23T19:30:00.000Z', '2026-02-23T20:00:00.000Z', '2026-02-23T20:30:00.000Z',
      '2026-02-23T20:45:00.000Z', '2026-02-23T21:00:00.000Z', '2026-02-23T21:15:00.000Z', '2026-02-23T22:00:00.000Z',
      '2026-02-23T22:30:00.000Z', '2026-02-23T23:00:00.000Z', '2026-02-24T01:00:00.000Z', '2026-02-24T01:30:00.000Z',
      '2026-02-23T18:00:00.000Z', '2026-02-23T19:00:00.000Z', '2026-02-23T19:30:00.000Z', '2026-02-23T14:30:00.000Z',
      '2026-02-23T15:00:00.000Z', '2026-02-23T19:30:00.000Z',
    ])
  })

  it('reads **Task:** labels and ### Task headings, and keeps titles and other blocks in the notes', () => {
    const bug3 = activities[16]
    expect(bug3).toMatchObject({ task: 'Fix plugin crash that took down OpenCode', outcome: 'Success — plugin now degrades gracefully instead of crashing OpenCode' })
    expect(bug3?.notes).toBe('Bug #3 Fix: targetDb undefined crash')
    expect(bug3?.actions.split('\n')).toHaveLength(5)
    expect(bug3?.decisions).toContain('CS drops to Breaking Point tier (1-19)')
    const health = activities[19]
    expect(health?.task).toBe('Redesign `formatHealthStatus()` with FIGlet ASCII art + Tron RPG player sheet.')
    expect(health?.actions).toContain('3. M20: Wired new module into `src/index.ts`, removed old inline function')
    expect(health?.decisions).toContain('Pure ASCII only (no Unicode box-drawing) — permanently fixes alignment bug')
    expect(activities[20]?.task).toBe('R11 Database-Aware Brainstorm/Plan Suggestions — full agile workflow')
    // The "### Bug #2" block inside the 02:00 entry stays with it, not with the next entry.
    expect(activities[14]?.notes).toContain('Bug #2: Failure to commit verified work')
    expect(activities[14]?.notes).toContain('- **Prevention**: Commit immediately after verification gate passes. No questions between verification and commit.')
    expect(activities[14]?.decisions).toBe('None.')
    expect(activities[15]?.notes).toBeUndefined()
  })

  it('loses no line: the text of every non-empty line is in some activity', () => {
    expect(missingJournalLines(JOURNAL, activities.flatMap(texts))).toEqual([])
  })

  it('is read as the same entries when migrated again in another time zone', async () => {
    const project = tempFolder()
    copyPredecessorProjectFiles(project)
    const store = createMemoryStore()
    const first = await importLegacyFiles(project, store, { timeZone: 'Europe/Stockholm' })
    expect(first.errors).toEqual([])
    const again = await importLegacyFiles(project, store, { timeZone: 'America/New_York' })
    expect(again).toMatchObject({ migrated: 0, errors: [], timeZone: 'America/New_York' })
    expect(await store.find('activities')).toHaveLength(22)
    expect(await store.find('gradeEvents')).toHaveLength(13)
    // The records keep the times read in Stockholm, and the migration says so: the second run read nothing new.
    expect(await store.listMigrations()).toEqual([expect.objectContaining({ id: `legacy-files:${project}`, timeZone: 'Europe/Stockholm', setup: 'AgentTracker-Core' })])
  })

  it('imports the status file\'s scores with the 13 graded retrospectives\' grades', async () => {
    const project = tempFolder()
    copyPredecessorProjectFiles(project)
    const store = createMemoryStore()
    const report = await importLegacyFiles(project, store, { timeZone: 'UTC' })
    expect(report.errors).toEqual([])
    const setup = await store.get('setups', ['AgentTracker-Core'])
    expect(setup?.state).toMatchObject({ skillPoints: 2.7, experience: 26.7, communication: 6, commits: 46, bugs: 3 })
    expect(setup?.state.userGrades.count).toBe(13)
    expect(setup?.state.agentGrades.count).toBe(13)
    expect(await store.find('retrospectives')).toHaveLength(13)
    expect(join(project, PREDECESSOR_FILES.status)).toContain('.agent')
  })
})
