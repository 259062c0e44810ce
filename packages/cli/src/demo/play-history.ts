import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { KnownTruth } from '@agent-tracker/core'
import { createTrackingService } from '@agent-tracker/core'
import type { GeneratedHistory } from '@agent-tracker/core/backtest'
import { playGeneratedHistory, rekeyTruth } from '@agent-tracker/core/backtest'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { profileProject } from '@agent-tracker/node-host'
import { withWriteBuffer } from '@agent-tracker/write-buffer'

/** What was played. */
export interface PlayedHistory {
  readonly projects: number
  readonly setups: number
  readonly sessions: number
  readonly commits: number
  readonly facts: number
  readonly flushes: number
  readonly from: string
  readonly to: string
  /** The truth behind the history, with projects keyed by the folders they were played in. */
  readonly truth: KnownTruth
}

/**
 * Plays a generated history through the real tracking path — the tracking service over the
 * write buffer over the LMDB store at `databasePath`, flushing on every push and at the end of
 * every session, as the OpenCode plugin does — with each project in a folder under `folder`
 * holding its manifest files, profiled at the end as `projects --refresh` would.
 */
export async function playHistory(folder: string, databasePath: string, history: GeneratedHistory): Promise<PlayedHistory> {
  const paths = new Map<string, string>()
  for (const project of history.projects) {
    const path = join(folder, 'projects', project.name)
    mkdirSync(path, { recursive: true })
    for (const [name, content] of Object.entries(project.files)) writeFileSync(join(path, name), content)
    paths.set(project.name, path)
  }
  const store = openLmdbStore({ databasePath })
  const buffer = withWriteBuffer(store, { maxPending: 5000, maxAgeMs: false })
  const service = createTrackingService({ store: buffer, now: () => new Date(history.to), newId: randomUUID })
  let flushes = 0
  try {
    const played = await playGeneratedHistory(service, history, {
      projectPath: (name) => paths.get(name) ?? name,
      flush: async () => {
        const result = await buffer.flush()
        if (result.errors.length > 0) throw new Error(`flush failed while playing ${history.scenario}: ${result.errors.join('; ')}`)
        flushes += 1
      },
    })
    for (const path of paths.values()) await buffer.saveProjectProfile(path, profileProject(path, new Date(history.to)))
    return {
      projects: history.projects.length,
      setups: new Set(history.sessions.map((s) => s.setup)).size,
      sessions: played.sessions,
      commits: played.commits,
      facts: buffer.stats.factsWritten,
      flushes,
      from: history.from,
      to: history.to,
      truth: rekeyTruth(history.truth, paths),
    }
  } finally {
    await buffer.close()
  }
}
