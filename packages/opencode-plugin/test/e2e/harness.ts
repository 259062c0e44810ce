import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, delimiter, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll } from 'vitest'
import type { Step } from './fake-llm.js'
import { startFakeLlm } from './fake-llm.js'
import { git, gitRepository } from '../git-repository.js'
import { publishedEntry } from '../published-entry.js'

const OPENCODE = fileURLToPath(new URL('../../node_modules/.bin/opencode', import.meta.url))
const PLUGIN = pathToFileURL(publishedEntry()).href
/** The built CLI, as a user runs it. */
export const CLI = fileURLToPath(new URL('../../../cli/bin/agent-tracker.js', import.meta.url))
/** The version of the OpenCode binary the suites drive. */
export const OPENCODE_VERSION = (JSON.parse(readFileSync(new URL('../../node_modules/opencode-ai/package.json', import.meta.url), 'utf8')) as { version: string }).version
/**
 * OpenCode's config folder as its first start in a HOME leaves it, with its plugin package
 * installed (see global-setup.ts): kept once per OpenCode version, beside the package's other
 * caches, and copied into each suite's HOME before its first run.
 */
export const SEEDED_CONFIG = fileURLToPath(new URL(`../../node_modules/.cache/agent-tracker-e2e/opencode-config-${OPENCODE_VERSION}`, import.meta.url))

/** Gives a HOME OpenCode's installed config folder; without one (the global setup did not run), OpenCode installs it. */
function seedConfig(home: string): void {
  const config = join(home, '.config', 'opencode')
  if (existsSync(join(config, 'node_modules')) || !existsSync(SEEDED_CONFIG)) return
  cpSync(SEEDED_CONFIG, config, { recursive: true })
}

/**
 * A folder of shims for the programs an agent's shell may call: `agent-tracker` (the built CLI)
 * and `opencode` (the real binary), put first on the PATH of the opencode process.
 */
function shimFolder(root: string): string {
  const bin = join(root, 'bin')
  mkdirSync(bin, { recursive: true })
  writeFileSync(join(bin, 'agent-tracker'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 })
  writeFileSync(join(bin, 'opencode'), `#!/bin/sh\nexec "${OPENCODE}" "$@"\n`, { mode: 0o755 })
  return bin
}

/**
 * A folder for the tests of the describe block that calls it, made before the first and removed
 * after the last: their private HOME (shared by their runs, so OpenCode's caches warm up) and their
 * projects. Removing it, with OpenCode's config folder inside, can take longer than vitest's 10 s
 * hook default on a busy machine.
 */
export function suiteFolder(): string {
  const root = join(tmpdir(), `opencode-e2e-${randomUUID()}`)
  beforeAll(() => {
    mkdirSync(root)
  })
  afterAll(() => {
    rmSync(root, { recursive: true, force: true })
  }, 120_000)
  return root
}

/** A git project with one commit and a bare `origin` to push to. */
export function createProject(root: string, name: string, files: Record<string, string> = {}): string {
  const project = gitRepository(join(root, name), { 'README.md': `# ${name}\n`, '.gitignore': 'opencode.json\n', ...files })
  git(root, 'init', '-q', '--bare', join(root, `${name}.git`))
  git(project, 'remote', 'add', 'origin', join(root, `${name}.git`))
  return project
}

/** What one `opencode run` did. */
export interface OpencodeRun {
  readonly code: number
  /** What `opencode run` printed: its stdout, and its stderr but for the log lines. */
  readonly output: string
  /**
   * OpenCode's log of the run (where the plugin's log lines go), from `--print-logs`: the log file
   * loses its tail when a short run exits before OpenCode's buffered writer flushes it.
   */
  readonly log: string
  /** Tool results the fake model was sent. */
  readonly toolResults: readonly string[]
  /** User prompts the fake model was sent. */
  readonly prompts: readonly string[]
}

/**
 * Runs the real `opencode run` in a project against a scripted fake model, with the built plugin
 * and the given options. `command` runs a slash command instead of a message.
 */
