import type { ActivityRecord, BugRecord, CommitRecord, GradeEventRecord, ProjectRecord, RecordBatch, RetrospectiveRecord, SetupRecord, UsageRecord } from '@agent-tracker/core'
import { initialState, parseSetupId, readRecommendation, resolveRules } from '@agent-tracker/core'
import { profileFolder } from '@agent-tracker/node-host'
import { openLmdbStore } from '@agent-tracker/lmdb-store'

/** Sizes of the large database. */
export interface ScaleSizes {
  readonly commits: number
  readonly activities: number
  readonly setups: number
  readonly projects: number
}

/** What the generator wrote, beside the sizes asked for. */
export interface ScaleContent {
  /** Sessions: one setup in one project on one day, each with a share of the commits and activities. */
  readonly sessions: number
  /** Day rollups (one per setup, project and day worked). */
  readonly rollups: number
  /** Project days (one per project and day worked, over every setup): what the project list reads. */
  readonly projectDays: number
}

const LANGUAGES = [['typescript', 'react', 'web-app'], ['python', 'fastapi', 'api'], ['rust', 'clap', 'cli'], ['go', 'gin', 'api'], ['typescript', 'next', 'web-app']] as const
const TASKS = ['stripe webhook retries', 'cart totals in cents', 'login rate limit', 'migrate to postgres', 'flaky e2e test', 'csv export', 'dark mode toggle', 'cache invalidation', 'oauth callback', 'pagination cursor']
const COMMITS_PER_SESSION = 10
const DAYS = 600
const CHUNK = 20_000
/**
 * Activities imported at a time. Their times are spread over the whole history, so each dirties
 * its own leaf in the activity table, the time index and the search index; the size limit counts
 * those pages before each write, and a batch of 20,000 needed about 300 MiB of room a database of
 * 2,000,000 activities near its 2 GiB limit no longer had.
 */
const ACTIVITY_CHUNK = 5000

/**
 * Writes a database of the given size through the store's import path, in chunks. Work comes in
 * sessions, as agents work: a setup in a project on a day, making ten commits (two in three
 * graded by the user, one in fifty reported as a bug, one in three with a retrospective) and its
 * share of the journal entries. Each session's day rollup carries its tool calls, tokens and cost.
 */
export async function buildScaleDatabase(databasePath: string, sizes: ScaleSizes): Promise<ScaleContent> {
  const store = openLmdbStore({ databasePath, maxDatabaseSize: 2048 * 1024 * 1024 })
  const rules = resolveRules()
  const start = START
  const { setupIds, projectPaths } = namesOf(sizes)
  const { sessions, sessionOf } = sessionsOf(sizes)
  const iso = (ms: number): string => new Date(ms).toISOString()
  const setups: SetupRecord[] = setupIds.map((id) => ({ v: 1, id, ...parseSetupId(id), state: { ...initialState(rules), commits: Math.round(sizes.commits / sizes.setups) }, firstSeenAt: iso(start), lastSeenAt: iso(start + DAYS * 86_400_000) }))
  const projects: ProjectRecord[] = projectPaths.map((path, i) => {
    const [language, framework, scope] = LANGUAGES[i % LANGUAGES.length] ?? LANGUAGES[0]
    return { v: 1, path, name: `project-${String(i)}`, firstSeenAt: iso(start), lastSeenAt: iso(start + DAYS * 86_400_000), profile: { language, framework, scope, dependencies: [framework, `lib-${String(i % 11)}`], sources: ['package.json'], fingerprint: String(i), profiledAt: iso(start) } }
  })
  await store.importRecords({ setups, projects })
  // The rollups first: their counters (tool calls, tokens, cost) are imported as their baseline.
  const usage: UsageRecord[] = []
  const seen = new Set<string>()
  for (let s = 0; s < sessions; s++) {
    const { setup, project, dayStart } = sessionOf(s)
    const day = iso(dayStart).slice(0, 10)
    if (seen.has(`${setup}\u0000${project}\u0000${day}`)) continue
    seen.add(`${setup}\u0000${project}\u0000${day}`)
    usage.push({ v: 2, setup, project, day, toolCalls: 400, toolFailures: 20, commands: 3, commits: 0, pushes: 2, messages: 60, tokens: { input: 900_000, output: 60_000, reasoning: 0, cacheRead: 450_000, cacheWrite: 0 }, cost: 4.5, bugs: 0, grades: { agent: { count: 0, sum: 0, squares: 0 }, user: { count: 0, sum: 0, squares: 0 }, userByChannel: {}, communication: 0 } })
  }
  for (let from = 0; from < usage.length; from += CHUNK) await store.importRecords({ usage: usage.slice(from, from + CHUNK) })
  let batch: Required<Pick<RecordBatch, 'commits' | 'gradeEvents' | 'bugs' | 'retrospectives'>> & { commits: CommitRecord[]; gradeEvents: GradeEventRecord[]; bugs: BugRecord[]; retrospectives: RetrospectiveRecord[] } = { commits: [], gradeEvents: [], bugs: [], retrospectives: [] }
  const flush = async (): Promise<void> => {
    await store.importRecords(batch)
    batch = { commits: [], gradeEvents: [], bugs: [], retrospectives: [] }
  }
  for (let i = 0; i < sizes.commits; i++) {
    const s = Math.floor(i / COMMITS_PER_SESSION)
    const { setup, project, dayStart } = sessionOf(s)
    const at = iso(dayStart + 9 * 3_600_000 + (i % COMMITS_PER_SESSION) * 1_800_000)
    const hash = (i * 2_654_435_761 % 2 ** 32).toString(16).padStart(8, '0') + i.toString(16).padStart(6, '0')
    const task = TASKS[i % TASKS.length] ?? 'work'
    batch.commits.push({ v: 1, project, hash, setup, at, message: `${task}: change ${String(i)}` })
    const userGrade = ([5, 2, 1, -1] as const)[(i + (s % 3)) % 4] ?? 2
    if (i % 3 !== 0) batch.gradeEvents.push({ v: 1, id: `g${String(i)}`, setup, project, commit: hash, at, by: 'user', agentGrade: 2, userGrade, scoreBefore: 60, scoreAfter: 67 })
    if (i % 3 === 1) batch.retrospectives.push({ v: 1, setup, commit: hash, project, at, updatedAt: at, task, agentGrade: 2, userGrade, agentNote: `kept ${task} small`, userNote: userGrade >= 2 ? 'clean' : 'needed rework' })
    if (i % 50 === 7) batch.bugs.push({ v: 1, id: `b${String(i)}`, setup, project, at, by: 'user', commit: hash, note: `${task} broke`, skillPointsAfter: 1 })
    if (batch.commits.length >= CHUNK) await flush()
  }
  await flush()
  const projectDays = (await store.projectDays())?.length ?? 0
  await store.close()
  await addActivities(databasePath, sizes, 0, sizes.activities)
  return { sessions, rollups: usage.length, projectDays }
}

