import type { HaltMode, SetupIdentity } from '@agent-tracker/core'
import type { PendingWrite } from '@agent-tracker/claude-code/hook'
import { hookEventName } from '@agent-tracker/claude-code/hook-input'
import type { Io } from './io.js'
import { absolutePath } from './io.js'
import { startThisCliDetached } from './this-cli-child.js'

/** What `agent-tracker hook` serves. */
export const HOOK_HOSTS = ['claude-code'] as const

const HALT_MODES: readonly HaltMode[] = ['block', 'warn', 'off']

/** The options of `hook claude-code`, read without the CLI's parser (a hook process must start fast). */
export interface HookFlags {
  readonly db?: string
  readonly identity?: SetupIdentity
  readonly enforceHalt?: HaltMode
  readonly envProtection: boolean
  /** Do the work of a `Stop` in this process instead of a detached one. */
  readonly foreground: boolean
  /** This process is the detached worker of a `Stop` (internal): how it ends is written down for `doctor`, and it carries on a search-index build under way. */
  readonly detached: boolean
  /** This process writes the pending facts for a hook that does not wait for the write lock (internal; see `HookOptions.writeElsewhere`). */
  readonly writePending: boolean
}

/** The flags of a hook command, and what was wrong with the ones that could not be read. */
export interface ReadHookFlags {
  readonly flags: HookFlags
  /** Each bad argument, and what is accepted: the flags above hold the defaults in their place. */
  readonly problems: readonly string[]
}

/**
 * Reads `claude-code [--db <path>] [--identity agent+model|agent] [--enforce-halt block|warn|off] [--no-env-protection] [--foreground]`,
 * each option also as `--option=value`. A bad option does not stop the hook: it is named in
 * `problems` and its default stands in — a hook that gave up on its flags would let through the
 * tool calls its guard is there to stop (Claude Code goes on after a hook that fails).
 * @throws {Error} only when the host is not one `hook` serves.
 */
export function readHookFlags(args: readonly string[]): ReadHookFlags {
  const [host, ...rest] = args
  if (host !== 'claude-code') throw new Error(`agent-tracker hook serves ${HOOK_HOSTS.join(', ')}, got ${JSON.stringify(host ?? '')}: install it with agent-tracker hooks install claude-code.`)
  const flags: { -readonly [K in keyof HookFlags]: HookFlags[K] } = { envProtection: true, foreground: false, detached: false, writePending: false }
  const problems: string[] = []
  for (let at = 0; at < rest.length; at++) {
    const given = rest[at] ?? ''
    const equals = given.startsWith('--') ? given.indexOf('=') : -1
    const flag = equals === -1 ? given : given.slice(0, equals)
    const value = (): string | undefined => {
      if (equals !== -1) {
        const inline = given.slice(equals + 1)
        if (inline !== '') return inline
        problems.push(`${flag} needs a value; the default is used.`)
        return undefined
      }
      const next = rest[at + 1]
      if (next === undefined || next.startsWith('--')) {
        problems.push(`${flag} needs a value; the default is used.`)
        return undefined
      }
      at += 1
      return next
    }
    if (flag === '--db') {
      const db = value()
      if (db !== undefined) flags.db = db
    } else if (flag === '--identity') {
      const identity = value()
      if (identity === 'agent+model' || identity === 'agent') flags.identity = identity
      else if (identity !== undefined) problems.push(`Invalid --identity "${identity}": accepted are agent+model, agent; the default (agent+model) is used.`)
    } else if (flag === '--enforce-halt') {
      const mode = value()
      if (mode !== undefined && (HALT_MODES as readonly string[]).includes(mode)) flags.enforceHalt = mode as HaltMode
      else if (mode !== undefined) problems.push(`Invalid --enforce-halt "${mode}": accepted are ${HALT_MODES.join(', ')}; the default (block) is used.`)
    } else if (flag === '--no-env-protection' && equals === -1) flags.envProtection = false
    else if (flag === '--foreground' && equals === -1) flags.foreground = true
    else if (flag === '--detached' && equals === -1) flags.detached = true
    else if (flag === '--write-pending' && equals === -1) flags.writePending = true
    else problems.push(`Unknown option ${JSON.stringify(given)} of agent-tracker hook claude-code, left out: accepted are --db, --identity, --enforce-halt, --no-env-protection, --foreground.`)
  }
  return { flags, problems }
}

