import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'

const BIN = fileURLToPath(new URL('../bin/agent-tracker.js', import.meta.url))
const folders: string[] = []

/** A temporary folder, removed when the test file ends. */
export function tempFolder(prefix = 'cli-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix))
  folders.push(folder)
  return folder
}

afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

/** What a run of the built CLI printed and returned. */
export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Agent hosts' variables, unset: tests that vouch for grades (`--trust`) must not look as if an
 * agent ran them when the suite itself runs inside an agent session. (The CLI also looks for an
 * agent host among its ancestor processes; run such tests from your own terminal.)
 */
const NO_AGENT_SESSION = { OPENCODE: undefined, OPENCODE_PID: undefined, CLAUDECODE: undefined, CLAUDE_CODE_ENTRYPOINT: undefined, CODEX_SANDBOX: undefined, CODEX_SANDBOX_NETWORK_DISABLED: undefined, AGENT: undefined }

/** The CLI's environment: a private HOME, no colour; a variable set to undefined in `extra` is removed, and the tracker's own are unset unless given. */
function cliEnv(home: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const merged = { ...process.env, HOME: home, NO_COLOR: '1', AGENT_TRACKER_DB: undefined, AGENT_TRACKER_MAX_SIZE: undefined, FORCE_COLOR: undefined, ...NO_AGENT_SESSION, ...extra }
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

/** Runs the built `agent-tracker` as a child process, with a private HOME and no colour unless asked. */
export function runCli(args: readonly string[], options: { cwd?: string; input?: string; env?: Record<string, string | undefined>; home?: string } = {}): Promise<CliRun> {
  const home = options.home ?? tempFolder('home-')
  const env = cliEnv(home, options.env)
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd: options.cwd ?? home, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, stdout, stderr })
    })
    child.stdin?.end(options.input ?? '')
  })
}

/**
 * Runs the built `agent-tracker` at a terminal, as a person would: util-linux `script` gives it
 * a pseudo-terminal for stdin and stdout (its output comes back with CRLF line ends, as a
 * terminal shows them, here turned back into LF).
 */
export function runCliAtTerminal(args: readonly string[], options: { env?: Record<string, string | undefined>; home?: string } = {}): Promise<CliRun> {
  const quote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`
  const command = [process.execPath, BIN, ...args].map(quote).join(' ')
  const home = options.home ?? tempFolder('home-')
  const env = cliEnv(home, options.env)
  return new Promise((resolve) => {
    const child = execFile('script', ['-qec', command, '/dev/null'], { cwd: home, env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout: stdout.replaceAll('\r\n', '\n'), stderr })
    })
    child.stdin?.end()
  })
}

/** One JSON line of a fact for `ingest`. */
export function factLine(fact: Record<string, unknown>): string {
  return JSON.stringify(fact)
}
