import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CollectionName, CollectionRecords } from '@agent-tracker/core'
import { removeTempFolders, tempFolder } from '@agent-tracker/test-folders'
import type { Hooks } from '@opencode-ai/plugin'
import type { ToolContext } from '@opencode-ai/plugin/tool'
import type { NotifyClient } from '../src/notifier.js'
import type { Tracking } from '../src/plugin.js'
import { startTracking } from '../src/plugin.js'
import { gitRepository } from './git-repository.js'

export { gitRepository, headOf } from './git-repository.js'

const READER = fileURLToPath(new URL('./fixtures/read-records.mjs', import.meta.url))

/** The setup the fixture's sessions run by default. */
export const SETUP = 'build@fake/m1'

/** A toast or a log line the plugin sent to the fake client. */
export interface Notice {
  readonly kind: 'toast' | 'log'
  readonly level: string
  readonly message: string
}

/** A fake OpenCode client that keeps every toast and log line. */
export function fakeClient(): NotifyClient & { readonly notices: Notice[] } {
  const notices: Notice[] = []
  return {
    notices,
    tui: {
      showToast: ({ body }) => {
        notices.push({ kind: 'toast', level: body.variant, message: body.message })
        return Promise.resolve(true)
      },
    },
    app: {
      log: ({ body }) => {
        notices.push({ kind: 'log', level: body.level, message: body.message })
        return Promise.resolve(true)
      },
    },
  }
}

const running: PluginUnderTest[] = []

/** Disposes the plugins and removes the folders the tests made; the package's test setup runs it after each test. */
export async function releaseFixtures(): Promise<void> {
  for (const plugin of running.splice(0)) await plugin.dispose()
  removeTempFolders()
}

/** A temporary folder, removed after the test (by {@link releaseFixtures}). */
export { tempFolder }

/** The plugin running in a temporary project against a real LMDB database, driven hook by hook. */
export interface PluginUnderTest {
  readonly project: string
  readonly databasePath: string
  readonly tracking: Tracking
  readonly hooks: Hooks
  readonly notices: Notice[]
  /** `chat.params` for a session: agent `build` on `fake/m1` unless told otherwise. */
  chat(sessionID: string, agent?: string, model?: { providerID: string; id: string }): Promise<void>
  /** A tool call: `tool.execute.before`, then `tool.execute.after` with the output and metadata. */
  tool(sessionID: string, tool: string, args: Record<string, unknown>, result?: { output?: string; metadata?: Record<string, unknown> }): Promise<void>
  /** A bash call as OpenCode makes it: the hooks around a real `sh -c` run in the workdir. */
  bash(sessionID: string, command: string, workdir?: string): Promise<{ output: string; exit: number }>
  /** An OpenCode event. */
  event(type: string, properties: Record<string, unknown>): Promise<void>
  /** A slash command through `command.execute.before`; returns the prompt text it left. */
  command(sessionID: string, command: string, text?: string): Promise<string>
  /** Runs an agent tool; returns its text, or the message it failed with. */
  agentTool(sessionID: string, name: string, args: Record<string, unknown>, agent?: string): Promise<string>
  /** Reads the database from a fresh process: one record, or all of a collection. */
  read<C extends CollectionName>(collection: C, key: readonly unknown[]): Promise<CollectionRecords[C] | null>
  readAll<C extends CollectionName>(collection: C): Promise<CollectionRecords[C][]>
  /** The `dispose` hook (once). */
  dispose(): Promise<void>
}

let calls = 0

/**
 * Starts the plugin in a project (a fresh git repository unless given) with a database in a
 * temporary folder, and waits for its start-up work. The age safety valve is off unless asked
 * for, so only the trigger under test flushes.
 */
export async function startPlugin(options: { project?: string; databasePath?: string; pluginOptions?: Record<string, unknown>; waitForStartup?: boolean } = {}): Promise<PluginUnderTest> {
  const root = tempFolder()
  const project = resolve(options.project ?? gitRepository(join(root, 'project')))
  const databasePath = options.databasePath ?? join(root, 'tracker.lmdb')
  const client = fakeClient()
  const tracking = startTracking(client, project, { databasePath, flush: { maxAgeMs: false }, ...options.pluginOptions })
  if (options.waitForStartup !== false) await tracking.startup
  const { hooks } = tracking
  let disposed = false
  const read = (collection: string, key?: readonly unknown[]): Promise<unknown> => new Promise((done, fail) => {
    execFile(process.execPath, [READER, databasePath, collection, ...(key === undefined ? [] : [JSON.stringify(key)])], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error === null) done(JSON.parse(stdout))
      else fail(new Error(`reader failed: ${stderr}`))
    })
  })
  const plugin: PluginUnderTest = {
    project,
    databasePath,
    tracking,
    hooks,
    notices: client.notices,
    chat: async (sessionID, agent = 'build', model = { providerID: 'fake', id: 'm1' }) => {
      await hooks['chat.params']?.({ sessionID, agent, model } as never, {} as never)
    },
    tool: async (sessionID, tool, args, result = {}) => {
      const callID = `call_${String(++calls)}`
      await hooks['tool.execute.before']?.({ tool, sessionID, callID }, { args })
      await hooks['tool.execute.after']?.({ tool, sessionID, callID, args }, { title: tool, output: result.output ?? '', metadata: result.metadata ?? {} })
    },
    bash: async (sessionID, command, workdir) => {
      const callID = `call_${String(++calls)}`
      const args = { command, description: 'test', ...(workdir === undefined ? {} : { workdir }) }
      await hooks['tool.execute.before']?.({ tool: 'bash', sessionID, callID }, { args })
      const ran = await new Promise<{ output: string; exit: number }>((done) => {
        execFile('sh', ['-c', command], { cwd: resolve(project, workdir ?? '.') }, (error, stdout, stderr) => {
          done({ output: stdout + stderr, exit: error === null ? 0 : typeof error.code === 'number' ? error.code : 1 })
        })
      })
      await hooks['tool.execute.after']?.({ tool: 'bash', sessionID, callID, args }, { title: command, output: ran.output, metadata: { exit: ran.exit } })
      return ran
    },
    event: async (type, properties) => {
      await hooks.event?.({ event: { type, properties } as never })
    },
    command: async (sessionID, command, text = '') => {
      const output = { parts: [{ type: 'text', text: 'template' }] }
      await hooks['command.execute.before']?.({ command, sessionID, arguments: text }, output as never)
      return output.parts.map((part) => part.text).join('\n')
    },
    agentTool: async (sessionID, name, args, agent = 'build') => {
      const definition = hooks.tool?.[name]
      if (definition === undefined) throw new Error(`no tool ${name}`)
      const context = { sessionID, messageID: 'msg_1', agent, directory: project, worktree: project, abort: new AbortController().signal, metadata: () => undefined, ask: () => Promise.resolve() } satisfies ToolContext
      try {
        const result = await definition.execute(args, context)
        return typeof result === 'string' ? result : result.output
      } catch (error) {
        return `failed: ${(error as Error).message}`
      }
    },
    read: (collection, key) => read(collection, key) as never,
    readAll: (collection) => read(collection) as never,
    dispose: async () => {
      if (disposed) return
      disposed = true
      await hooks.dispose?.()
    },
  }
  running.push(plugin)
  return plugin
}

/** Waits until `check` passes (a hang guard, not a timing assumption: it fails after 20 s). */
export async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((done) => setTimeout(done, 50))
  }
}
