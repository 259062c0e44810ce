import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { importLegacyFiles } from './import-legacy-files.js'
import { folderLegacyStatus } from './legacy-status.js'
import { mergeDatabase } from './merge-database.js'

const COMMUNICATION = `[
  {
    "commit": "a1b2c3d",
    "timestamp": "2026-02-23T18:00:00",
    "task": "Add the cart",
    "agent_grade": "good",
    "user_grade": "excellence",
    "score_before": 60.0,
    "score_after": 67.0,
    "agent_note": "asked about VAT first",
    "user_note": "exactly what I wanted",
    "sp_before": 1.0,
    "xp_after": 3.5
  },
  {
    "commit": "e4f5a6b",
    "timestamp": "2026-02-24T09:30:00Z",
    "task": "Fix totals",
    "agent_grade": 2,
    "user_grade": -1,
    "agent_note": "",
    "user_note": "rounding still wrong"
  },
  {
    "commit": "9abcdef",
    "timestamp": "2026-02-25T10:00:00Z",
    "task": "Refactor",
    "agent_grade": "good"
  },
  {
    "commit": "1234567",
    "timestamp": "2026-02-25T11:00:00Z",
    "agent_grade": "superb",
    "user_grade": 1
  }
]
`

const JOURNAL = `# Journal - 2026-02-23

## 09:15
- **Task**: Set up the cart module
- **Actions taken**: created cart.ts, wrote tests
- **Outcome**: tests green
- **Decisions made**: store money as integer cents

## 14:40
- **Actions taken**: looked around

## 16:05
- **Task**: Checkout page
- **Outcome**: half done
`

function project(files: Record<string, string>): string {
  const root = join(tempFolder(), 'shop')
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), content)
  }
  return root
}

