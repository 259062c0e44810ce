import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const HOLDER = fileURLToPath(new URL('./hold-open.mjs', import.meta.url))

/** A process of the predecessor's that has its central database open. */
export interface OpenPredecessor {
  readonly pid: number
  /** Ends the process (SIGKILL) and waits for it. */
  close(): Promise<void>
}

/**
 * Starts a process that holds the predecessor's central database at `path` open, as its plugin did
 * inside a running OpenCode (with its own lmdb release), and resolves once it has read from it.
 */
export async function holdPredecessorDatabaseOpen(path: string): Promise<OpenPredecessor> {
  const child = spawn(process.execPath, [HOLDER, path], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve() }))
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => { resolve() })
    child.once('exit', (code) => { reject(new Error(`the holder of ${path} exited with ${String(code)}`)) })
  })
  return {
    pid: child.pid ?? -1,
    close: async () => {
      child.kill('SIGKILL')
      await exited
    },
  }
}
