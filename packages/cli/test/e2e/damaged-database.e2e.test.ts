import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ingestHistory } from '../ingest-history.js'
import { jsonData, runBuiltCli, tempFolder } from '../run-cli.js'

const PAGE = 4096

/** Deterministic pseudo-random numbers (xorshift), so a failing trial can be replayed from its seed. */
function randomSource(seed: number): (below: number) => number {
  let state = seed || 1
  return (below) => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) % below
  }
}

/** Overwrites 3 random pages (past the two meta pages) with random bytes, or flips 50 random bits. */
function damage(file: Buffer, trial: number): string {
  const random = randomSource(0x9e3779b9 + trial * 7919)
  const pages = file.length / PAGE
  if (trial % 2 === 0) {
    const hit = [0, 1, 2].map(() => 2 + random(pages - 2))
    for (const page of hit) for (let i = 0; i < PAGE; i++) file[page * PAGE + i] = random(256)
    return `pages ${hit.join(', ')} overwritten`
  }
  for (let flip = 0; flip < 50; flip++) {
    const at = 2 * PAGE + random(file.length - 2 * PAGE)
    file[at] = (file[at] ?? 0) ^ (1 << random(8))
  }
  return '50 bits flipped'
}

describe('a database with damaged pages', () => {
  it('never ends a command by a signal, and doctor --deep reports damage whenever export cannot read everything (30 trials)', async () => {
    const folder = tempFolder('fuzz-')
    const intact = join(folder, 'intact.lmdb')
    const history = join(folder, 'history.jsonl')
    writeFileSync(history, ingestHistory(3000))
    expect((await runBuiltCli(['ingest', '--file', history, '--db', intact])).code).toBe(0)
    const bytes = readFileSync(intact)
    let exportFailed = 0
    for (let trial = 0; trial < 30; trial++) {
      const db = join(folder, `trial-${String(trial)}.lmdb`)
      const file = Buffer.from(bytes)
      const what = damage(file, trial)
      writeFileSync(db, file)
      const exported = await runBuiltCli(['export', '--format', 'jsonl', '--db', db])
      // Every third trial also the report and the quick doctor (the CI-sized form of running every command).
      const others = trial % 3 === 0 ? { report: await runBuiltCli(['report', '--db', db]), doctor: await runBuiltCli(['doctor', '--db', db, '--json']) } : {}
      // A fresh copy: a crash above marks the file damaged, which the deep check must find on its own.
      copyFileSync(db, join(folder, `deep-${String(trial)}.lmdb`))
      const deep = await runBuiltCli(['doctor', '--deep', '--db', join(folder, `deep-${String(trial)}.lmdb`), '--json'])
      const context = `trial ${String(trial)} (${what})`
      for (const [name, run] of Object.entries({ exported, deep, ...others })) {
        expect(run.signal, `${context}: ${name} ended by a signal`).toBeNull()
        expect(run.stderr, `${context}: ${name}`).not.toContain('Unexpected error')
      }
      if (exported.code !== 0) {
        exportFailed += 1
        // Damage met by a command is remembered: the reads after it run supervised, writers refuse the file.
        if (exported.stderr.includes('probably damaged')) expect(existsSync(`${db}.damaged`), `${context}: ${exported.stderr}`).toBe(true)
        expect(deep.code, `${context}: export failed (${exported.stderr.trim()}) but doctor --deep said ${deep.stdout}`).toBe(1)
        expect(deep.stdout, `${context}: doctor --deep printed no answer (exit ${String(deep.code)}, signal ${String(deep.signal)}): ${deep.stderr.trim()}`).not.toBe('')
        const checks = (jsonData(deep.stdout, 'doctor') as { checks: { name: string; ok: boolean }[] }).checks
        expect(checks.some((check) => !check.ok && (check.name === 'Deep check' || check.name === 'File')), context).toBe(true)
      }
    }
    // Damage that export never notices would test nothing.
    expect(exportFailed).toBeGreaterThanOrEqual(3)
  }, 600_000)
})
