import { EventEmitter } from 'node:events'
import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import type { Io } from '../io.js'
import { outputSink } from './output-sink.js'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

/** A new folder for a test's files, removed after it. */
function sinkFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'sink-'))
  folders.push(folder)
  return folder
}

/** An Io whose stdout is `stdout`; the rest is not used by a sink. */
const ioWith = (stdout: Io['stdout']): Io => ({ stdout, stderr: stdout, stdin: new PassThrough(), env: {}, cwd: '/', homeDir: '/' })

describe('an export sink', () => {
  it('waits for a full file to drain without leaving a listener behind each time', async () => {
    const folder = sinkFolder()
    const warnings: string[] = []
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name)
    }
    process.on('warning', onWarning)
    try {
      const path = join(folder, 'out.jsonl')
      const sink = outputSink(ioWith({ write: () => true, isTTY: false }), path)
      // Each write is above the file stream's buffer: every one waits for a drain.
      const chunk = `${'x'.repeat(20_000)}\n`
      for (let index = 0; index < 50; index++) await sink.write(chunk)
      await sink.end()
      // Node emits its warnings on a later tick.
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings).not.toContain('MaxListenersExceededWarning')
      expect(readFileSync(path, 'utf8')).toBe(chunk.repeat(50))
      expect(sink.bytes).toBe(chunk.length * 50)
    } finally {
      process.off('warning', onWarning)
    }
  })

  it('takes its listeners off a slow stdout once it drained', async () => {
    class SlowStdout extends EventEmitter {
      readonly isTTY = false
      written = 0
      write(text: string): boolean {
        this.written += text.length
        setImmediate(() => this.emit('drain'))
        return false
      }
    }
    const stdout = new SlowStdout()
    const sink = outputSink(ioWith(stdout), undefined)
    // Lines of 5,000 characters: every second one fills a chunk, which waits for the drain.
    const line = `${'l'.repeat(4999)}\n`
    for (let index = 0; index < 30; index++) await sink.write(line)
    await sink.end()
    expect(stdout.written).toBe(150_000)
    expect(stdout.listenerCount('drain')).toBe(0)
    expect(stdout.listenerCount('error')).toBe(0)
  })

  it('hands many small writes to stdout in a few chunks, in order, and what it gathered when given up', async () => {
    const writes: string[] = []
    const stdout = { isTTY: false, write: (text: string) => writes.push(text) > 0 }
    const sink = outputSink(ioWith(stdout), undefined)
    const lines = Array.from({ length: 10_000 }, (_, index) => `{"n": ${String(index)}, "é": true}\n`)
    for (const line of lines) await sink.write(line)
    expect(writes.length).toBeGreaterThan(0)
    expect(sink.bytes).toBe(Buffer.byteLength(lines.join('')))
    await sink.end()
    expect(writes.join('')).toBe(lines.join(''))
    expect(writes.length).toBeLessThan(10)
    // A failed export's stdout keeps what it was given, to the last write.
    writes.length = 0
    const failed = outputSink(ioWith(stdout), undefined)
    await failed.write('first\n')
    await failed.write('second\n')
    expect(await failed.abort()).toBeUndefined()
    expect(writes.join('')).toBe('first\nsecond\n')
  })

  it('writes a file beside its path and puts it in place at the end: no half-written file is ever seen there', async () => {
    const folder = sinkFolder()
    const path = join(folder, 'export.json')
    writeFileSync(path, 'the export before\n')
    const sink = outputSink(ioWith({ write: () => true, isTTY: false }), path)
    await sink.write('{"new": ')
    expect(readFileSync(path, 'utf8')).toBe('the export before\n')
    await sink.write('true}\n')
    await sink.end()
    expect(readFileSync(path, 'utf8')).toBe('{"new": true}\n')
    expect(readdirSync(folder)).toEqual(['export.json'])
  })

  it('given up after a failure, leaves the file that was there as it was, or none where there was none', async () => {
    const folder = sinkFolder()
    const io = ioWith({ write: () => true, isTTY: false })
    const kept = join(folder, 'kept.jsonl')
    writeFileSync(kept, 'old line\n')
    const sink = outputSink(io, kept)
    await sink.write('half a li')
    expect(await sink.abort()).toBe(`${kept} was left as it was`)
    expect(readFileSync(kept, 'utf8')).toBe('old line\n')
    const fresh = join(folder, 'fresh.jsonl')
    const other = outputSink(io, fresh)
    await other.write('half')
    expect(await other.abort()).toBe(`no file was written at ${fresh}`)
    expect(readdirSync(folder)).toEqual(['kept.jsonl'])
  })

  it('replaces the file a link names, keeping the link, and writes a device as it is', async () => {
    const folder = sinkFolder()
    const real = join(folder, 'real.csv')
    const link = join(folder, 'link.csv')
    writeFileSync(real, 'before\n')
    symlinkSync(real, link)
    const io = ioWith({ write: () => true, isTTY: false })
    const sink = outputSink(io, link)
    await sink.write('after\n')
    await sink.end()
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readlinkSync(link)).toBe(real)
    expect(readFileSync(real, 'utf8')).toBe('after\n')
    const device = outputSink(io, '/dev/null')
    await device.write('gone\n')
    await device.end()
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true)
    expect(readdirSync('/dev').filter((name) => name.startsWith('.null.'))).toEqual([])
  })

  it('keeps the permissions of the file it replaces, and writes a file a dangling link names', async () => {
    const folder = sinkFolder()
    const io = ioWith({ write: () => true, isTTY: false })
    const secret = join(folder, 'private.json')
    writeFileSync(secret, 'old\n')
    chmodSync(secret, 0o600)
    const sink = outputSink(io, secret)
    await sink.write('new\n')
    await sink.end()
    expect(statSync(secret).mode & 0o777).toBe(0o600)
    expect(readFileSync(secret, 'utf8')).toBe('new\n')
    const link = join(folder, 'later.csv')
    symlinkSync(join(folder, 'target.csv'), link)
    const through = outputSink(io, link)
    await through.write('a,b\n')
    await through.end()
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(folder, 'target.csv'), 'utf8')).toBe('a,b\n')
  })

  it('writes a pipe as it is, by its name or through a link to it (as /dev/stdout is)', async () => {
    const folder = sinkFolder()
    const fifo = join(folder, 'pipe')
    execFileSync('mkfifo', [fifo])
    const link = join(folder, 'stdout')
    symlinkSync(fifo, link)
    for (const path of [fifo, link]) {
      const reader = spawn('cat', [fifo])
      let read = ''
      reader.stdout.on('data', (chunk: Buffer) => {
        read += chunk.toString('utf8')
      })
      const closed = new Promise((resolve) => reader.on('close', resolve))
      const sink = outputSink(ioWith({ write: () => true, isTTY: false }), path)
      await sink.write('through the pipe\n')
      await sink.end()
      await closed
      expect(read, path).toBe('through the pipe\n')
    }
    expect(readdirSync(folder).sort()).toEqual(['pipe', 'stdout'])
  })
})
