import { createWriteStream } from 'node:fs'
import type { Io } from '../io.js'

/** Where an export writes, with backpressure: `write` waits while the destination is full. */
export interface OutputSink {
  write(text: string): Promise<void>
  /** Finishes the output (closes a file); resolves once everything is written. */
  end(): Promise<void>
  /** Bytes written so far. */
  readonly bytes: number
}

interface Drainable {
  write(text: string): unknown
  once?(event: 'drain' | 'error', listener: (error?: unknown) => void): unknown
}

/** A sink over stdout (not closed at the end) or over a new file at `path`. */
export function outputSink(io: Io, path: string | undefined): OutputSink {
  const file = path === undefined ? undefined : createWriteStream(path)
  const target: Drainable = file ?? io.stdout
  let bytes = 0
  let failure: Error | undefined
  file?.on('error', (error) => {
    failure = error
  })
  return {
    get bytes() {
      return bytes
    },
    async write(text: string): Promise<void> {
      if (failure !== undefined) throw failure
      bytes += Buffer.byteLength(text)
      if (target.write(text) === false && target.once !== undefined) {
        await new Promise<void>((resolve, reject) => {
          target.once?.('drain', () => { resolve(); })
          target.once?.('error', (error) => { reject(error instanceof Error ? error : new Error(String(error))); })
        })
      }
    },
    async end(): Promise<void> {
      if (file === undefined) return
      await new Promise<void>((resolve, reject) => {
        file.end((error?: Error | null) => {
          if (error) reject(error)
          else resolve()
        })
      })
      if (failure !== undefined) throw failure
    },
  }
}
