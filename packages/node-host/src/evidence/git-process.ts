import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { NodeHostError } from '../errors.js'

/** How a git call runs: cancellable, and bounded in what it may print. */
export interface GitCallOptions {
  readonly signal?: AbortSignal | undefined
  /** Stop reading (and stop git) past this many bytes of output; default 64 MiB. */
  readonly maxBytes?: number
  /** Text written to git's stdin. */
  readonly input?: string
  /** Variables added to git's environment. */
  readonly env?: Readonly<Record<string, string>>
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024

/**
 * How many blames run at once: one more than the cores (at least 3, at most 8). A blame is a git
 * process busy on one core, and a first scan of a long history runs hundreds.
 */
export const BLAME_CONCURRENCY = Math.min(8, Math.max(3, availableParallelism() + 1))

/**
 * Runs git in `folder` and yields what it prints, cut into records at `separator` (the last one
 * without it) — streamed, so a history of any length is read in flat memory.
 * @throws {NodeHostError} GIT_FAILED when git exits with an error, CANCELLED when the signal fires.
 */
export async function* gitRecords(folder: string, args: readonly string[], separator: string, options: GitCallOptions = {}): AsyncGenerator<string> {
  const { signal } = options
  if (aborted(signal)) throw cancelled(folder)
  const child = spawn('git', ['-c', 'core.quotepath=off', ...args], {
    cwd: folder, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, ...(options.env === undefined ? {} : { env: { ...process.env, ...options.env } }),
  })
  const stop = (): void => {
    child.kill()
  }
  signal?.addEventListener('abort', stop, { once: true })
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text
  })
  const exited = new Promise<number | null>((done) => {
    child.on('close', (code) => {
      done(code)
    })
    child.on('error', () => {
      done(-1)
    })
  })
  child.stdin.on('error', () => undefined)
  child.stdin.end(options.input ?? '')
  child.stdout.setEncoding('utf8')
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  let read = 0
  let pending = ''
  let truncated = false
  try {
    for await (const chunk of child.stdout as AsyncIterable<string>) {
      read += chunk.length
      if (read > maxBytes) {
        truncated = true
        child.kill()
        break
      }
      pending += chunk
      let cut = pending.indexOf(separator)
      while (cut >= 0) {
        yield pending.slice(0, cut)
        pending = pending.slice(cut + separator.length)
        cut = pending.indexOf(separator)
      }
    }
    const code = await exited
    if (aborted(signal)) throw cancelled(folder)
    if (truncated) {
      throw new NodeHostError('GIT_FAILED', `git ${args.join(' ')} in ${folder} printed more than ${String(maxBytes)} bytes; stopped it.`, { folder, args, exitCode: code, stderr: 'output limit' })
    }
    if (code !== 0) {
      throw new NodeHostError('GIT_FAILED', `git ${args.join(' ')} failed in ${folder} (exit ${String(code)}): ${stderr.trim() || 'no message'}`, { folder, args, exitCode: code, stderr })
    }
    if (pending !== '') yield pending
  } finally {
    signal?.removeEventListener('abort', stop)
    if (child.exitCode === null) child.kill()
  }
}

/**
 * Runs git in `folder` and returns everything it printed.
 * @throws {NodeHostError} GIT_FAILED or CANCELLED, as {@link gitRecords}.
 */
export async function gitOutput(folder: string, args: readonly string[], options: GitCallOptions = {}): Promise<string> {
  let text = ''
  for await (const part of gitRecords(folder, args, '\u0000\u0000\u0000', options)) text += part
  return text
}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true
}

function cancelled(folder: string): NodeHostError<'CANCELLED'> {
  return new NodeHostError('CANCELLED', `The evidence scan of ${folder} was cancelled.`, { folder })
}