/**
 * Adds journal entries `from` … `from + count − 1` of a database built by {@link buildScaleDatabase}
 * with these sizes: spread over its sessions, in the sessions' setups, projects and days.
 */
export async function addActivities(databasePath: string, sizes: ScaleSizes, from: number, count: number): Promise<void> {
  const store = openLmdbStore({ databasePath, maxDatabaseSize: 2048 * 1024 * 1024 })
  const { sessions, sessionOf } = sessionsOf(sizes)
  const iso = (ms: number): string => new Date(ms).toISOString()
  const perSession = Math.max(sizes.activities, from + count) / sessions
  for (let chunkStart = from; chunkStart < from + count; chunkStart += ACTIVITY_CHUNK) {
    const activities: ActivityRecord[] = []
    for (let i = chunkStart; i < Math.min(from + count, chunkStart + ACTIVITY_CHUNK); i++) {
      const s = Math.min(sessions - 1, Math.floor((i % sizes.activities) / (sizes.activities / sessions)))
      const { setup, project, dayStart } = sessionOf(s)
      const at = iso(dayStart + 8 * 3_600_000 + Math.floor(((i - s * perSession) / perSession) * 10 * 3_600_000) + i)
      const task = TASKS[i % TASKS.length] ?? 'work'
      activities.push({ v: 1, id: `a${String(i).padStart(8, '0')}`, setup, project, at, task: `${task} ${String(i % 5000)}`, actions: 'edited files and ran the tests', outcome: i % 40 === 0 ? 'tests failed, reverted' : 'done', decisions: 'kept the change small' })
    }
    await store.importRecords({ activities })
  }

}

/** What `recommend` of a project reads of a database built by {@link buildScaleDatabase}: its similar projects, and their outcome days and months. */
export interface RecommendReads {
  readonly similarProjects: number
  readonly outcomeDays: number
  readonly months: number
}

/** What `recommend <project>` reads of the database at `databasePath` (see {@link RecommendReads}), as it reads it. */
export async function recommendReads(databasePath: string, project: string): Promise<RecommendReads> {
  const store = openLmdbStore({ databasePath, readOnly: true })
  try {
    const { similar } = await readRecommendation(store, { project, profile: profileFolder(project) }, { profileFolder })
    const days = (await store.outcomeDays(similar.map((entry) => entry.path))) ?? []
    return { similarProjects: similar.length, outcomeDays: days.length, months: new Set(days.map((day) => `${day.project} ${day.day.slice(0, 7)}`)).size }
  } finally {
    await store.close()
  }
}

const START = Date.UTC(2025, 0, 1)

function namesOf(sizes: ScaleSizes): { setupIds: string[]; projectPaths: string[] } {
  return {
    setupIds: Array.from({ length: sizes.setups }, (_, i) => `agent${String(i % 5)}@provider${String(i % 7)}/model-${String(i)}`),
    projectPaths: Array.from({ length: sizes.projects }, (_, i) => `/home/dev/code/project-${String(i)}`),
  }
}

/** The sessions of a database of these sizes: session s's setup, project and day, spread evenly over the days. */
function sessionsOf(sizes: ScaleSizes): { sessions: number; sessionOf: (s: number) => { setup: string; project: string; dayStart: number } } {
  const { setupIds, projectPaths } = namesOf(sizes)
  const sessions = Math.max(1, Math.ceil(sizes.commits / COMMITS_PER_SESSION))
  return {
    sessions,
    sessionOf: (s) => ({
      setup: setupIds[(s * 7) % setupIds.length] ?? '',
      project: projectPaths[(s * 13 + Math.floor(s / setupIds.length)) % projectPaths.length] ?? '',
      dayStart: START + Math.floor((s / sessions) * DAYS) * 86_400_000,
    }),
  }
}
