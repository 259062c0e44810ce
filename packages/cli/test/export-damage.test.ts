import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ingestHistory } from './ingest-history.js'
import { dropLastNode, subDatabaseLeaves } from './lmdb-pages.js'
import { runCli, tempFolder } from './run-cli.js'

/** A database of a realistic history; its export's lines, and its commits. */
async function history(): Promise<{ db: string; lines: number; commits: number }> {
  const folder = tempFolder('export-damage-')
  const db = join(folder, 'tracker.lmdb')
  const file = join(folder, 'history.jsonl')
  writeFileSync(file, ingestHistory(1500))
  expect((await runCli(['ingest', '--file', file, '--db', db])).code).toBe(0)
  const exported = await runCli(['export', '--format', 'jsonl', '--db', db])
  expect({ code: exported.code, stderr: exported.stderr }).toEqual({ code: 0, stderr: '' })
  const lines = exported.stdout.trimEnd().split('\n')
  return { db, lines: lines.length, commits: lines.filter((line) => line.startsWith('{"collection":"commits"')).length }
}

function damage(db: string, tree: string): void {
  const file = readFileSync(db)
  const leaves = subDatabaseLeaves(file, tree)
  dropLastNode(file, leaves[Math.floor(leaves.length / 2)] ?? 0)
  writeFileSync(db, file)
}

describe('an export of a damaged database', () => {
  it('that met fewer records than the database counts says so by collection, exits 1 and remembers the damage', async () => {
    const { db, lines, commits } = await history()
    // The time index lists one commit fewer: the export reads the commits through it, without an error.
    damage(db, 'commits-by-time')
    const exported = await runCli(['export', '--format', 'jsonl', '--db', db])
    expect(exported.code).toBe(1)
    expect(exported.stdout.trimEnd().split('\n')).toHaveLength(lines - 1)
    expect(exported.stderr).toContain(`The export is incomplete: only commits: ${String(commits - 1)} of ${String(commits)} records could be read from ${db}, and nothing was written to it meanwhile; its file is probably damaged.`)
    expect(exported.stderr).toContain('agent-tracker doctor --salvage <new-file>')
    expect(existsSync(`${db}.damaged`)).toBe(true)
    // A narrowed export cannot be counted: the damage mark still says it may be short.
    const narrowed = await runCli(['export', '--format', 'jsonl', '--table', 'bugs', '--db', db, '--since', '2026-01-01'])
    expect(narrowed.code).toBe(1)
    expect(narrowed.stderr).toContain(`${db} was found damaged (`)
    // doctor does not call it writable while writes to it are refused.
    const doctor = await runCli(['doctor', '--db', db])
    expect(doctor.stdout).toMatch(/✗ Writable +no: writes are refused while it is marked damaged/)
  })

  it('marked damaged says this export may lack records and exits 1, as a list of journal entries does, though every record was read', async () => {
    const { db, lines } = await history()
    // Damage where the export does not read (the fact-id index); the deep check finds it and marks the file.
    damage(db, 'fact-ids')
    const deep = await runCli(['doctor', '--deep', '--db', db])
    expect(deep.code).toBe(1)
    expect(existsSync(`${db}.damaged`)).toBe(true)
    const exported = await runCli(['export', '--format', 'jsonl', '--db', db])
    expect(exported.code).toBe(1)
    expect(exported.stdout.trimEnd().split('\n')).toHaveLength(lines)
    expect(exported.stderr).toMatch(new RegExp(`^${db.replaceAll('/', '\\/')} was found damaged \\(\\S+: fact-ids: it holds \\d+ entries but claims \\d+\\), so this export may lack the records on its damaged pages, and nothing tells which\\. Copy everything still readable into a new database with agent-tracker doctor --salvage <new-file>`))
    const listed = await runCli(['activity', '--db', db])
    expect(listed.code).toBe(1)
    expect(listed.stderr).toContain('so this list may lack the records on its damaged pages')
    const json = await runCli(['activity', '--db', db, '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toMatchObject({ notices: [{ code: 'DATABASE_DAMAGED' }] })
    // Every other read says it too, once, and exits 1: its answer stands but may be short.
    for (const args of [['agents'], ['report'], ['projects'], ['search', 'change'], ['history', 'build@openai/gpt-5'], ['retro']]) {
      const read = await runCli([...args, '--db', db, '--json'])
      expect(read.code, args[0]).toBe(1)
      expect((JSON.parse(read.stdout) as { notices?: { code: string }[] }).notices?.map((notice) => notice.code), args[0]).toEqual(['DATABASE_DAMAGED'])
      const text = await runCli([...args, '--db', db])
      expect(text.stderr.split(' was found damaged (').length - 1, args[0]).toBe(1)
    }
  })

  it('that fails part way leaves the file at --out as it was, and says so', async () => {
    const { db } = await history()
    // A leaf page of the activities in the middle overwritten with garbage: the read stops there with an error.
    const file = readFileSync(db)
    const leaves = subDatabaseLeaves(file, 'activities')
    const page = leaves[Math.floor(leaves.length / 2)] ?? 0
    file.fill(0xff, page * 4096, (page + 1) * 4096)
    writeFileSync(db, file)
    const out = join(tempFolder('export-out-'), 'export.json')
    writeFileSync(out, '{"the": "export before"}\n')
    for (const format of ['json', 'jsonl', 'csv']) {
      const exported = await runCli(['export', '--format', format, '--table', 'activities', '--out', out, '--db', db])
      expect(exported.code, format).toBe(1)
      expect(exported.stderr, format).toContain(`The export failed: ${out} was left as it was.`)
      expect(readFileSync(out, 'utf8'), format).toBe('{"the": "export before"}\n')
      expect(readdirSync(dirname(out)), format).toEqual(['export.json'])
    }
  })
})