/**
 * `agent-tracker hook claude-code`: the handler Claude Code runs for each hook event, reading the
 * event's JSON on stdin and answering on stdout and by its exit code. Loads only the hook's code.
 */
export async function runHookCommand(args: readonly string[], io: Io): Promise<number> {
  let read: ReadHookFlags
  try {
    read = readHookFlags(args)
  } catch (error) {
    io.stderr.write(`agent-tracker: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
  const { flags } = read
  // Said, and the hook goes on with the defaults in their place: its guard still runs (doctor names them too).
  for (const problem of read.problems) io.stderr.write(`agent-tracker: ${problem} Fix the hook command in Claude Code's settings (agent-tracker hooks install claude-code writes it afresh).\n`)
  if (io.stdin.isTTY === true) {
    // Run by hand at a terminal, it would wait for an event that never comes.
    io.stderr.write('agent-tracker: hook claude-code reads one hook event as JSON on stdin, as Claude Code sends it, e.g.\n  echo \'{"hook_event_name":"UserPromptSubmit","session_id":"s1","cwd":"/tmp","prompt":"hi"}\' | agent-tracker hook claude-code\nClaude Code runs it by itself once agent-tracker hooks install claude-code has written its hooks.\n')
    return 1
  }
  // Bytes are joined before decoding: a character that straddles two pipe chunks stays whole.
  const chunks: Buffer[] = []
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)
  const stdin = Buffer.concat(chunks).toString('utf8')
  const event = hookEventName(stdin)
  if (!flags.foreground && !flags.detached && event !== undefined && DETACHED_EVENTS.has(event) && (await detach(args, stdin, io))) return 0
  const { runClaudeCodeHook, runDetachedHook, runPendingWrite } = await import('@agent-tracker/claude-code/hook')
  const databasePath = flags.db === undefined || flags.db.startsWith('~') ? flags.db : absolutePath(io, flags.db)
  const worker = flags.detached || flags.writePending
  const options = {
    databasePath, env: io.env, homeDir: io.homeDir, envProtection: flags.envProtection,
    ...(flags.identity === undefined ? {} : { identity: flags.identity }),
    ...(flags.enforceHalt === undefined ? {} : { enforceHalt: flags.enforceHalt }),
    // A hook Claude Code waits for hands its write to a process of its own (see HookOptions.writeElsewhere).
    ...(worker ? {} : { writeElsewhere: (waitMs: number) => writeElsewhere(args, stdin, io, waitMs) }),
  }
  // Nobody reads a worker's output: it writes down how it ended beside the database, and a detached
  // Stop then carries on a search-index build under way (see runDetachedHook). Its time is bounded.
  const limit = worker ? await limitWorker(stdin, { databasePath, env: io.env, homeDir: io.homeDir }) : undefined
  try {
    // The build after a detached hook's work gets what is left of the worker's time, less a margin (a minute at most).
    const reply = flags.writePending ? await runPendingWrite(stdin, options) : flags.detached ? await runDetachedHook(stdin, options, { searchBuildDeadline: limit === undefined ? undefined : limit.endsAt - BUILD_MARGIN_MS }) : await runClaudeCodeHook(stdin, options)
    if (reply.stdout !== undefined) io.stdout.write(reply.stdout)
    if (reply.stderr !== undefined) io.stderr.write(reply.stderr)
    return reply.exitCode
  } finally {
    clearTimeout(limit?.timer)
  }
}

/** How long a worker of a hook (a detached `Stop`, a write of the pending facts) may run: its work, then a search-index build's minute. */
export const WORKER_LIMIT_MS = 90_000

/** A detached hook's search-index build (a minute at most) stops this long before the worker's limit. */
const BUILD_MARGIN_MS = 5000

/**
 * Ends this worker of a hook once {@link WORKER_LIMIT_MS} (or `AGENT_TRACKER_HOOK_WORKER_MS`, for
 * tests) has passed, writing down why for `doctor`. Its write may wait that long only for a write
 * lock another process holds — a merge, an import, a command stopped with Ctrl-Z —, and a process
 * whose write waits for the lock on lmdb-js's writer thread cannot end by itself, nor by
 * `process.exit()` (that hangs inside lmdb-js): SIGKILL is what ends it. Nothing is lost: what it
 * took from the pending folder stays there, and its transcript positions were saved only once its
 * facts were in that folder, so the next hook that writes writes them, each once.
 */
async function limitWorker(stdin: string, where: { readonly databasePath: string | undefined; readonly env: Io['env']; readonly homeDir: string }): Promise<{ readonly timer: NodeJS.Timeout; readonly endsAt: number }> {
  const [{ hookWorkRecorded, recordDetachedOutcome }, { resolveDatabasePath }, { writesUnderWay }] = await Promise.all([import('@agent-tracker/claude-code/hook'), import('@agent-tracker/node-host/database-path'), import('@agent-tracker/lmdb-store/writes-under-way')])
  const given = Number(where.env.AGENT_TRACKER_HOOK_WORKER_MS)
  const limitMs = Number.isInteger(given) && given > 0 ? given : WORKER_LIMIT_MS
  const timer = setTimeout(() => {
    try {
      // Its own work done and written down, what it went on with (a search-index build, taken up
      // again by the next run from where it stopped) is no failure of the hook's: nothing to record.
      if (hookWorkRecorded()) return
      const databasePath = resolveDatabasePath(where)
      const seconds = `${String(Math.round(limitMs / 1000))} s`
      // Said only of a write that never got the lock: one that holds it and is slow is no other process's doing.
      const why = writesUnderWay().waitingSince !== undefined ? `it waited ${seconds} for the database's write lock, which another process held (an agent-tracker merge, import or doctor --repair, or a command stopped with Ctrl-Z)` : `it did not end within ${seconds}`
      recordDetachedOutcome(databasePath, hookEventName(stdin) ?? 'unknown', { exitCode: 1, stderr: `${why}, and was stopped; what it read waits in ${databasePath}.pending for the next hook that writes` })
    } finally {
      process.kill(process.pid, 'SIGKILL')
    }
  }, limitMs)
  // Only the write it waits for keeps the process going: once its work is done, this keeps nothing alive.
  timer.unref()
  return { timer, endsAt: Date.now() + limitMs }
}

/**
 * Writes the pending facts in a process of its own — this hook again, with `--write-pending`, given
 * the event on its stdin — and waits for it `waitMs` at most (see `HookOptions.writeElsewhere`): a
 * write waiting for another process's lock then keeps that process going, not this hook. `failed`
 * when it cannot be started (the facts wait for the next hook that writes).
 */
async function writeElsewhere(args: readonly string[], event: string, io: Io, waitMs: number): Promise<PendingWrite> {
  try {
    const child = await startThisCliDetached(['hook', ...args, '--write-pending'], io, 'pipe')
    const ended = new Promise<PendingWrite>((resolve) => {
      child.once('error', () => { resolve('failed') })
      child.once('exit', (code) => { resolve(code === 0 ? 'written' : 'failed') })
    })
    child.stdin.on('error', () => undefined)
    // Handed to the pipe before this hook may end its process (it ends itself once it answers).
    const sent = new Promise<void>((resolve) => child.stdin.end(event, resolve))
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<PendingWrite>((resolve) => {
      timer = setTimeout(() => { resolve('waiting') }, waitMs)
    })
    const outcome = await Promise.race([ended, late])
    clearTimeout(timer)
    await Promise.race([sent, ended])
    // Still writing: it goes on by itself, and this hook answers.
    child.unref()
    return outcome
  } catch {
    return 'failed'
  }
}

/**
 * Events whose work — reading what the transcript gained, pricing it, writing the turn's facts to the
 * database — goes on in a detached process: Claude Code waits for its hooks at the end of every turn,
 * and has nothing to learn from these. What they record lands a moment later; a failure loses
 * nothing (the pending facts and the transcript stay for the next Stop or the session's end).
 * `SessionEnd` stays in the foreground: the session is over, and `claude -p` exits after it.
 */
const DETACHED_EVENTS: ReadonlySet<string> = new Set(['Stop', 'SubagentStop'])

/**
 * Starts this hook again, detached and in the foreground, handing it the event through its stdin
 * (the pipe holds it: an event is a few hundred bytes); false when it cannot (then it runs here).
 */
async function detach(args: readonly string[], event: string, io: Io): Promise<boolean> {
  try {
    const child = await startThisCliDetached(['hook', ...args, '--detached'], io, 'pipe')
    child.on('error', () => undefined)
    const { stdin } = child
    await new Promise<void>((resolve, reject) => {
      stdin.on('error', reject)
      stdin.end(event, resolve)
    })
    child.unref()
    return true
  } catch {
    return false
  }
}