describe('importLegacyFiles', () => {
  let zone: string | undefined
  beforeEach(() => {
    zone = process.env.TZ
    process.env.TZ = 'Europe/Berlin'
  })
  afterEach(() => {
    // Assigning undefined would set TZ to the string "undefined".
    if (zone === undefined) delete process.env.TZ
    else process.env.TZ = zone
  })

  it('imports status, retrospectives (label or number grades, zone-less times, extra fields) and journal activities', async () => {
    const root = project({
      '.agent/status.json': '{"agent_name": "build", "skill_points": 3.0, "experience_points": 46.0, "total_commits": 12, "total_bugs": 2, "halted": false, "communication_score": 77.0}',
      '.journal/communication.json': COMMUNICATION,
      '.journal/2026-02-23.md': JOURNAL,
    })
    const store = createMemoryStore()
    const report = await importLegacyFiles(root, store)
    // 1 setup, 2 retrospectives with their 2 commits and 2 grade events, 3 activities (one without a task).
    expect(report).toEqual({ migrated: 1 + 2 + 2 + 2 + 3, skipped: 0, errors: expect.any(Array) as unknown, setup: 'build', timeZone: 'Europe/Berlin' })
    expect(await store.find('commits')).toHaveLength(2)
    expect(await store.find('gradeEvents')).toHaveLength(2)
    // The status file's scores, and the grades of the two readable retrospectives.
    expect(await store.get('setups', ['build'])).toMatchObject({ state: { skillPoints: 3, experience: 46, communication: 77, commits: 12, bugs: 2, agentGrades: { count: 2, sum: 4 }, userGrades: { count: 2, sum: 4 } } })
    expect(await store.get('retrospectives', ['build', 'a1b2c3d'])).toEqual({
      v: 1, setup: 'build', commit: 'a1b2c3d', project: root, at: '2026-02-23T17:00:00.000Z', updatedAt: '2026-02-23T17:00:00.000Z',
      task: 'Add the cart', agentGrade: 2, userGrade: 5, agentNote: 'asked about VAT first', userNote: 'exactly what I wanted',
      agentGradeChannel: 'import', userGradeChannel: 'import', scoreBefore: 60, scoreAfter: 67, extra: { sp_before: 1, xp_after: 3.5 },
    })
    // The predecessor's grades were the user's: imported with channel import, vouched for, they count.
    expect(await store.find('gradeEvents')).toEqual(expect.arrayContaining([expect.objectContaining({ commit: 'a1b2c3d', by: 'user', userGrade: 5, channel: 'import', vouched: true })]))
    expect(await store.get('retrospectives', ['build', 'e4f5a6b'])).toMatchObject({ agentGrade: 2, userGrade: -1, userNote: 'rounding still wrong' })
    expect((await store.get('retrospectives', ['build', 'e4f5a6b']))?.agentNote).toBeUndefined()
    expect(await store.get('commits', [root, 'a1b2c3d'])).toMatchObject({ setup: 'build', task: 'Add the cart' })
    const activities = await store.find('activities', { setup: 'build', order: 'oldest' })
    expect(activities.map((a) => [a.at, a.task, a.actions, a.outcome, a.decisions])).toEqual([
      ['2026-02-23T08:15:00.000Z', 'Set up the cart module', 'created cart.ts, wrote tests', 'tests green', 'store money as integer cents'],
      ['2026-02-23T13:40:00.000Z', 'Journal entry of 2026-02-23 14:40', 'looked around', '', ''],
      ['2026-02-23T15:05:00.000Z', 'Checkout page', '', 'half done', ''],
    ])
  })

  it('keeps on record the zone the times were read in when a later run imports nothing', async () => {
    const root = project({ '.agent/status.json': '{"agent_name": "build", "skill_points": 4.0}', '.journal/communication.json': COMMUNICATION })
    const store = createMemoryStore()
    expect((await importLegacyFiles(root, store, { timeZone: 'Europe/Stockholm' })).migrated).toBeGreaterThan(0)
    const again = await importLegacyFiles(root, store, { timeZone: 'UTC' })
    expect(again.migrated).toBe(0)
    expect((await store.listMigrations()).find((record) => record.source === root)).toMatchObject({ kind: 'legacy-files', timeZone: 'Europe/Stockholm' })
  })

  it('reads zone-less times in the zone of a TZ that is a zoneinfo path, and in UTC under a TZ the runtime does not know', async () => {
    // Intl names no zone for either; the runtime's clock runs on the path's zone, or on UTC.
    const stamp = '{"commit": "a1b2c3d", "timestamp": "2026-02-23T18:00:00", "task": "t", "agent_grade": "good", "user_grade": "good"}'
    process.env.TZ = ':/usr/share/zoneinfo/Asia/Tokyo'
    const tokyo = createMemoryStore()
    expect(await importLegacyFiles(project({ '.journal/communication.json': `[${stamp}]` }), tokyo, { setup: 'build' })).toMatchObject({ errors: [], timeZone: 'Asia/Tokyo' })
    expect((await tokyo.get('retrospectives', ['build', 'a1b2c3d']))?.at).toBe('2026-02-23T09:00:00.000Z')
    process.env.TZ = 'Foo/Bar'
    const unknown = createMemoryStore()
    expect(await importLegacyFiles(project({ '.journal/communication.json': `[${stamp}]` }), unknown, { setup: 'build' })).toMatchObject({ errors: [], timeZone: 'UTC' })
    expect((await unknown.get('retrospectives', ['build', 'a1b2c3d']))?.at).toBe('2026-02-23T18:00:00.000Z')
  })

  it('imports a halted agent with no skill points, whatever its status file still says', async () => {
    const root = project({ '.agent/status.json': '{"agent_name": "build", "skill_points": 4.0, "experience_points": 46.0, "halted": true}' })
    const store = createMemoryStore()
    expect(await importLegacyFiles(root, store)).toEqual({ migrated: 1, skipped: 0, errors: [], setup: 'build', timeZone: 'Europe/Berlin' })
    expect(await store.get('setups', ['build'])).toMatchObject({ state: { skillPoints: 0, experience: 46 } })
  })

  it('reports each bad entry with file and position and imports the rest', async () => {
    const root = project({ '.journal/communication.json': COMMUNICATION, '.journal/2026-02-23.md': JOURNAL })
    const report = await importLegacyFiles(root, createMemoryStore(), { setup: 'build@anthropic/claude-sonnet-4-5' })
    const communication = join(root, '.journal', 'communication.json')
    expect(report.errors).toEqual([
      { source: communication, position: 'entry 3 (line 24) (commit 9abcdef)', message: 'missing field "user_grade"' },
      { source: communication, position: 'entry 4 (line 30) (commit 1234567)', message: 'field "agent_grade" "superb": accepted values are -1 (bad), 1 (neutral), 2 (good), 5 (excellence)' },
    ])
    // 2 retrospectives, their commits and grade events, 3 activities, and the setup.
    expect(report.migrated).toBe(2 + 2 + 2 + 3 + 1)
  })

  it('holds retrospectives and journal entries to the free-text limit of every other door, and imports the rest', async () => {
    const long = 'x'.repeat(300_000)
    const entry = (commit: string, note: string): string => JSON.stringify({ commit, timestamp: '2026-02-23T18:00:00Z', agent_grade: 'good', user_grade: 'good', user_note: note })
    const root = project({
      '.journal/communication.json': `[\n${entry('a1b2c3d', long)},\n${entry('e4f5a6b', 'fine')}\n]\n`,
      '.journal/2026-02-23.md': `# Journal - 2026-02-23\n\n## 09:15\n- **Task**: fine\n\n## 10:00\n- **Task**: went wrong\n- **What went wrong**: ${long}\n`,
    })
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const report = await importLegacyFiles(root, store, { setup: 'build' })
      expect(report.errors).toEqual([
        { source: join(root, '.journal', 'communication.json'), position: 'entry 1 (line 2) (commit a1b2c3d)', message: 'field "user_note" is 300000 bytes of text; accepted is at most 262144 bytes (256 KiB), as everywhere free text enters' },
        { source: join(root, '.journal', '2026-02-23.md'), position: 'line 6', message: expect.stringMatching(/^Invalid activities record: field "notes" is "- \*\*What went wrong\*\*: x+\.\.\."; accepted is a string of at most 262144 bytes, so this entry was not imported$/) as unknown },
      ])
      expect((await store.find('retrospectives')).map((retrospective) => retrospective.commit)).toEqual(['e4f5a6b'])
      expect((await store.find('commits')).map((commit) => commit.hash)).toEqual(['e4f5a6b'])
      expect((await store.find('activities')).map((activity) => activity.task)).toEqual(['fine'])
    } finally {
      await store.close()
    }
  })

  it.each([
    ['skill_points', '1e308', 'field "skill_points" is 1e+308; accepted is a number from 0 to 10000'],
    ['skill_points', '10001', 'field "skill_points" is 10001; accepted is a number from 0 to 10000'],
    ['experience_points', '9007199254740993', 'field "experience_points" is 9007199254740992; accepted is a number from 0 to 1000000000000000'],
    ['communication_score', '1e300', 'field "communication_score" is 1e+300; accepted is a number from 0 to 1000000000000000'],
    ['total_commits', '1e20', 'field "total_commits" is 100000000000000000000; accepted is a whole number from 0 to 1000000000000000'],
    ['total_bugs', '2e15', 'field "total_bugs" is 2000000000000000; accepted is a whole number from 0 to 1000000000000000'],
  ])('reports a status file whose %s (%s) is out of the bounds of every setup, and stores none of its scores', async (field, value, message) => {
    const root = project({ '.agent/status.json': `{"agent_name": "h1", "skill_points": 3, "${field}": ${value}}`, '.journal/2026-02-23.md': JOURNAL })
    const path = join(tempFolder(), 'tracker.lmdb')
    const store = openLmdbStore({ databasePath: path })
    try {
      const report = await importLegacyFiles(root, store, { timeZone: 'UTC' })
      expect(report.errors[0]).toEqual({ source: join(root, '.agent', 'status.json'), message })
      // As with any status file that cannot be used: the journal goes to the placeholder, at a new setup's scores.
      expect((await store.find('setups')).map((setup) => [setup.id, setup.state.skillPoints, setup.state.experience, setup.state.commits])).toEqual([['unattributed-shop', 1, 0, 0]])
    } finally {
      await store.close()
    }
    // What was stored is what every other door takes: a merge of the database refuses nothing.
    const other = openLmdbStore({ databasePath: join(tempFolder(), 'other.lmdb') })
    try {
      expect((await mergeDatabase(path, other)).errors).toEqual([])
    } finally {
      await other.close()
    }
  })

  it('keeps status-file scores up to the bounds, and a communication score above the cap of its skill points as the predecessor kept it', async () => {
    const highest = project({ '.agent/status.json': '{"agent_name": "h1", "skill_points": 10000, "experience_points": 1e15, "communication_score": 150, "total_commits": 1e15}' })
    const past = project({ '.agent/status.json': '{"agent_name": "h2", "skill_points": 10000.5, "communication_score": 150}' })
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      expect(await importLegacyFiles(highest, store, { timeZone: 'UTC' })).toMatchObject({ errors: [], setup: 'h1' })
      expect((await store.get('setups', ['h1']))?.state).toMatchObject({ skillPoints: 10000, experience: 1e15, communication: 150, commits: 1e15 })
      expect((await importLegacyFiles(past, store, { timeZone: 'UTC' })).errors).toEqual([
        { source: join(past, '.agent', 'status.json'), message: 'field "skill_points" is 10000.5; accepted is a number from 0 to 10000' },
        expect.objectContaining({ source: past }),
      ])
      expect(await store.get('setups', ['h2'])).toBeUndefined()
    } finally {
      await store.close()
    }
  })

  it('reports a file that is not JSON by line and column and still imports the other files', async () => {
    const root = project({
      '.agent/status.json': '{"agent_name": "build", "skill_points": 2,\n  "total_commits": 4,,\n}',
      '.journal/communication.json': COMMUNICATION,
    })
    const store = createMemoryStore()
    const report = await importLegacyFiles(root, store, { setup: 'build' })
    expect(report.errors[0]).toEqual({
      source: join(root, '.agent', 'status.json'),
      position: 'line 2, column 22',
      message: expect.stringMatching(/^not valid JSON: /) as unknown,
    })
    expect(await store.find('retrospectives')).toHaveLength(2)
    // No scores from the unreadable file: only the grades and commits the journal records.
    expect((await store.get('setups', ['build']))?.state).toMatchObject({ skillPoints: 1, experience: 0, commits: 2, userGrades: { count: 2, sum: 4 } })
  })

  it('is idempotent, never overwrites, and remembers what the first run migrated', async () => {
    const root = project({ '.journal/communication.json': COMMUNICATION, '.journal/2026-02-23.md': JOURNAL })
    const store = createMemoryStore()
    const first = await importLegacyFiles(root, store)
    const second = await importLegacyFiles(root, store)
    expect(second).toMatchObject({ migrated: 0, skipped: first.migrated })
    expect(await store.find('activities')).toHaveLength(3)
    // The record keeps what was migrated over every run; skipped and errors are the latest run's.
    expect(await store.listMigrations()).toEqual([expect.objectContaining({ id: `legacy-files:${root}`, kind: 'legacy-files', migrated: first.migrated, skipped: first.migrated })])
  })

  it('counts a run stopped after it stored records but before their scores when it runs again', async () => {
    const root = project({ '.journal/communication.json': COMMUNICATION })
    const setup = 'build@anthropic/claude-sonnet-4-5'
    const whole = createMemoryStore()
    await importLegacyFiles(root, whole, { setup })
    const expected = (await whole.get('setups', [setup]))?.state
    expect(expected).toMatchObject({ commits: 2, userGrades: { count: 2 } })
    const store = createMemoryStore()
    // The records stored, then the run stopped before the setup's scores (a kill, OpenCode closing).
    const stopped = new Proxy(store, {
      get: (target, name) => (name === 'importSetups' ? () => Promise.reject(new Error('stopped')) : (Reflect.get(target, name) as unknown)),
    })
    expect((await importLegacyFiles(root, stopped, { setup })).errors).toContainEqual(expect.objectContaining({ message: 'import stopped: stopped' }))
    expect(await store.find('gradeEvents')).toHaveLength(2)
    await importLegacyFiles(root, store, { setup })
    expect((await store.get('setups', [setup]))?.state).toEqual(expected)
  })

  it('imports a journal far larger than one write may be, within a size limit its records fit', async () => {
    // 3,000 reviews (0.6 MB of JSON): their records take ~4 MB, but a store's check that one write
    // fits counts on far more (about 24 MB), and refused a whole file written at once.
    const entries = Array.from({ length: 3000 }, (_, i) => ({ commit: (0x1000000 + i).toString(16), timestamp: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), task: `task ${String(i)}`, agent_grade: 2, user_grade: 5, agent_note: 'a note '.repeat(5), user_note: 'fine' }))
    const root = project({ '.journal/communication.json': JSON.stringify(entries) })
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'small.lmdb'), maxDatabaseSize: 16 * 1024 * 1024 })
    const report = await importLegacyFiles(root, store, { setup: 'build@x/y' })
    expect(report.errors).toEqual([])
    expect(await store.find('gradeEvents')).toHaveLength(3000)
    expect((await store.get('setups', ['build@x/y']))?.state.userGrades.count).toBe(3000)
    await store.close()
  })

  it('does nothing for a project without legacy files', async () => {
    expect(await importLegacyFiles(tempFolder(), createMemoryStore())).toEqual({ migrated: 0, skipped: 0, errors: [] })
  })

  it('leaves agent-tracker\'s own .agent/status.json export out, and imports the journal under the setup it names', async () => {
    const own = JSON.stringify({ written_by: 'agent-tracker', agent_name: 'build', setup: 'build@openai/gpt-5', skill_points: 9, total_commits: 99 })
    const store = createMemoryStore()
    expect(await importLegacyFiles(project({ '.agent/status.json': own }), store)).toEqual({ migrated: 0, skipped: 0, errors: [] })
    expect(await store.find('setups')).toEqual([])
    expect(await store.listMigrations()).toEqual([])
    const report = await importLegacyFiles(project({ '.agent/status.json': own, '.journal/2026-02-23.md': JOURNAL }), store)
    expect(report).toMatchObject({ setup: 'build@openai/gpt-5', errors: [] })
    expect((await store.find('setups')).map((setup) => [setup.id, setup.state.commits, setup.state.skillPoints])).toEqual([['build@openai/gpt-5', 0, 1]])
  })
})

