import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { Grade, TrackingService } from '@agent-tracker/core'
import { createTrackingService } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { profileProject } from '@agent-tracker/node-host'
import { withWriteBuffer } from '@agent-tracker/write-buffer'
import type { DemoProject, DemoScenario, DemoSetup } from './scenario.js'
import { DEMO_SCENARIO, drawGrade, seededRandom } from './scenario.js'

/** What the demo played. */
export interface PlayedHistory {
  readonly projects: number
  readonly setups: number
  readonly sessions: number
  readonly facts: number
  readonly flushes: number
  readonly from: string
  readonly to: string
}

const WEEKS = 8
const DAY = 86_400_000

/**
 * Plays weeks of work across the demo projects through the real tracking path: the tracking
 * service over the write buffer over the LMDB store, flushing on every push and at the end of
 * every session, as the OpenCode plugin does.
 */
export async function playHistory(folder: string, databasePath: string, scenario: DemoScenario = DEMO_SCENARIO): Promise<PlayedHistory> {
  const { setups: demoSetups, projects, seed } = scenario
  const random = seededRandom(seed)
  const store = openLmdbStore({ databasePath })
  const buffer = withWriteBuffer(store, { maxPending: 5000, maxAgeMs: false })
  let clock = Date.UTC(2026, 8, 7, 8, 0)
  const from = new Date(clock).toISOString()
  const service = createTrackingService({ store: buffer, now: () => new Date(clock), newId: randomUUID })
  let sessions = 0
  let flushes = 0
  const setups = new Map(demoSetups.map((setup) => [setup.id, setup]))
  const flush = async (): Promise<void> => {
    const result = await buffer.flush()
    if (result.errors.length > 0) throw new Error(`demo flush failed: ${result.errors.join('; ')}`)
    flushes += 1
  }
  const paths = new Map<string, string>()
  for (const project of projects) {
    const path = join(folder, 'projects', project.name)
    mkdirSync(path, { recursive: true })
    for (const [name, content] of Object.entries(project.files)) writeFileSync(join(path, name), content)
    paths.set(project.name, path)
  }

  for (let day = 0; day < WEEKS * 7; day++) {
    if (day % 7 >= 5) continue
    for (const project of projects) {
      if (random() > 0.6) continue
      const setup = setups.get(project.setups[Math.floor(random() * project.setups.length)] ?? '')
      const path = paths.get(project.name)
      if (setup === undefined || path === undefined) continue
      clock = Date.UTC(2026, 8, 7) + day * DAY + (9 + random() * 8) * 3_600_000
      sessions += 1
      await playSession(service, setup, project, path, `ses_${String(sessions)}`, random, () => (clock += 60_000 + random() * 240_000), flush)
      await flush()
    }
  }
  for (const path of paths.values()) await buffer.saveProjectProfile(path, profileProject(path, new Date(clock)))
  const facts = buffer.stats.factsWritten
  await buffer.close()
  return { projects: projects.length, setups: demoSetups.length, sessions, facts, flushes, from, to: new Date(clock).toISOString() }
}

async function playSession(
  service: TrackingService,
  setup: DemoSetup,
  project: DemoProject,
  path: string,
  session: string,
  random: () => number,
  tick: () => number,
  flush: () => Promise<void>,
): Promise<void> {
  const here = { setup: setup.id, project: path, session }
  const quality = setup.quality[project.language] ?? 0.5
  const tasks = 1 + Math.floor(random() * 3)
  for (let t = 0; t < tasks; t++) {
    const status = await service.getStatus(setup.id)
    if (status?.halted === true) {
      tick()
      await service.reinstate({ ...here, note: 'demo: the user gives it another chance' })
    }
    const task = project.tasks[Math.floor(random() * project.tasks.length)] ?? 'Maintenance'
    const calls = 8 + Math.floor(random() * 18)
    for (let c = 0; c < calls; c++) {
      tick()
      const ok = random() > setup.toolFailureRate
      await service.recordToolCall({ ...here, tool: ['read', 'edit', 'bash', 'grep', 'write'][c % 5] ?? 'bash', ok, ...(ok ? {} : { exitCode: 1 }) })
      if (c % 6 === 5) {
        const input = 6000 + Math.floor(random() * 30_000)
        const output = 400 + Math.floor(random() * 3000)
        await service.recordUsage({ ...here, tokens: { input, output, cacheRead: Math.floor(input * 0.6) }, cost: (input * setup.price.input + output * setup.price.output) / 1e6 })
      }
    }
    tick()
    const hash = Array.from({ length: 40 }, () => Math.floor(random() * 16).toString(16)).join('')
    await service.recordCommit({ ...here, hash, message: task, task })
    tick()
    const userGrade: Grade = drawGrade(random, quality)
    if (random() < setup.selfGrading.rate) {
      const selfGrade: Grade = drawGrade(random, Math.min(1, quality + setup.selfGrading.optimism))
      await service.selfGrade({ ...here, commit: hash, grade: selfGrade, note: 'self-review before handing over' })
    }
    if (random() < 0.85) {
      tick()
      await service.userGrade({ setup: setup.id, project: path, commit: hash, channel: 'slash-command', userGrade, ...(userGrade < 0 ? { note: 'missed the point of the task' } : userGrade === 5 ? { note: 'exactly right, and explained well' } : {}) })
    }
    await service.logActivity({ ...here, task, actions: `${String(calls)} tool calls`, outcome: userGrade < 0 ? 'needed rework' : 'done', decisions: 'kept the change small' })
    if (random() < setup.bugRate * (userGrade < 0 ? 3 : userGrade === 5 ? 0.3 : 1)) {
      tick()
      await service.reportBug({ ...here, by: 'user', commit: hash, note: `${task}: broke in review` })
    }
  }
  if (random() < 0.7) {
    tick()
    await service.recordPush({ ...here, remote: 'origin', branch: 'main' })
    await flush()
  }
}
