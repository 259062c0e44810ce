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

/** Runs the built `agent-tracker` as a child process, with a private HOME and no colour unless asked. */
export function runCli(args: readonly string[], options: { cwd?: string; input?: string; env?: Record<string, string | undefined>; home?: string } = {}): Promise<CliRun> {
  const home = options.home ?? tempFolder('home-')
  // A variable set to undefined in options.env is removed; the tracker's own are unset unless given.
  const merged = { ...process.env, HOME: home, NO_COLOR: '1', AGENT_TRACKER_DB: undefined, AGENT_TRACKER_MAX_SIZE: undefined, FORCE_COLOR: undefined, ...options.env }
  const env = Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined))
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd: options.cwd ?? home, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, stdout, stderr })
    })
    child.stdin?.end(options.input ?? '')
  })
}

/** One JSON line of a fact for `ingest`. */
export function factLine(fact: Record<string, unknown>): string {
  return JSON.stringify(fact)
}
