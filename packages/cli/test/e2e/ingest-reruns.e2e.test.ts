import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { databaseContents, ingestHistory } from '../ingest-history.js'
import { jsonData, runBuiltCli, tempFolder } from '../run-cli.js'

const BIN = fileURLToPath(new URL('../../bin/agent-tracker.js', import.meta.url))

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Starts `ingest --file` in a child process and kills it with SIGKILL `afterMs` after it starts, or
 * with `once: 'stored'` that long after its first batch is stored; resolves when it is gone.
 */
async function killedIngest(file: string, db: string, afterMs: number, once: 'started' | 'stored'): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, [BIN, 'ingest', '--file', file, '--db', db], { stdio: 'ignore', env: { ...process.env, HOME: tempFolder('home-') } })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => { resolve(signal) }))
  // The write phase is short beside start-up, and its share moves with the machine's load: waiting
  // for the first batch makes sure some kills land between batches.
  while (once === 'stored' && child.exitCode === null && child.signalCode === null && (await storedFacts(db)) === 0) await sleep(5)
  await sleep(afterMs)
  child.kill('SIGKILL')
  return exited
}

/** Facts stored in the database so far; 0 while it does not exist or is being created. */
async function storedFacts(db: string): Promise<number> {
  if (!existsSync(db)) return 0
  try {
    return (await databaseContents(db)).facts
  } catch {
    return 0
  }
}

describe('ingest, killed at random points and run again', () => {
  it('gives exactly the records of one clean run, in 20 trials', async () => {
    const folder = tempFolder('reruns-')
    const file = join(folder, 'history.jsonl')
    writeFileSync(file, ingestHistory(4000))
    const clean = join(folder, 'clean.lmdb')
    const started = Date.now()
    expect((await runBuiltCli(['ingest', '--file', file, '--db', clean])).code).toBe(0)
    const cleanMs = Date.now() - started
    const expected = await databaseContents(clean)
    expect(expected.facts).toBe(4000)
    let killed = 0
    let cutMidway = 0
    for (let trial = 0; trial < 20; trial++) {
      const db = join(folder, `trial-${String(trial)}.lmdb`)
      // Even trials: spread over the whole run, start-up and creation included. Odd ones: soon after
      // the first batch is stored, between batches or inside one.
      const signal = trial % 2 === 0
        ? await killedIngest(file, db, Math.floor(((trial + Math.random()) / 20) * 0.9 * cleanMs), 'started')
        : await killedIngest(file, db, Math.floor(Math.random() * 20), 'stored')
      if (signal === 'SIGKILL') killed += 1
      const stored = await storedFacts(db)
      if (stored > 0 && stored < 4000) cutMidway += 1
      const rerun = await runBuiltCli(['ingest', '--file', file, '--db', db, '--json'])
      expect(rerun.code, `trial ${String(trial)}: ${rerun.stdout}${rerun.stderr}`).toBe(0)
      const summary = jsonData(rerun.stdout, 'ingest') as { ingested: number; repeats: number; lastCommittedLine: number }
      expect(summary.ingested + summary.repeats).toBe(4000)
      expect(summary.lastCommittedLine).toBe(4000)
      expect(await databaseContents(db), `trial ${String(trial)}`).toEqual(expected)
    }
    // Most trials must really have been cut short, or the test proves nothing.
    expect(killed).toBeGreaterThanOrEqual(12)
    expect(cutMidway).toBeGreaterThanOrEqual(3)
  }, 300_000)

  it('says up to which line the input is stored when a signal stops it', async () => {
    const folder = tempFolder('stopped-')
    const file = join(folder, 'history.jsonl')
    writeFileSync(file, ingestHistory(3000))
    const db = join(folder, 'stopped.lmdb')
    // Keep stdin open after the lines: the ingest waits for more, and SIGTERM stops it there.
    const child = spawn(process.execPath, [BIN, 'ingest', '--db', db], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HOME: tempFolder('home-'), NO_COLOR: '1' } })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stdin.write(ingestHistory(3000))
    // Wait until every line is stored and the ingest waits for more.
    for (let waited = 0; (await storedFacts(db)) < 3000 && waited < 60_000; waited += 100) await sleep(100)
    child.kill('SIGTERM')
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => { resolve(exitCode); }))
    expect(code).toBe(143)
    expect(stdout).toContain('Stopped by SIGTERM: lines 1–3000 are stored.')
    expect((await databaseContents(db)).facts).toBe(3000)
  })
})