describe('legacy files saved with a UTF-8 byte-order mark', () => {
  const BOM = '\uFEFF'

  it('read as without one: the status file\'s scores, every retrospective, and the journal\'s title date', async () => {
    const retrospective = JSON.stringify({ commit: 'a1b2c3d', timestamp: '2026-02-23T18:00:00Z', task: 'Add the cart', agent_grade: 'good', user_grade: 'excellence' })
    const root = project({
      '.agent/status.json': `${BOM}{"agent_name":"bomagent","skill_points":3}`,
      '.journal/communication.json': `${BOM}[\n${retrospective}\n]\n`,
      // The title's date, not the file name's, dates the entry.
      '.journal/2026-02-24.md': `${BOM}# Journal - 2026-02-23\n\n## 09:15\n- **Task**: Set up the cart module\n`,
    })
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const report = await importLegacyFiles(root, store, { timeZone: 'UTC' })
      expect(report).toMatchObject({ errors: [], setup: 'bomagent' })
      expect((await store.get('setups', ['bomagent']))?.state).toMatchObject({ skillPoints: 3, userGrades: { count: 1, sum: 5 } })
      expect((await store.find('retrospectives')).map((record) => record.task)).toEqual(['Add the cart'])
      expect((await store.find('activities')).map((activity) => [activity.at, activity.task])).toEqual([['2026-02-23T09:15:00.000Z', 'Set up the cart module']])
    } finally {
      await store.close()
    }
  })

  it('still tell agent-tracker\'s own status export from legacy data, in doctor and in a migration', async () => {
    const root = project({ '.agent/status.json': `${BOM}${JSON.stringify({ written_by: 'agent-tracker', agent_name: 'build', setup: 'build@openai/gpt-5', skill_points: 9 })}` })
    expect(folderLegacyStatus(root, []).ownStatusExport).toBe(true)
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      expect(await importLegacyFiles(root, store)).toEqual({ migrated: 0, skipped: 0, errors: [] })
    } finally {
      await store.close()
    }
  })
})

