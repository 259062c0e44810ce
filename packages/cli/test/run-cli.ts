import { execFile } from 'node:child_process'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { tempFolder } from '@agent-tracker/test-folders'
import type { Io } from '../src/io.js'
import { main } from '../src/main.js'

/** The built binary, as a user runs it. */
export const BUILT_BIN = fileURLToPath(new URL('../bin/agent-tracker.js', import.meta.url))
const BIN = BUILT_BIN
/**
 * A temporary folder, removed when the test file ends (`test/setup.ts`): files make theirs in
 * `beforeAll` and share them between their tests.
 */
export { tempFolder }

/** What a run of the CLI printed and returned. */
export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** How to run the CLI: working folder, stdin, environment (a variable set to undefined is removed), home folder and clock. */
export interface RunOptions {
  readonly cwd?: string
  readonly input?: string
  readonly env?: Record<string, string | undefined>
  readonly home?: string
  /** The time the in-process CLI sees as now. */
  readonly now?: Date
  /** How the in-process CLI would be started by full paths (default: this Node and the package's bin). */
  readonly launcher?: { readonly node: string; readonly bin: string }
  /** The built CLI only: its working folder (`cwd`, empty) is removed before it starts, as a folder deleted under the shell in it. */
  readonly cwdRemoved?: boolean
  /** The in-process CLI only: its stderr is a terminal (a person watches it). */
  readonly terminal?: boolean
}

/**
 * Agent hosts' variables, unset: a run must not look as if an agent ran it when the suite itself
 * runs inside an agent session. (The built CLI also looks for an agent host among its ancestor
 * processes: run the suite from your own terminal for the tests that run it as a child.)
 */
const NO_AGENT_SESSION = { OPENCODE: undefined, OPENCODE_PID: undefined, CLAUDECODE: undefined, CLAUDE_CODE_ENTRYPOINT: undefined, CODEX_SANDBOX: undefined, CODEX_SANDBOX_NETWORK_DISABLED: undefined, AGENT: undefined }

/**
 * The environment a run sees: a private HOME, days counted in UTC, no colour unless asked, none of
 * the tracker's or agent hosts' variables (nor XDG_CONFIG_HOME) unless given.
 */
function environment(base: Record<string, string | undefined>, home: string, options: RunOptions): Record<string, string> {
  const merged = { ...base, HOME: home, TZ: 'UTC', NO_COLOR: '1', AGENT_TRACKER_DB: undefined, AGENT_TRACKER_MAX_SIZE: undefined, AGENT_TRACKER_TEAM_URL: undefined, AGENT_TRACKER_TEAM_MEMBER: undefined, AGENT_TRACKER_TEAM_SCHEMA: undefined, FORCE_COLOR: undefined, XDG_CONFIG_HOME: undefined, XDG_CACHE_HOME: undefined, AGENT_TRACKER_COMPILE_CACHE: undefined, ...NO_AGENT_SESSION, ...options.env }
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

/**
 * Runs the CLI in this process through `main(argv, io)`, with stdout, stderr and stdin of its own
 * (not terminals), an environment of only what the run sets, and a private home folder.
 */
export async function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const home = options.home ?? tempFolder('home-')
  let stdout = ''
  let stderr = ''
  const io: Io = {
    stdout: { write: (text: string) => (stdout += text), isTTY: false },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.terminal === true },
    stdin: Readable.from(options.input === undefined ? [] : [options.input]),
    env: environment({}, home, options),
    cwd: options.cwd ?? home,
    homeDir: home,
    ...(options.now === undefined ? {} : { now: () => options.now ?? new Date() }),
    ...(options.launcher === undefined ? {} : { launcher: options.launcher }),
  }
  const code = await main(args, io)
  return { code, stdout, stderr }
}

/** Runs the built `agent-tracker` binary as a child process, with the same private HOME and environment rules as {@link runCli}. */
export function runBuiltCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun & { readonly signal: NodeJS.Signals | null }> {
  const home = options.home ?? tempFolder('home-')
  const env = environment(process.env, home, options)
  return new Promise((resolve) => {
    // A shell in the folder removes it, then becomes the CLI there: Node starts in a folder that no longer exists.
    const [file, argv] = options.cwdRemoved === true ? ['/bin/sh', ['-c', 'rmdir "$PWD" && exec "$@"', 'sh', process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]]
    const child = execFile(file, argv, { cwd: options.cwd ?? home, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, stdout, stderr, signal: error?.signal ?? null })
    })
    child.stdin?.end(options.input ?? '')
  })
}

/**
 * Runs the built `agent-tracker` at a terminal, as a person would: util-linux `script` gives it
 * a pseudo-terminal for stdin and stdout (its output comes back with CRLF line ends, as a
 * terminal shows them, here turned back into LF).
 */
export function runCliAtTerminal(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const quote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`
  const command = [process.execPath, BIN, ...args].map(quote).join(' ')
  const home = options.home ?? tempFolder('home-')
  return new Promise((resolve) => {
    const child = execFile('script', ['-qec', command, '/dev/null'], { cwd: options.cwd ?? home, env: environment(process.env, home, options) }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout: stdout.replaceAll('\r\n', '\n'), stderr })
    })
    child.stdin?.end()
  })
}

/** One JSON line of a fact for `ingest`. */
export function factLine(fact: Record<string, unknown>): string {
  return JSON.stringify(fact)
}

/** A `--json` envelope as the CLI prints it (see docs/json-output.md). */
export interface Envelope {
  readonly version: number
  readonly command: string | null
  readonly data?: unknown
  readonly notices?: readonly { readonly code: string; readonly message: string }[]
  readonly error?: { readonly code: string; readonly message: string }
}

/** stdout as exactly one JSON envelope of version 1 (JSON.parse throws on anything else). */
export function envelope(stdout: string): Envelope {
  const parsed = JSON.parse(stdout) as Envelope
  if (parsed.version !== 1 || !('command' in parsed)) throw new Error(`not a version 1 envelope: ${stdout.slice(0, 200)}`)
  return parsed
}

/** The answer of a `--json` run of `command`: the envelope's data, checking the envelope names the command. */
export function jsonData(stdout: string, command: string): unknown {
  const parsed = envelope(stdout)
  if (parsed.command !== command) throw new Error(`expected the envelope of ${command}, got ${String(parsed.command)}`)
  if (!('data' in parsed)) throw new Error(`expected an answer, got ${stdout.slice(0, 300)}`)
  return parsed.data
}

/** The error of a `--json` run: the envelope's error. */
export function jsonError(stdout: string): { readonly code: string; readonly message: string } {
  const parsed = envelope(stdout)
  if (parsed.error === undefined) throw new Error(`expected an error, got ${stdout.slice(0, 300)}`)
  return parsed.error
}
