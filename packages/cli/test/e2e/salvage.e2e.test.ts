import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ingestHistory } from '../ingest-history.js'
import { jsonData, runBuiltCli, tempFolder } from '../run-cli.js'

const PAGE = 4096

interface Salvage { facts: number; lostFacts: number | null; records: number; lost: { where: string; problem: string }[]; applied: number; rebuiltMetaPage: number | null }
interface Doctor { checks: { name: string; ok: boolean; detail: string }[] }

describe('a damaged database', () => {
  it('is refused by writers with the fix, and doctor --salvage copies everything still readable into a new database', async () => {
    const folder = tempFolder('salvage-')
    const db = join(folder, 'tracker.lmdb')
    const history = join(folder, 'history.jsonl')
    writeFileSync(history, ingestHistory(2000))
    const ingest = await runBuiltCli(['ingest', '--file', history, '--db', db, '--json'])
    expect(ingest.code).toBe(0)
    const ingested = (jsonData(ingest.stdout, 'ingest') as { ingested: number }).ingested
    const intact = readFileSync(db)
    // The first page from the middle of the file whose damage the deep check sees (free pages hold nothing).
    let deep = await runBuiltCli(['doctor', '--deep', '--db', db, '--json'])
    for (let page = Math.floor(intact.length / PAGE / 2); deep.code === 0; page++) {
      const copy = Buffer.from(intact)
      copy.fill(0xab, page * PAGE, (page + 1) * PAGE)
      writeFileSync(db, copy)
      deep = await runBuiltCli(['doctor', '--deep', '--db', db, '--json'])
    }
    expect(deep.code).toBe(1)
    expect((jsonData(deep.stdout, 'doctor') as Doctor).checks.find((check) => check.name === 'Deep check')?.detail).toContain('doctor --salvage <new-file>')

    // The last deep check found damage: a writer refuses the file, and says what to do.
    const write = await runBuiltCli(['bug', 'build@anthropic/claude-sonnet-4-5', '--db', db])
    expect(write.code).toBe(1)
    expect(write.stderr).toMatch(/was found damaged .*nothing is written to it/)
    expect(write.stderr).toContain('agent-tracker doctor --salvage <new-file>')

    const target = join(folder, 'salvaged.lmdb')
    const salvage = await runBuiltCli(['doctor', '--salvage', target, '--db', db, '--json'])
    expect(salvage.code, salvage.stderr).toBe(0)
    const result = jsonData(salvage.stdout, 'doctor') as Salvage
    expect(result.facts).toBeGreaterThan(0)
    expect(result.applied).toBe(result.facts)
    // Every fact is either read back or counted as lost, and what was lost is said.
    if (result.lostFacts !== null) expect(result.facts + result.lostFacts).toBe(ingested)
    if (result.facts < ingested) expect(result.lost.length).toBeGreaterThan(0)
    // The new database is whole and answers; the damaged one is left as it was.
    const checked = await runBuiltCli(['doctor', '--deep', '--db', target, '--json'])
    expect((jsonData(checked.stdout, 'doctor') as Doctor).checks.find((check) => check.name === 'Deep check')).toMatchObject({ ok: true })
    expect((await runBuiltCli(['report', '--db', target])).code).toBe(0)
    expect(readFileSync(db).equals(intact)).toBe(false)
    // Salvage writes only into a new file.
    const again = await runBuiltCli(['doctor', '--salvage', target, '--db', db])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('exists already; salvage writes only into a new file')
    expect(existsSync(`${db}.damaged`)).toBe(true)

    // As salvage advises, the new database moved into place: the damage mark was the damaged file's, so the new one is written to.
    const aside = join(folder, 'damaged.lmdb')
    renameSync(db, aside)
    renameSync(target, db)
    const written = await runBuiltCli(['bug', 'build@anthropic/claude-sonnet-4-5', '--db', db])
    expect(written.code, written.stderr).toBe(0)
    expect((await runBuiltCli(['doctor', '--db', db])).stdout).not.toContain('found damaged')
    // Moved back, the damaged file is refused again: the mark names it.
    renameSync(db, target)
    renameSync(aside, db)
    expect((await runBuiltCli(['bug', 'build@anthropic/claude-sonnet-4-5', '--db', db])).stderr).toMatch(/was found damaged .*nothing is written to it/)
  }, 300_000)

  it('whose first meta page alone is damaged is named so, and salvaged through the second one', async () => {
    const folder = tempFolder('salvage-meta-')
    const db = join(folder, 'tracker.lmdb')
    // Two writes: the meta page left names the snapshot of the newest, or of the one before it.
    const lines = ingestHistory(400).trimEnd().split('\n')
    for (const [index, part] of [lines.slice(0, 200), lines.slice(200)].entries()) {
      const history = join(folder, `history-${String(index)}.jsonl`)
      writeFileSync(history, `${part.join('\n')}\n`)
      expect((await runBuiltCli(['ingest', '--file', history, '--db', db])).code).toBe(0)
    }
    const damaged = readFileSync(db)
    damaged.fill(0, 0, PAGE)
    writeFileSync(db, damaged)

    const deep = await runBuiltCli(['doctor', '--deep', '--db', db, '--json'])
    expect(deep.code).toBe(1)
    const detail = (jsonData(deep.stdout, 'doctor') as Doctor).checks.find((check) => check.name === 'Deep check')?.detail
    expect(detail).toContain('its first meta page (page 0) is damaged; the second one (page 1) is intact')
    expect(detail).not.toContain('not an LMDB database file')

    const target = join(folder, 'salvaged.lmdb')
    const salvage = await runBuiltCli(['doctor', '--salvage', target, '--db', db])
    expect(salvage.code, salvage.stderr).toBe(0)
    expect(salvage.stdout).toContain('Its first meta page (page 0) is damaged: everything was read through the second one (page 1), from a temporary copy. If the damaged page held the newest write, that one write is missing.')
    expect(salvage.stdout).not.toContain('Skipped, unreadable')
    expect(salvage.stdout).toContain('; scores recomputed from the facts.')
    expect(salvage.stdout).toContain(`${db} is unchanged. Check the new one with agent-tracker doctor --deep --db ${target}`)
    const checked = await runBuiltCli(['doctor', '--deep', '--db', target, '--json'])
    expect((jsonData(checked.stdout, 'doctor') as Doctor).checks.find((check) => check.name === 'Deep check')).toMatchObject({ ok: true })
    expect(readFileSync(db).equals(damaged)).toBe(true)
  }, 120_000)
})