describe('legacy files that are not UTF-8 text', () => {
  const NOT_UTF8 = 'not UTF-8 text (saved as Latin-1 or Windows-1252, perhaps); accepted is UTF-8 text. Nothing of the file was imported: save it as UTF-8 and migrate again'
  /** Latin-1 bytes: "é" is the single byte 0xE9, which UTF-8 never has alone. */
  const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1')

  it('are reported by file and line, and none of their text is stored with characters replaced', async () => {
    const root = project({ '.journal/2026-02-23.md': JOURNAL })
    const status = join(root, '.agent', 'status.json')
    const communication = join(root, '.journal', 'communication.json')
    const journal = join(root, '.journal', '2026-02-24.md')
    mkdirSync(join(root, '.agent'))
    writeFileSync(status, latin1('{"agent_name": "café", "skill_points": 3}'))
    writeFileSync(communication, latin1('[\n{"commit": "a1b2c3d", "timestamp": "2026-02-23T18:00:00Z", "task": "Add the café menu", "agent_grade": "good", "user_grade": "good"}\n]\n'))
    writeFileSync(journal, latin1('# Journal - 2026-02-24\n\n## 09:15\n- **Task**: Order at the café\n'))
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      const report = await importLegacyFiles(root, store, { timeZone: 'UTC' })
      expect(report.errors).toEqual([
        { source: status, position: 'line 1', message: NOT_UTF8 },
        { source: communication, position: 'line 2', message: NOT_UTF8 },
        { source: journal, position: 'line 4', message: NOT_UTF8 },
        { source: root, message: expect.stringMatching(/^\.agent\/status\.json, which names the agent that wrote them, cannot be read: the journal was imported under the setup "unattributed-shop"\./) as unknown },
      ])
      // The UTF-8 journal is imported; nothing of the other files is, under any setup.
      expect((await store.find('setups')).map((setup) => setup.id)).toEqual(['unattributed-shop'])
      expect(await store.find('retrospectives')).toEqual([])
      expect((await store.find('activities')).map((activity) => activity.task)).not.toContain('Order at the caf\uFFFD')
      expect(await store.find('activities')).toHaveLength(3)
    } finally {
      await store.close()
    }
  })

  it('import once saved as UTF-8, under the setup the status file names', async () => {
    const root = project({})
    mkdirSync(join(root, '.agent'), { recursive: true })
    const status = join(root, '.agent', 'status.json')
    writeFileSync(status, latin1('{"agent_name": "café", "skill_points": 3}'))
    const store = openLmdbStore({ databasePath: join(tempFolder(), 'tracker.lmdb') })
    try {
      expect((await importLegacyFiles(root, store, { timeZone: 'UTC' })).errors[0]).toEqual({ source: status, position: 'line 1', message: NOT_UTF8 })
      expect(await store.find('setups')).toEqual([])
      writeFileSync(status, '{"agent_name": "café", "skill_points": 3}')
      expect(await importLegacyFiles(root, store, { timeZone: 'UTC' })).toMatchObject({ errors: [], setup: 'café' })
      expect((await store.find('setups')).map((setup) => [setup.id, setup.state.skillPoints])).toEqual([['café', 3]])
    } finally {
      await store.close()
    }
  })
})

