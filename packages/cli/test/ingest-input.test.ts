import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { validateFact } from '@agent-tracker/core'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import type { IngestSummary } from '../src/commands/ingest.js'
import { InputFactIds } from '../src/ingest/input-fact-ids.js'
import { main } from '../src/main.js'
import { databaseContents } from './ingest-history.js'
import { factLine, jsonData, jsonError, runCli, tempFolder } from './run-cli.js'
import { SONNET } from './seed.js'

/** `ingest --json` reading `stdin`, in this process; its summary and exit code. */
async function ingestFrom(stdin: AsyncIterable<Buffer>, args: readonly string[]): Promise<{ code: number; summary: IngestSummary }> {
  const home = tempFolder('home-')
  let stdout = ''
  const io = { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true }, stdin, env: { HOME: home, NO_COLOR: '1', TZ: 'UTC' }, cwd: home, homeDir: home }
  const code = await main(['ingest', ...args, '--json'], io)
  return { code, summary: jsonData(stdout, 'ingest') as IngestSummary }
}

const call = (tool: string): string => factLine({ kind: 'tool_call', setup: SONNET, project: '/w/app', tool, ok: true, at: '2026-03-01T10:00:00Z' })

describe('ingest of a line past the longest a line may be', () => {
  it('rejects it by number, saying what is accepted, and stores the lines around it', async () => {
    // 64 MiB and one chunk of "x" on one line, made as it is read: the test holds one chunk.
    const chunk = Buffer.alloc(64 * 1024, 'x')
    // eslint-disable-next-line @typescript-eslint/require-await -- input streams are async; these chunks are made on the spot
    async function* stdin(): AsyncGenerator<Buffer> {
      yield Buffer.from(`${call('before')}\n`)
      for (let sent = 0; sent <= 64 * 1024 * 1024; sent += chunk.length) yield chunk
      yield Buffer.from(`\n${call('after')}\n`)
    }
    const { code, summary } = await ingestFrom(stdin(), ['--db', join(tempFolder(), 'long.lmdb')])
    expect(code).toBe(1)
    expect(summary).toMatchObject({ lines: 3, ingested: 2 })
    expect(summary.rejected).toEqual([{ line: 2, message: "the line is longer than 64 MiB; accepted are lines of up to 64 MiB, one fact each (a fact's free text is at most 256 KiB)" }])
  })
})

describe('ingest of a file that begins with a byte-order mark', () => {
  it('reads its first line as the others, the mark left out', async () => {
    const folder = tempFolder()
    const file = join(folder, 'saved-on-windows.jsonl')
    // As Notepad saves "UTF-8 with BOM": the mark, then the lines, each ended by CR LF.
    writeFileSync(file, `\uFEFF${factLine({ kind: 'activity', setup: SONNET, project: '/w/app', task: 'first' })}\r\n${call('bash')}\r\n`)
    const { code, stdout } = await runCli(['ingest', '--file', file, '--db', join(folder, 'bom.lmdb'), '--json'])
    expect(jsonData(stdout, 'ingest')).toMatchObject({ lines: 2, ingested: 2, rejected: [] })
    expect(code).toBe(0)
    expect((await databaseContents(join(folder, 'bom.lmdb'))).records.activities).toMatchObject([{ task: 'first' }])
  })
})

