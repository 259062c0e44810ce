import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { recogniseDatabase } from '@agent-tracker/lmdb-store'
import { historyCounts, predecessorCentralHistory, writePredecessorCentralDatabase } from '@agent-tracker/predecessor'
import { beforeAll, describe, expect, it } from 'vitest'
import { runBuiltCli, runCli, tempFolder } from '../run-cli.js'

const BIN = fileURLToPath(new URL('../../bin/agent-tracker.js', import.meta.url))
const KILLS = 20
const HISTORY = predecessorCentralHistory({ projects: 10, commitsPerProject: 120 })

/** The predecessor's database, written once; each run upgrades a byte-for-byte copy of it. */
let golden: string
let goldenHash: string
let baseline: string
let uninterruptedMs: number

function sha(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

/** A home whose default database path holds a copy of the predecessor's database. */
function homeWithPredecessor(): { home: string; database: string } {
  const home = tempFolder('home-')
  const database = join(home, '.config', 'opencode', 'agent-tracker.lmdb')
  mkdirSync(join(database, '..'), { recursive: true })
  copyFileSync(golden, database)
  return { home, database }
}

/** Everything the database holds, as `export --format json` prints it, with the home folder and export time taken out. */
async function exported(home: string): Promise<string> {
  const { code, stdout, stderr } = await runCli(['export', '--format', 'json'], { home })
  expect(code, stderr).toBe(0)
  const { collections } = JSON.parse(stdout) as { collections: unknown }
  return JSON.stringify(collections).replaceAll(home, '<home>')
}

/** A seeded generator, so that a failing run can be repeated (the seed is printed). */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0
    return state / 2 ** 32
  }
}

beforeAll(async () => {
  golden = join(tempFolder('golden-'), 'agent-tracker.lmdb')
  expect(writePredecessorCentralDatabase(golden, HISTORY).available).toBe(true)
  goldenHash = sha(golden)
  const { home } = homeWithPredecessor()
  const started = Date.now()
  const run = await runBuiltCli(['upgrade', '--timezone', 'UTC'], { home })
  uninterruptedMs = Date.now() - started
  expect(run.code, run.stderr + run.stdout).toBe(0)
  baseline = await exported(home)
}, 120_000)

describe('agent-tracker upgrade killed with SIGKILL at random moments', () => {
  it(`leaves the old database untouched or the new one complete, and a rerun ends exactly where an uninterrupted run does (${String(KILLS)} kills)`, async () => {
    const counts = historyCounts(HISTORY)
    expect((JSON.parse(baseline) as { commits: unknown[] }).commits).toHaveLength(counts.commits ?? -1)
    const seed = Number(process.env.UPGRADE_KILL_SEED ?? Date.now() % 1_000_000)
    const next = random(seed)
    const outcomes: { delayMs: number; atPath: 'old' | 'new' }[] = []
    for (let kill = 0; kill < KILLS; kill++) {
      const { home, database } = homeWithPredecessor()
      // Up to a little past an uninterrupted run's length: the rename is among its last steps.
      const delayMs = Math.round(next() * uninterruptedMs * 1.15)
      const child = spawn(process.execPath, [BIN, 'upgrade', '--timezone', 'UTC'], { env: { ...process.env, HOME: home, NO_COLOR: '1', AGENT_TRACKER_DB: '' }, stdio: 'ignore' })
      const exited = new Promise((resolve) => child.once('exit', resolve))
      await new Promise((resolve) => setTimeout(resolve, delayMs))
      child.kill('SIGKILL')
      await exited
      const format = recogniseDatabase(database).kind
      const context = `seed ${String(seed)}, kill ${String(kill)} after ${String(delayMs)} ms`
      if (format === 'predecessor-central') {
        expect(sha(database), context).toBe(goldenHash)
        outcomes.push({ delayMs, atPath: 'old' })
      } else {
        expect(format, context).toBe('agent-tracker')
        expect(await exported(home), context).toBe(baseline)
        outcomes.push({ delayMs, atPath: 'new' })
      }
      const rerun = await runBuiltCli(['upgrade', '--timezone', 'UTC'], { home })
      expect(rerun.code, `${context}: ${rerun.stdout}${rerun.stderr}`).toBe(0)
      expect(await exported(home), context).toBe(baseline)
      const backups = readdirSync(join(database, '..')).filter((name) => name.includes('.predecessor-'))
      expect(backups, context).toHaveLength(1)
      expect(sha(join(database, '..', backups[0] ?? '')), context).toBe(goldenHash)
      expect(readdirSync(join(database, '..')).filter((name) => name.includes('upgrad')), context).toEqual([])
    }
    const old = outcomes.filter((outcome) => outcome.atPath === 'old')
    // The figures for the record: where the kills landed.
    console.log(`upgrade SIGKILL test (seed ${String(seed)}): uninterrupted run ${String(uninterruptedMs)} ms; ${String(KILLS)} kills at ${outcomes.map((o) => `${String(o.delayMs)}ms:${o.atPath}`).join(' ')}; old database at the path after ${String(old.length)}, new complete after ${String(KILLS - old.length)}; every rerun's export equal to the uninterrupted run's`)
    expect(outcomes).toHaveLength(KILLS)
  }, 600_000)
})