describe('legacy files whose status file does not say which setup wrote them', () => {
  const TRUNCATED = '{"agent_name": "build", "skill_points": 3.0, "experi'

  it('imports the journal under a placeholder setup, says so and how to fix it, and moves it on a later run with --setup', async () => {
    const root = project({ '.agent/status.json': TRUNCATED, '.journal/communication.json': COMMUNICATION, '.journal/2026-02-23.md': JOURNAL })
    const store = createMemoryStore()
    const first = await importLegacyFiles(root, store, { timeZone: 'UTC' })
    expect(first.setup).toBe('unattributed-shop')
    expect(first.errors.map((issue) => issue.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^not valid JSON: /),
      `.agent/status.json, which names the agent that wrote them, cannot be read: the journal was imported under the setup "unattributed-shop". Run \`agent-tracker migrate ${root} --setup <agent or agent@provider/model>\` to move it to the setup it belongs to.`,
    ]))
    expect((await store.find('activities')).map((activity) => activity.setup)).toEqual(['unattributed-shop', 'unattributed-shop', 'unattributed-shop'])
    const counts = await Promise.all((['commits', 'retrospectives', 'gradeEvents', 'activities'] as const).map(async (c) => (await store.find(c)).length))

    const second = await importLegacyFiles(root, store, { setup: 'build@anthropic/claude-sonnet-4-5', timeZone: 'UTC' })
    expect(second).toMatchObject({ migrated: 0, setup: 'build@anthropic/claude-sonnet-4-5', moved: { from: 'unattributed-shop', to: 'build@anthropic/claude-sonnet-4-5', records: 2 + 2 + 2 + 3 } })
    expect(await store.get('setups', ['unattributed-shop'])).toBeUndefined()
    expect(await Promise.all((['commits', 'retrospectives', 'gradeEvents', 'activities'] as const).map(async (c) => (await store.find(c)).length))).toEqual(counts)
    for (const collection of ['commits', 'retrospectives', 'gradeEvents', 'activities'] as const) {
      expect(new Set((await store.find(collection)).map((record) => record.setup))).toEqual(new Set(['build@anthropic/claude-sonnet-4-5']))
    }
    expect((await store.get('setups', ['build@anthropic/claude-sonnet-4-5']))?.state).toMatchObject({ commits: 2, userGrades: { count: 2, sum: 4 } })
    expect(await importLegacyFiles(root, store, { timeZone: 'UTC' })).toMatchObject({ migrated: 0, setup: 'build@anthropic/claude-sonnet-4-5' })
  })

  it('says that nothing was imported when its only legacy file is a status file that cannot be read, and imports it once repaired', async () => {
    const root = project({ '.agent/status.json': TRUNCATED })
    const store = createMemoryStore()
    const first = await importLegacyFiles(root, store, { timeZone: 'UTC' })
    expect(first.errors).toEqual([
      { source: join(root, '.agent', 'status.json'), position: expect.any(String) as unknown, message: expect.stringMatching(/^not valid JSON: /) as unknown },
      { source: root, message: `.agent/status.json cannot be read and there is no journal (.journal/), so nothing was imported. Fix the file and run \`agent-tracker migrate ${root}\` again.` },
    ])
    // No journal went anywhere, and no placeholder setup or migration run was made.
    expect(first).toMatchObject({ migrated: 0, skipped: 0 })
    expect(first.setup).toBeUndefined()
    expect(await store.find('setups')).toEqual([])
    expect(await store.listMigrations()).toEqual([])
    writeFileSync(join(root, '.agent', 'status.json'), '{"agent_name": "build", "skill_points": 3.0}')
    expect(await importLegacyFiles(root, store, { timeZone: 'UTC' })).toMatchObject({ setup: 'build', errors: [] })
    expect((await store.find('setups')).map((setup) => [setup.id, setup.state.skillPoints])).toEqual([['build', 3]])
  })

  it('says it was the status file\'s scores that went to the placeholder when the status file names no agent and there is no journal', async () => {
    const root = project({ '.agent/status.json': '{"skill_points": 3.0, "total_commits": 4}' })
    const store = createMemoryStore()
    const report = await importLegacyFiles(root, store, { timeZone: 'UTC' })
    expect(report.errors).toEqual([
      { source: root, message: `.agent/status.json names no agent: the status file's scores were imported under the setup "unattributed-shop". Run \`agent-tracker migrate ${root} --setup <agent or agent@provider/model>\` to move them to the setup they belong to.` },
    ])
    expect((await store.find('setups')).map((setup) => [setup.id, setup.state.skillPoints, setup.state.commits])).toEqual([['unattributed-shop', 3, 4]])
  })

  it('moves the placeholder\'s records when the status file has been repaired, and adds its scores', async () => {
    const root = project({ '.agent/status.json': TRUNCATED, '.journal/2026-02-23.md': JOURNAL })
    const store = createMemoryStore()
    await importLegacyFiles(root, store, { timeZone: 'UTC' })
    writeFileSync(join(root, '.agent', 'status.json'), '{"agent_name": "build", "skill_points": 3.0, "experience_points": 4, "total_commits": 12}')
    const repaired = await importLegacyFiles(root, store, { timeZone: 'UTC' })
    expect(repaired).toMatchObject({ setup: 'build', moved: { from: 'unattributed-shop', to: 'build', records: 3 }, errors: [] })
    expect((await store.find('setups')).map((setup) => [setup.id, setup.state.skillPoints, setup.state.commits])).toEqual([['build', 3, 12]])
    expect(await store.find('activities', { setup: 'build' })).toHaveLength(3)
  })

  it('never moves an import that went to a named setup, and says so', async () => {
    const root = project({ '.agent/status.json': '{"agent_name": "build"}', '.journal/2026-02-23.md': JOURNAL })
    const store = createMemoryStore()
    await importLegacyFiles(root, store, { timeZone: 'UTC' })
    const report = await importLegacyFiles(root, store, { setup: 'plan', timeZone: 'UTC' })
    expect(report.setup).toBe('build')
    expect(report.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('were imported under the setup "build"') as unknown })])
    expect((await store.find('setups')).map((setup) => setup.id)).toEqual(['build'])
  })
})

describe('legacy files after agent-tracker\'s own export took the status file\'s place', () => {
  it('keep to the setup they were imported under, with nothing new and no issue', async () => {
    const root = project({ '.agent/status.json': '{"agent_name": "AgentTracker-Core", "skill_points": 2.7}', '.journal/2026-02-23.md': JOURNAL })
    const store = createMemoryStore()
    expect(await importLegacyFiles(root, store, { timeZone: 'UTC' })).toMatchObject({ setup: 'AgentTracker-Core', errors: [] })
    writeFileSync(join(root, '.agent', 'status.json'), JSON.stringify({ written_by: 'agent-tracker', agent_name: 'build', setup: 'build@fake/m1' }))
    expect(await importLegacyFiles(root, store, { timeZone: 'UTC' })).toMatchObject({ migrated: 0, setup: 'AgentTracker-Core', errors: [] })
    expect((await store.find('setups')).map((setup) => setup.id)).toEqual(['AgentTracker-Core'])
  })
})