describe('ingest of a line that is not UTF-8', () => {
  it('rejects it by number, saying so and what is accepted, instead of storing replaced characters; the other lines are stored', async () => {
    const folder = tempFolder()
    const file = join(folder, 'latin1.jsonl')
    const activity = (task: string): string => factLine({ kind: 'activity', setup: SONNET, project: '/w/app', task, at: '2026-03-01T10:00:00Z' })
    // "café" saved as Latin-1: é is the one byte 0xe9.
    writeFileSync(file, Buffer.concat([Buffer.from(`${activity('tea')}\n`), Buffer.from(`${activity('café')}\n`, 'latin1'), Buffer.from(`${activity('crème')}\n`)]))
    const { code, stdout } = await runCli(['ingest', '--file', file, '--db', join(folder, 'latin1.lmdb'), '--json'])
    expect(code).toBe(1)
    const at = activity('café').indexOf('é') + 1
    expect(jsonData(stdout, 'ingest')).toMatchObject({ lines: 3, ingested: 2, rejected: [{ line: 2, message: `not valid UTF-8: byte ${String(at)} of the line, 0xe9, starts no UTF-8 character; accepted is UTF-8 text (convert other encodings first, e.g. iconv -f latin1 -t utf-8)` }] })
    const tasks = (await databaseContents(join(folder, 'latin1.lmdb'))).records.activities.map((entry) => (entry as { task: string }).task)
    expect(tasks.sort()).toEqual(['crème', 'tea'])
  })
})

describe('ingest of UTF-16 input', () => {
  const activity = (task: string): string => factLine({ kind: 'activity', setup: SONNET, project: '/w/app', task, at: '2026-03-01T10:00:00Z' })
  const text = `${activity('first')}\r\n${activity('second')}\r\n`

  it('refuses a file, as PowerShell\'s > writes it, once: naming UTF-16 and its byte-order mark, what is read and how to convert it; what is stored stays, nothing is added', async () => {
    const folder = tempFolder()
    const db = join(folder, 'kept.lmdb')
    expect((await runCli(['ingest', '--db', db], { input: `${activity('stored before')}\n` })).code).toBe(0)
    const file = join(folder, 'from powershell.jsonl')
    // UTF-16, little-endian, with its byte-order mark: what Windows PowerShell's > redirection writes.
    writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
    const { code, stdout } = await runCli(['ingest', '--file', file, '--db', db, '--json'])
    expect(code).toBe(1)
    expect(jsonError(stdout)).toEqual({
      code: 'NOT_UTF8',
      message: `--file ${file} is not UTF-8: it is UTF-16 (little-endian: it begins with the byte-order mark FF FE). ingest reads JSON lines in UTF-8 (a UTF-8 byte-order mark is fine). Convert it first, e.g. iconv -f UTF-16 -t UTF-8 '${file}' | agent-tracker ingest, or in PowerShell write it with Out-File -Encoding utf8 rather than >. Nothing was stored.`,
    })
    const contents = await databaseContents(db)
    expect(contents.records.activities).toMatchObject([{ task: 'stored before' }])
    expect(contents.facts).toBe(1)
  })

  it('refuses it on stdin too, big-endian and its mark arriving a byte at a time, and makes no database for it', async () => {
    const folder = tempFolder()
    const input = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])
    const home = tempFolder('home-')
    let stdout = ''
    const io = { stdout: { write: (written: string) => (stdout += written) }, stderr: { write: () => true }, stdin: Readable.from([...input.subarray(0, 3)].map((byte) => Buffer.from([byte])).concat(input.subarray(3))), env: { HOME: home, NO_COLOR: '1', TZ: 'UTC' }, cwd: home, homeDir: home }
    expect(await main(['ingest', '--db', join(folder, 'none.lmdb'), '--json'], io)).toBe(1)
    expect(jsonError(stdout)).toEqual({
      code: 'NOT_UTF8',
      message: 'The input on stdin is not UTF-8: it is UTF-16 (big-endian: it begins with the byte-order mark FE FF). ingest reads JSON lines in UTF-8 (a UTF-8 byte-order mark is fine). Convert it first, e.g. … | iconv -f UTF-16 -t UTF-8 | agent-tracker ingest, or in PowerShell write it with Out-File -Encoding utf8 rather than >. Nothing was stored.',
    })
    expect(existsSync(join(folder, 'none.lmdb'))).toBe(false)
  })
})