export async function runOpencode(options: {
  root: string
  project: string
  script: readonly Step[]
  pluginOptions: Record<string, unknown>
  message?: string
  command?: { name: string; arguments: string }
  /** A primary agent to run instead of build (`reviewer` is configured). */
  agent?: string
  /**
   * OpenCode's own data (its session database) kept per project, for runs at the same time: two
   * processes on one OpenCode database may fail in OpenCode itself ("database is locked") under load.
   */
  ownData?: boolean
}): Promise<OpencodeRun> {
  const llm = await startFakeLlm(options.script)
  try {
    writeFileSync(join(options.project, 'opencode.json'), JSON.stringify({
      $schema: 'https://opencode.ai/config.json',
      autoupdate: false,
      share: 'disabled',
      // OpenCode's own undo snapshots (a git index of the project per step), which the plugin never
      // reads: about a second of each run's CPU, 29 runs a suite run (measured on 1.18.33).
      snapshot: false,
      provider: { fake: { npm: '@ai-sdk/openai-compatible', name: 'Fake', options: { baseURL: llm.baseURL, apiKey: 'test' }, models: { m1: { name: 'Fake model', tool_call: true } } } },
      model: 'fake/m1',
      permission: { bash: 'allow', edit: 'allow', read: 'allow' },
      agent: { reviewer: { mode: 'primary', description: 'Reviews changes', prompt: 'You review changes.' } },
      plugin: [[PLUGIN, options.pluginOptions]],
    }, null, 2))
    const home = join(options.root, 'home')
    seedConfig(home)
    const args = ['--print-logs', ...(options.command === undefined ? ['run', options.message ?? 'Do the task.'] : ['run', '--command', options.command.name, options.command.arguments]), ...(options.agent === undefined ? [] : ['--agent', options.agent])]
    const env = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: options.ownData === true ? join(home, '.local', `share-${basename(options.project)}`) : join(home, '.local', 'share'),
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_STATE_HOME: join(home, '.local', 'state'),
      OPENCODE_DISABLE_MODELS_FETCH: '1',
      OPENCODE_DISABLE_AUTOUPDATE: '1',
      NO_COLOR: '1',
      PATH: `${shimFolder(options.root)}${delimiter}${process.env.PATH ?? ''}`,
    }
    delete (env as Record<string, string | undefined>).AGENT_TRACKER_DB
    const { code, output, log } = await new Promise<{ code: number; output: string; log: string }>((resolve) => {
      // Under the tests' 240 s: a run takes seconds alone, but shares two cores with every other suite in CI.
      const child = execFile(OPENCODE, args, { cwd: options.project, env, timeout: 210_000, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
        const lines = stderr.split('\n')
        const isLog = (line: string): boolean => line.startsWith('timestamp=')
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          output: stdout + lines.filter((line) => !isLog(line)).join('\n'),
          log: lines.filter(isLog).join('\n'),
        })
      })
      // `opencode run` reads piped stdin as more of the message: give it an empty one.
      child.stdin?.end()
    })
    return { code, output, log, toolResults: [...llm.toolResults], prompts: [...llm.prompts] }
  } finally {
    await llm.close()
  }
}

const LMDB_MAGIC = 0xbeefc0de

/**
 * The map size each of an LMDB file's two meta pages records (the size LMDB was opened with):
 * after the magic and version come the map address and then `mm_mapsize`; the page size sits
 * in the free-list database record that follows.
 */
export function mapSizesOf(dataFile: string): number[] {
  const data = readFileSync(dataFile)
  const magic = [0, 4, 8, 12, 16, 20, 24, 28, 32].find((offset) => data.readUInt32LE(offset) === LMDB_MAGIC)
  if (magic === undefined) throw new Error(`${dataFile} has no LMDB meta page`)
  const pageSize = data.readUInt32LE(magic + 24)
  return [0, pageSize].map((page) => Number(data.readBigUInt64LE(page + magic + 16)))
}

