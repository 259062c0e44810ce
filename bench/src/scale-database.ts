import type { ActivityRecord, CommitRecord, GradeEventRecord, ProjectRecord, RecordBatch, SetupRecord, UsageRecord } from '@agent-tracker/core'
import { initialState, parseSetupId, resolveRules } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'

/** Sizes of the large database. */
export interface ScaleSizes {
  readonly commits: number
  readonly activities: number
  readonly setups: number
  readonly projects: number
}

const LANGUAGES = [['typescript', 'react', 'web-app'], ['python', 'fastapi', 'api'], ['rust', 'clap', 'cli'], ['go', 'gin', 'api'], ['typescript', 'next', 'web-app']] as const

/**
 * Writes a database of the given size (commits with grades, activities, usage, profiled projects)
 * through the store's import path, in chunks.
 */
export async function buildScaleDatabase(databasePath: string, sizes: ScaleSizes): Promise<void> {
  const store = openLmdbStore({ databasePath, maxDatabaseSize: 2048 * 1024 * 1024 })
  const rules = resolveRules()
  const start = Date.UTC(2025, 0, 1)
  const span = 600 * 86_400_000
  const at = (i: number, of: number): string => new Date(start + Math.floor((i / of) * span)).toISOString()
  const setupIds = Array.from({ length: sizes.setups }, (_, i) => `agent${String(i % 5)}@provider${String(i % 7)}/model-${String(i)}`)
  const projectPaths = Array.from({ length: sizes.projects }, (_, i) => `/home/dev/code/project-${String(i)}`)
  const setups: SetupRecord[] = setupIds.map((id) => ({ v: 1, id, ...parseSetupId(id), state: { ...initialState(rules), commits: Math.round(sizes.commits / sizes.setups) }, firstSeenAt: at(0, 1), lastSeenAt: at(1, 1) }))
  const projects: ProjectRecord[] = projectPaths.map((path, i) => {
    const [language, framework, scope] = LANGUAGES[i % LANGUAGES.length] ?? LANGUAGES[0]
    return { v: 1, path, name: `project-${String(i)}`, firstSeenAt: at(0, 1), lastSeenAt: at(1, 1), profile: { language, framework, scope, dependencies: [framework, `lib-${String(i % 11)}`], sources: ['package.json'], fingerprint: String(i), profiledAt: at(1, 1) } }
  })
  await store.importRecords({ setups, projects })
  const chunk = 20_000
  for (let from = 0; from < sizes.commits; from += chunk) {
    const commits: CommitRecord[] = []
    const gradeEvents: GradeEventRecord[] = []
    for (let i = from; i < Math.min(sizes.commits, from + chunk); i++) {
      const setup = setupIds[i % setupIds.length] ?? ''
      const project = projectPaths[(i * 7) % projectPaths.length] ?? ''
      const hash = i.toString(16).padStart(10, '0')
      commits.push({ v: 1, project, hash, setup, at: at(i, sizes.commits), message: `change ${String(i)}` })
      if (i % 3 !== 0) gradeEvents.push({ v: 1, id: `g${String(i)}`, setup, project, commit: hash, at: at(i, sizes.commits), by: 'user', agentGrade: 2, userGrade: ([5, 2, 1, -1] as const)[(i + (i % setupIds.length)) % 4] ?? 2, scoreBefore: 60, scoreAfter: 67 })
    }
    await store.importRecords({ commits, gradeEvents })
  }
  for (let from = 0; from < sizes.activities; from += chunk) {
    const activities: ActivityRecord[] = []
    for (let i = from; i < Math.min(sizes.activities, from + chunk); i++) {
      activities.push({ v: 1, id: `a${String(i)}`, setup: setupIds[i % setupIds.length] ?? '', project: projectPaths[(i * 3) % projectPaths.length] ?? '', at: at(i, sizes.activities), task: `task ${String(i % 5000)}`, actions: 'edited files and ran the tests', outcome: 'done', decisions: 'kept the change small' })
    }
    await store.importRecords({ activities })
  }
  const usage: UsageRecord[] = []
  for (let s = 0; s < setupIds.length; s++) {
    for (let p = 0; p < 40; p++) {
      for (let d = 0; d < 10; d++) {
        usage.push({ v: 2, setup: setupIds[s] ?? '', project: projectPaths[(s * 13 + p) % projectPaths.length] ?? '', day: at(d * 60, 600).slice(0, 10), toolCalls: 120, toolFailures: 6, commands: 2, commits: 3, pushes: 1, messages: 30, tokens: { input: 300_000, output: 20_000, reasoning: 0, cacheRead: 150_000, cacheWrite: 0 }, cost: 1.5, bugs: 0, grades: { agent: { count: 0, sum: 0, squares: 0 }, user: { count: 0, sum: 0, squares: 0 } } })
      }
    }
  }
  const batch: RecordBatch = { usage }
  await store.importRecords(batch)
  await store.close()
}