describe('ingest of lines without an id, run again', () => {
  const where = { setup: SONNET, project: '/w/app' }
  const toolCall = (second: number, ok: unknown = true): Record<string, unknown> => ({ ...where, kind: 'tool_call', tool: 'bash', ok, at: `2026-03-01T10:00:0${String(second)}Z` })
  const usage = { ...where, kind: 'usage', tokens: { input: 1000, output: 200 }, cost: 0.25, at: '2026-03-01T10:00:09Z' }
  const ingest = async (db: string, lines: readonly string[], now?: Date): Promise<{ code: number; summary: IngestSummary }> => {
    const { code, stdout } = await runCli(['ingest', '--db', db, '--json'], { input: `${lines.join('\n')}\n`, ...(now === undefined ? {} : { now }) })
    return { code, summary: jsonData(stdout, 'ingest') as IngestSummary }
  }
  const state = async (db: string): Promise<{ toolCalls: number; cost: number }> => {
    const status = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { toolCalls: number; cost: number } }
    return status.state
  }

  it('stores nothing twice when the input comes again with a bad line removed or fixed, a line put before the others, or written out another way', async () => {
    const db = join(tempFolder(), 'corrected.lmdb')
    const calls = [1, 2, 3, 4, 5, 6].map((second) => toolCall(second))
    const bad = toolCall(3, 'yes')
    const first = await ingest(db, [...calls.slice(0, 2), bad, ...calls.slice(3)].map(factLine).concat(factLine(usage)))
    expect(first.summary).toMatchObject({ ingested: 6, repeats: 0, rejected: [{ line: 3 }] })
    // The bad line deleted: every line is now one place earlier.
    const deleted = await ingest(db, [...calls.slice(0, 2), ...calls.slice(3), usage].map(factLine))
    expect(deleted.summary).toMatchObject({ ingested: 0, repeats: 6, rejected: [] })
    // The bad line fixed and back, a new line put first, and the rest written out again: keys in
    // another order, spaces, the times in another zone, numbers in another notation.
    const rewritten = (fact: Record<string, unknown>): string => {
      const at = new Date(fact.at as string)
      const inBerlin = `${new Date(at.getTime() + 3_600_000).toISOString().slice(0, 19)}+01:00`
      return JSON.stringify(Object.fromEntries(Object.entries({ ...fact, at: inBerlin }).reverse()), null, 1).replaceAll('\n', ' ').replace('0.25', '2.5e-1')
    }
    const fixed = await ingest(db, [factLine({ ...where, kind: 'tool_call', tool: 'read', ok: true, at: '2026-03-01T09:59:00Z' }), ...calls.map(rewritten), rewritten(usage)])
    expect(fixed.summary).toMatchObject({ ingested: 2, repeats: 6, rejected: [] })
    expect(await state(db)).toMatchObject({ toolCalls: 7, cost: 0.25 })
  })

  it('counts identical lines of one input as separate events, and each once however the input grows', async () => {
    const db = join(tempFolder(), 'identical.lmdb')
    // Two equal calls within one second, as a host writes them, and a third another second.
    const same = factLine(toolCall(1))
    expect((await ingest(db, [same, same, factLine(toolCall(2))])).summary).toMatchObject({ ingested: 3, repeats: 0 })
    // A third identical call, written first: the input's first two are the two stored.
    expect((await ingest(db, [same, factLine(toolCall(2)), same, same])).summary).toMatchObject({ ingested: 1, repeats: 3 })
    expect((await ingest(db, [same, same, same, factLine(toolCall(2))])).summary).toMatchObject({ ingested: 0, repeats: 4 })
    expect(await state(db)).toMatchObject({ toolCalls: 4 })
  })

  it('knows a line without a time again in a later run, wherever it is in the input', async () => {
    const db = join(tempFolder(), 'untimed.lmdb')
    const untimed = (tool: string): string => factLine({ ...where, kind: 'tool_call', tool, ok: true })
    expect((await ingest(db, [untimed('read'), untimed('bash')], new Date('2026-03-01T10:00:00Z'))).summary).toMatchObject({ ingested: 2 })
    // An hour later, the second line alone: the time it was given (the time of the run) is no part of it.
    expect((await ingest(db, [untimed('bash')], new Date('2026-03-01T11:00:00Z'))).summary).toMatchObject({ ingested: 0, repeats: 1 })
    expect(await state(db)).toMatchObject({ toolCalls: 2 })
  })

  it('rejects a line whose time says no zone, naming the forms accepted, in whatever zone it is run: it would be another fact from another zone', async () => {
    const db = join(tempFolder(), 'zoneless.lmdb')
    const zoneless = factLine({ ...where, kind: 'tool_call', tool: 'bash', ok: true, at: '2026-11-10T10:00:00' })
    const machine = process.env.TZ
    try {
      for (const zone of ['UTC', 'America/New_York']) {
        process.env.TZ = zone
        const { code, summary } = await ingest(db, [zoneless, factLine(toolCall(1))])
        expect(code).toBe(1)
        expect(summary.rejected).toEqual([{ line: 1, message: expect.stringContaining('field "at" "2026-11-10T10:00:00": a date-time needs its zone, Z (UTC) or an offset ±hh:mm, as in 2026-11-10T10:00:00Z or 2026-11-10T10:00:00+02:00') as unknown }])
      }
    } finally {
      if (machine === undefined) delete process.env.TZ
      else process.env.TZ = machine
    }
    expect(await state(db)).toMatchObject({ toolCalls: 1 })
  })

  it('rejects a line with a field its kind does not take, naming it and the fields taken, instead of storing the rest without it', async () => {
    const db = join(tempFolder(), 'unknown-fields.lmdb')
    const { code, summary } = await ingest(db, [
      factLine({ ...where, kind: 'commit', hash: 'abcd1234', message: 'Add cart', at: '2026-03-01T10:00:00Z' }),
      factLine({ ...where, kind: 'grade', commit: 'abcd1234', by: 'agent', agentGrade: 'good', user_note: 'lovely', at: '2026-03-01T10:01:00Z' }),
      factLine({ ...where, kind: 'tool_call', tool: 'bash', ok: false, exit_code: 2, at: '2026-03-01T10:02:00Z' }),
      factLine({ ...where, kind: 'commit', hash: 'abcd5678', mesage: 'Fix cart', at: '2026-03-01T10:03:00Z' }),
    ])
    expect(code).toBe(1)
    expect(summary).toMatchObject({ ingested: 1, rejected: [
      { line: 2, message: 'Invalid grade fact: unknown field "user_note" (did you mean "userNote"?); a grade fact takes kind, id, at, setup, project, session, commit, by, agentGrade, userGrade, agentNote, userNote, task, channel, vouched.' },
      { line: 3, message: expect.stringContaining('unknown field "exit_code" (did you mean "exitCode"?)') as unknown },
      { line: 4, message: expect.stringContaining('unknown field "mesage" (did you mean "message"?)') as unknown },
    ] })
    expect(await state(db)).toMatchObject({ toolCalls: 0 })
  })

  it('takes a project path however it is spelt as the one folder it names: one project, its facts together', async () => {
    const db = join(tempFolder(), 'spelt.lmdb')
    const commit = (project: string, hash: string): string => factLine({ setup: SONNET, project, kind: 'commit', hash, message: 'm', at: '2026-03-01T10:00:00Z' })
    expect((await ingest(db, [commit('/w/app', 'aaaa0001'), commit('/w/app/', 'aaaa0002'), commit('//w//app', 'aaaa0003'), commit('/w/x/../app', 'aaaa0004')])).summary).toMatchObject({ ingested: 4, rejected: [] })
    const projects = await runCli(['projects', '--db', db, '--json'])
    expect((jsonData(projects.stdout, 'projects') as { projects: { path: string; commits: number }[] }).projects).toEqual([expect.objectContaining({ path: '/w/app', commits: 4 })])
  })

  it('knows a line an earlier release stored under its project as spelt, when that input comes again', async () => {
    const db = join(tempFolder(), 'spelt-before.lmdb')
    const line = { setup: SONNET, kind: 'tool_call', tool: 'bash', ok: true, at: '2026-03-01T10:05:00Z' }
    // As an earlier release stored the line: its project as spelt, its id derived from that.
    const before = validateFact({ ...line, project: '/w/app/' }, { newId: () => 'unnamed' })
    const store = openLmdbStore({ databasePath: db })
    await store.applyFacts([{ ...before, id: new InputFactIds().idOf(before, true) }])
    await store.close()
    expect((await ingest(db, [factLine({ ...line, project: '/w/app/' })])).summary).toMatchObject({ ingested: 0, repeats: 1 })
  })

  it('takes a line sent again with its project spelt another way for the repeat it is', async () => {
    const db = join(tempFolder(), 'respelt.lmdb')
    const line = (project: string, tool = 'bash'): string => factLine({ setup: SONNET, project, kind: 'tool_call', tool, ok: true, at: '2026-03-01T10:05:00Z' })
    expect((await ingest(db, [line('/x/shop'), line('/x/shop', 'read')])).summary).toMatchObject({ ingested: 2, repeats: 0 })
    expect((await ingest(db, [line('/x/shop/'), line('/x/../x/shop', 'read')])).summary).toMatchObject({ ingested: 0, repeats: 2 })
    expect((await ingest(db, [line('//x//shop/.')])).summary).toMatchObject({ ingested: 0, repeats: 1 })
    expect(await state(db)).toMatchObject({ toolCalls: 2 })
  })

  it('keeps a line spelt as stored that follows the same fact spelt otherwise: a second event, not a repeat, whatever the batches', async () => {
    const db = join(tempFolder(), 'spelt-twice.lmdb')
    const line = (project: string): string => factLine({ setup: SONNET, project, kind: 'tool_call', tool: 'bash', ok: true, at: '2026-03-01T10:05:00Z' })
    expect((await ingest(db, [line('/w/app/')])).summary).toMatchObject({ ingested: 1, repeats: 0 })
    // The input again with one more line, the same call spelt as stored: the first is a repeat, the second a call of its own.
    expect((await ingest(db, [line('/w/app/'), line('/w/app')])).summary).toMatchObject({ ingested: 1, repeats: 1 })
    expect(await state(db)).toMatchObject({ toolCalls: 2 })
  })

  it('knows the lines an earlier release stored under their project as spelt otherwise; one spelt as stored after them it cannot tell from a new one (the limit docs/json-output.md names)', async () => {
    const db = join(tempFolder(), 'spelt-mixed.lmdb')
    const line = { setup: SONNET, kind: 'tool_call', tool: 'bash', ok: true, at: '2026-03-01T10:05:00Z' }
    const spellings = ['/w/app/', '/w/app', '/w/app/']
    // As an earlier release stored these three lines of one input: each id from its project as spelt, counted among the lines spelt alike.
    const earlierRule = new InputFactIds()
    const store = openLmdbStore({ databasePath: db })
    await store.applyFacts(spellings.map((project) => {
      const before = validateFact({ ...line, project }, { newId: () => 'unnamed' })
      return { ...validateFact({ ...line, project: '/w/app' }, { newId: () => 'unnamed' }), id: earlierRule.idOf(before, true) }
    }))
    await store.close()
    expect(await state(db)).toMatchObject({ toolCalls: 3 })
    expect((await ingest(db, spellings.map((project) => factLine({ ...line, project })))).summary).toMatchObject({ ingested: 1, repeats: 2 })
    expect(await state(db)).toMatchObject({ toolCalls: 4 })
  })

  it('rejects a line that gives an id another line of the input gave to a different fact, instead of dropping it as a repeat', async () => {
    const db = join(tempFolder(), 'same-id.lmdb')
    const named = (fact: Record<string, unknown>): string => factLine({ ...where, ...fact, id: 'dup' })
    const { summary } = await ingest(db, [named({ kind: 'tool_call', tool: 'bash', ok: true, at: '2026-03-01T10:00:00Z' }), named({ kind: 'bug', by: 'agent', note: 'x', at: '2026-03-01T10:01:00Z' }), named({ kind: 'tool_call', tool: 'bash', ok: true, at: '2026-03-01T10:00:00Z' })])
    expect(summary).toMatchObject({ ingested: 1, repeats: 1, rejected: [{ line: 2, message: 'field "id" is "dup", which line 1 gave to a different fact; an id names one fact: give each fact an id of its own, or none (ingest then derives one from the fact).' }] })
    expect(await state(db)).toMatchObject({ toolCalls: 1, bugs: 0 })
  })
})

