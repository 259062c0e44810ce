import { EventEmitter } from 'node:events'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
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

/** An Io whose stdout is `stdout`; the rest is not used by a sink. */
const ioWith = (stdout: Io['stdout']): Io => ({ stdout, stderr: stdout, stdin: new PassThrough(), env: {}, cwd: '/', homeDir: '/' })

describe('an export sink', () => {
  it('waits for a full file to drain without leaving a listener behind each time', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sink-'))
    folders.push(folder)
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
    for (let index = 0; index < 30; index++) await sink.write('line\n')
    expect(stdout.written).toBe(150)
    expect(stdout.listenerCount('drain')).toBe(0)
    expect(stdout.listenerCount('error')).toBe(0)
  })
})
