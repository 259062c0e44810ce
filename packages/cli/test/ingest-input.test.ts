import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { IngestSummary } from '../src/commands/ingest.js'
import { main } from '../src/main.js'
import { databaseContents } from './ingest-history.js'
import { factLine, jsonData, runCli, tempFolder } from './run-cli.js'
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