describe('ingest of a verdict on a suspected bug', () => {
  const commit = '1111111111111111111111111111111111111111'
  const fix = '2222222222222222222222222222222222222222'
  const lines = (db: string, ...more: string[]): Promise<Awaited<ReturnType<typeof runCli>>> => runCli(['ingest', '--trust', '--db', db, '--json'], { input: `${more.join('\n')}\n` })
  const suspected = (id: string, signal = 'suspected-bug'): string => factLine({ kind: 'evidence', id, setup: SONNET, project: '/w/app', signal, commit, source: fix, at: '2026-03-02T10:00:00Z' })
  const confirmed = (evidence: string): string => factLine({ kind: 'verdict', setup: SONNET, project: '/w/app', evidence, verdict: 'confirmed', at: '2026-03-03T10:00:00Z' })
  const status = async (db: string): Promise<{ skillPoints: number; bugs: number }> => {
    const setup = jsonData((await runCli(['status', SONNET, '--db', db, '--json'])).stdout, 'status') as { state: { skillPoints: number; bugs: number } }
    return { skillPoints: setup.state.skillPoints, bugs: setup.state.bugs }
  }

  it('counts a confirmation as bug --confirm does — the user\'s bug, SP −1 — once, however often it comes or is confirmed again', async () => {
    const db = join(tempFolder(), 'tracker.lmdb')
    expect((await lines(db, factLine({ kind: 'commit', setup: SONNET, project: '/w/app', hash: commit, at: '2026-03-01T10:00:00Z' }), suspected('e1'))).code).toBe(0)
    const before = await status(db)
    const first = await lines(db, confirmed('e1'))
    expect(first.code, first.stderr).toBe(0)
    expect(await status(db)).toEqual({ skillPoints: before.skillPoints - 1, bugs: before.bugs + 1 })
    // The same verdict again, and the same confirmation by the command: nothing more.
    expect((jsonData((await lines(db, confirmed('e1'))).stdout, 'ingest') as IngestSummary).repeats).toBe(2)
    expect((await runCli(['bug', '--confirm', 'e1', '--db', db])).stdout).toContain('is already confirmed; nothing recorded')
    expect(await status(db)).toEqual({ skillPoints: before.skillPoints - 1, bugs: before.bugs + 1 })
  })

  it('takes the evidence from earlier in the same input, and refuses a confirmation of evidence that is no suspected bug, saying why', async () => {
    const db = join(tempFolder(), 'tracker.lmdb')
    const run = await lines(db, factLine({ kind: 'commit', setup: SONNET, project: '/w/app', hash: commit, at: '2026-03-01T10:00:00Z' }), suspected('e2'), confirmed('e2'), suspected('r1', 'revert'), confirmed('r1'))
    expect(run.code).toBe(1)
    const summary = jsonData(run.stdout, 'ingest') as IngestSummary
    expect(summary.rejected).toEqual([{ line: 5, message: expect.stringContaining('Only suspected bugs are confirmed or dismissed') as unknown }])
    expect((await status(db)).bugs).toBe(1)
  })
})
