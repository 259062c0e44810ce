import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { scanEvidence } from '@agent-tracker/node-host'
import type { HistorySizes } from './evidence-history.js'
import { generateHistory } from './evidence-history.js'
import { round, timeMs } from './stats.js'

/** 12. The evidence scan over a generated history: first run, an incremental run with nothing new, and one after a few new commits. */
export interface EvidenceFigures {
  readonly sizes: HistorySizes
  readonly generateMs: number
  readonly firstMs: number
  readonly found: { readonly suspectedBugs: number; readonly reverts: number; readonly survival: number; readonly churn: number; readonly fixesBlamed: number }
  readonly incrementalMs: number
  /** After 10 new commits (one of them a fix of agent lines). */
  readonly incrementalNewMs: number
  readonly incrementalNewRead: number
}

/** Generates the history, tracks its agent commits in a fresh database, and times the scans. */
export async function evidenceFigures(sizes: HistorySizes): Promise<EvidenceFigures> {
  const folder = mkdtempSync(join(tmpdir(), 'bench-evidence-'))
  try {
    const project = join(folder, 'repo')
    let history: ReturnType<typeof generateHistory> | undefined
    const generateMs = await timeMs(() => {
      history = generateHistory(project, sizes)
    })
    if (history === undefined) throw new Error('no history')
    const store = openLmdbStore({ databasePath: join(folder, 'tracker.lmdb') })
    try {
      await store.applyFacts(history.tracked.map((commit) => ({ id: `bench:${commit.hash}`, kind: 'commit', at: commit.at, setup: commit.setup, project, hash: commit.hash, message: 'agent change' })))
      let first: Awaited<ReturnType<typeof scanEvidence>> | undefined
      const firstMs = await timeMs(async () => {
        first = await scanEvidence(store, project)
      })
      const incrementalMs = await timeMs(() => scanEvidence(store, project))
      const git = (...args: string[]): void => {
        execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args], { cwd: project })
      }
      for (let index = 0; index < 10; index++) {
        const file = join(project, 'src', `f${String(index)}.ts`)
        const lines = readFileSync(file, 'utf8').split('\n')
        // The last commit fixes a line of the first file; the others add a line each.
        if (index === 9) lines[0] = '// fixed'
        else lines.push(`// more ${String(index)}`)
        writeFileSync(file, lines.join('\n'))
        git('commit', '-q', '-am', index === 9 ? 'fix: the first line' : `chore: more ${String(index)}`)
      }
      let latest: Awaited<ReturnType<typeof scanEvidence>> | undefined
      const incrementalNewMs = await timeMs(async () => {
        latest = await scanEvidence(store, project)
      })
      return {
        sizes, generateMs: round(generateMs), firstMs: round(firstMs), incrementalMs: round(incrementalMs), incrementalNewMs: round(incrementalNewMs),
        incrementalNewRead: latest?.commitsRead ?? 0,
        found: { suspectedBugs: first?.suspectedBugs ?? 0, reverts: first?.reverts ?? 0, survival: first?.survival ?? 0, churn: first?.churn ?? 0, fixesBlamed: first?.fixesBlamed ?? 0 },
      }
    } finally {
      await store.close()
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}
