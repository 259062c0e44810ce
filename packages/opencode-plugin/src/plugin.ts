import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { gradeLabel } from '@agent-tracker/core'
import { isLmdbStoreError } from '@agent-tracker/lmdb-store/config'
import type { Config, Hooks, PluginInput } from '@opencode-ai/plugin'
import { READ_ONLY_TOOLS, TRACKER_TOOLS, agentTools, statusText } from './agent-tools.js'
import { secretFileIn } from './env-protection.js'
import { eventOf, failedToolPart, field, finishedUsage, messageSetup, textField } from './event-shapes.js'
import { gitEventsOf } from './git-events.js'
import type { Notifier } from './notifier.js'
import { createNotifier } from './notifier.js'
import type { PluginSettings } from './options.js'
import { readPluginOptions } from './options.js'
import { SessionSetups } from './session-setups.js'
import type { SlashCommand } from './slash-commands.js'
import { SLASH_COMMANDS, isSlashCommand, parseGradeArguments, unquote } from './slash-commands.js'
import type { TrackerRuntime } from './tracker-runtime.js'

/** Thrown from `tool.execute.before` to stop a tool call; OpenCode shows the message to the agent. */
export class BlockedToolError extends Error {
  override readonly name = 'BlockedToolError'
}

const OWN_TOOLS: ReadonlySet<string> = new Set(TRACKER_TOOLS)

/**
 * The plugin's server: reads the options and returns the hooks at once; the central database is
 * opened in the background (LMDB takes tens of milliseconds to load), long before the first fact
 * arrives. Bad options or an unusable database pause tracking (one toast and log line); the
 * session keeps working and secrets stay protected.
 */
export async function agentTrackerServer(input: PluginInput, options?: Record<string, unknown>): Promise<Hooks> {
  await Promise.resolve()
  const notifier = createNotifier(input.client)
  let settings: PluginSettings
  try {
    settings = readPluginOptions(options)
  } catch (error) {
    return paused(notifier, (error as Error).message, true)
  }
  const opened = openRuntime(settings, resolve(input.directory), notifier)
  return trackingHooks(settings, resolve(input.directory), opened, notifier)
}

/** Opens the database in the background; undefined (tracking paused) when it cannot be used. */
async function openRuntime(settings: PluginSettings, project: string, notifier: Notifier): Promise<TrackerRuntime | undefined> {
  try {
    const { TrackerRuntime } = await import('./tracker-runtime.js')
    const runtime = new TrackerRuntime(settings, project, (error) => {
      notifier.log('error', `agent-tracker could not write to its database; the facts stay pending: ${(error as Error).message}`)
    })
    setTimeout(() => void runtime.startBackgroundWork(notifier), 0).unref()
    return runtime
  } catch (error) {
    pausedNotice(notifier, isLmdbStoreError(error) ? error.message : `could not open the database: ${(error as Error).message}`)
    return undefined
  }
}

function pausedNotice(notifier: Notifier, reason: string): void {
  const message = `agent-tracker: tracking is paused — ${reason}`
  notifier.log('warn', message)
  notifier.toast(message, 'warning')
}

/** Hooks while tracking is paused: nothing is recorded; secrets are still protected. */
function paused(notifier: Notifier, reason: string, envProtection: boolean): Hooks {
  pausedNotice(notifier, reason)
  if (!envProtection) return {}
  return {
    'tool.execute.before': (input, output) => {
      protectSecrets(input.tool, output.args)
      return Promise.resolve()
    },
  }
}

function protectSecrets(tool: string, args: unknown): void {
  const secret = secretFileIn(tool, args)
  if (secret !== undefined) {
    throw new BlockedToolError(`agent-tracker blocked this ${tool} call: it touches ${secret}, a secret env file. Use .env.example for placeholders, and ask the user for any value you need.`)
  }
}

function trackingHooks(settings: PluginSettings, project: string, opened: Promise<TrackerRuntime | undefined>, notifier: Notifier): Hooks {
  const sessions = new SessionSetups(settings.identity)
  const countedParts = new Set<string>()
  const countedMessages = new Set<string>()
  const gitWork = new Set<Promise<void>>()
  const warnedHalted = new Set<string>()

  /** Runs a hook with the runtime, when tracking is on; logs and swallows its failures. */
  const guard = <A extends unknown[]>(name: string, hook: (runtime: TrackerRuntime, ...args: A) => Promise<void> | void) => async (...args: A): Promise<void> => {
    try {
      const runtime = await opened
      if (runtime !== undefined) await hook(runtime, ...args)
    } catch (error) {
      notifier.log('error', `agent-tracker ${name} hook failed (ignored): ${(error as Error).message}`)
    }
  }
  const flush = async (runtime: TrackerRuntime, reason: string): Promise<void> => {
    await Promise.all(gitWork)
    const result = await runtime.flush()
    if (result.errors.length > 0) notifier.log('warn', `agent-tracker flush on ${reason} failed; facts kept for the next flush: ${result.errors.join('; ')}`)
  }
  const toastStatus = async (runtime: TrackerRuntime, setup: string, prefix = ''): Promise<void> => {
    const status = await runtime.service.getStatus(setup)
    if (status !== undefined) notifier.toast(`${prefix}${statusText(status)}`, status.halted ? 'warning' : 'info')
  }
  const setupForCommand = async (runtime: TrackerRuntime, sessionID: string): Promise<string | undefined> => {
    const known = sessions.setupOf(sessionID)
    if (known !== undefined) return known
    const [commit] = await runtime.buffer.find('commits', { project, limit: 1 })
    if (commit !== undefined) return commit.setup
    const [usage] = await runtime.buffer.find('usage', { project, limit: 1 })
    return usage?.setup
  }
  const recordCommit = async (runtime: TrackerRuntime, context: { setup: string; project: string; session: string }, shortHash: string, subject: string): Promise<void> => {
    const full = await fullCommit(project, shortHash)
    await runtime.service.recordCommit({ ...context, hash: full?.hash ?? shortHash, message: full?.subject ?? subject })
    await toastStatus(runtime, context.setup, `Commit ${shortHash} recorded. `)
  }

  const slashCommand = async (runtime: TrackerRuntime, command: SlashCommand, sessionID: string, text: string): Promise<string> => {
    const setup = await setupForCommand(runtime, sessionID)
    if (command === 'grade' && setup === undefined) return 'There is no commit by an agent in this project yet, so there is nothing to grade.'
    if (setup === undefined) return 'No agent has worked in this project yet.'
    const context = { setup, project, session: sessionID }
    switch (command) {
      case 'grade': {
        const { userGrade, agentGrade, note } = parseGradeArguments(text)
        const outcome = await runtime.service.userGrade({ ...context, userGrade, ...(agentGrade === undefined ? {} : { agentGrade }), ...(note === undefined ? {} : { note }) })
        const retro = outcome.retrospective
        const grades = [retro?.agentGrade === undefined ? undefined : `agent ${gradeLabel(retro.agentGrade)}`, `user ${gradeLabel(userGrade)}`].filter((part) => part !== undefined).join(', ')
        return `Graded ${outcome.commit.hash.slice(0, 8)} (${outcome.commit.message}) of ${setup}: ${grades}. Communication score now ${outcome.status.state.communication.toFixed(1)} (${outcome.status.communicationTier}).`
      }
      case 'bug': {
        const note = unquote(text)
        const status = await runtime.service.reportBug({ ...context, by: 'user', ...(note === '' ? {} : { note }) })
        return `Bug recorded against ${setup}. ${statusText(status)}`
      }
      case 'reinstate': {
        const outcome = await runtime.service.reinstate(context)
        return outcome.reinstated ? `${setup} is reinstated and may work again. ${statusText(outcome.status)}` : `${setup} is not halted; nothing changed.`
      }
      case 'tracker': {
        const status = await runtime.service.getStatus(setup)
        return status === undefined ? `${setup} has no recorded work yet.` : statusText(status)
      }
    }
  }

  return {
    event: guard('event', async (runtime, { event: raw }: { event: unknown }) => {
      const event = eventOf(raw)
      if (event === undefined) return
      const { type, properties } = event
      if (type === 'message.updated') {
        const info = field(properties, 'info')
        const seen = info === undefined ? undefined : messageSetup(info)
        if (info === undefined || seen === undefined) return
        sessions.observe(seen.sessionID, seen)
        const usage = finishedUsage(info)
        const setup = sessions.setupOf(seen.sessionID, seen.agent)
        if (usage === undefined || setup === undefined || countedMessages.has(usage.id)) return
        countedMessages.add(usage.id)
        await runtime.service.recordUsage({ setup, project, session: seen.sessionID, tokens: usage.tokens, cost: usage.cost, message: usage.id })
      } else if (type === 'message.part.updated') {
        const part = field(properties, 'part')
        const failed = part === undefined ? undefined : failedToolPart(part)
        if (failed === undefined || countedParts.has(failed.id) || OWN_TOOLS.has(failed.tool)) return
        countedParts.add(failed.id)
        const setup = sessions.setupOf(failed.sessionID)
        if (setup !== undefined) await runtime.service.recordToolCall({ setup, project, session: failed.sessionID, tool: failed.tool, ok: false })
      } else if (type === 'command.executed') {
        const sessionID = textField(properties, 'sessionID') ?? ''
        const name = textField(properties, 'name')
        const setup = await setupForCommand(runtime, sessionID)
        if (name !== undefined && setup !== undefined) await runtime.service.recordCommand({ setup, project, session: sessionID, command: name })
      } else if (type === 'session.created') {
        const info = field(properties, 'info')
        if (info?.parentID === undefined || info.parentID === null) {
          const [latest] = await runtime.buffer.find('usage', { project, limit: 1 })
          if (latest !== undefined) await toastStatus(runtime, latest.setup)
        }
      } else if (type === 'session.idle') {
        await flush(runtime, 'session.idle')
      } else if (type === 'session.deleted') {
        await flush(runtime, 'session.deleted')
        const id = textField(field(properties, 'info') ?? {}, 'id')
        if (id !== undefined) sessions.forget(id)
      }
    }),

    'chat.params': (hookInput: { sessionID: string; agent: string; model: { id: string; providerID: string } }) => {
      sessions.observe(hookInput.sessionID, { agent: hookInput.agent, providerID: hookInput.model.providerID, modelID: hookInput.model.id })
      return Promise.resolve()
    },

    'tool.execute.before': async (hookInput, output) => {
      try {
        if (settings.envProtection) protectSecrets(hookInput.tool, output.args)
        if (settings.enforceHalt === 'off' || READ_ONLY_TOOLS.has(hookInput.tool)) return
        const setup = sessions.setupOf(hookInput.sessionID)
        const runtime = await opened
        const status = setup === undefined || runtime === undefined ? undefined : await runtime.service.getStatus(setup)
        if (status?.halted !== true || setup === undefined) return
        const why = `${setup} is halted: it lost all its skill points to reported bugs. The user can reinstate it with /reinstate (or: agent-tracker reinstate ${setup}).`
        if (settings.enforceHalt === 'block') throw new BlockedToolError(`agent-tracker blocked this ${hookInput.tool} call. ${why} Stop working and tell the user.`)
        if (!warnedHalted.has(hookInput.sessionID)) {
          warnedHalted.add(hookInput.sessionID)
          notifier.toast(why, 'warning')
        }
      } catch (error) {
        if (error instanceof BlockedToolError) throw error
        notifier.log('error', `agent-tracker tool.execute.before failed (ignored): ${(error as Error).message}`)
      }
    },

    'tool.execute.after': guard('tool.execute.after', async (runtime, hookInput: { tool: string; sessionID: string; args: unknown }, output: { output: string; metadata: unknown }) => {
      if (OWN_TOOLS.has(hookInput.tool)) return
      const setup = sessions.setupOf(hookInput.sessionID)
      if (setup === undefined) return
      runtime.lastSetup = setup
      const context = { setup, project, session: hookInput.sessionID }
      const exit = (output.metadata as { exit?: unknown } | undefined)?.exit
      const exitCode = typeof exit === 'number' ? exit : undefined
      const ok = hookInput.tool !== 'bash' || exitCode === undefined || exitCode === 0
      await runtime.service.recordToolCall({ ...context, tool: hookInput.tool, ok, ...(exitCode === undefined ? {} : { exitCode }) })
      if (hookInput.tool !== 'bash') return
      const command = (hookInput.args as { command?: unknown } | undefined)?.command
      for (const git of gitEventsOf(typeof command === 'string' ? command : '', output.output, exitCode ?? 0)) {
        if (git.kind === 'commit') {
          const work = recordCommit(runtime, context, git.shortHash, git.subject).catch((error: unknown) => {
            notifier.log('error', `agent-tracker could not record commit ${git.shortHash}: ${(error as Error).message}`)
          })
          gitWork.add(work)
          void work.finally(() => gitWork.delete(work))
        } else {
          await Promise.all(gitWork)
          await runtime.service.recordPush({ ...context, ...(git.remote === undefined ? {} : { remote: git.remote }), ...(git.branch === undefined ? {} : { branch: git.branch }) })
          await flush(runtime, 'push')
          await toastStatus(runtime, setup, 'Pushed; progress saved. ')
        }
      }
    }),

    'command.execute.before': guard('command.execute.before', async (runtime, hookInput: { command: string; sessionID: string; arguments: string }, output: { parts: unknown[] }) => {
      if (!isSlashCommand(hookInput.command)) return
      let reply: string
      try {
        reply = await slashCommand(runtime, hookInput.command, hookInput.sessionID, hookInput.arguments)
        notifier.toast(reply, 'success')
      } catch (error) {
        reply = `agent-tracker could not do /${hookInput.command}: ${(error as Error).message}`
        notifier.toast(reply, 'error')
      }
      output.parts.splice(0, output.parts.length, { type: 'text', text: `[agent-tracker] ${reply}\nAcknowledge this to the user in one short sentence. Do not change any files.` })
    }),

    config: (config: Config) => {
      const commands: NonNullable<Config['command']> = config.command ?? {}
      for (const [name, definition] of Object.entries(SLASH_COMMANDS)) {
        if (commands[name] === undefined) commands[name] = { ...definition }
        else notifier.log('info', `agent-tracker: /${name} is defined in your config; keeping yours.`)
      }
      config.command = commands
      return Promise.resolve()
    },

    tool: agentTools(opened, sessions, async () => (await (await opened)?.buffer.get('projects', [project]))?.profile?.scope),

    dispose: guard('dispose', async (runtime) => {
      await Promise.all(gitWork)
      await runtime.close()
    }),
  }
}

/** The full hash and subject of a commit, or undefined when git cannot tell. */
function fullCommit(cwd: string, shortHash: string): Promise<{ hash: string; subject: string } | undefined> {
  return new Promise((done) => {
    execFile('git', ['log', '-1', '--format=%H%x1f%s', shortHash], { cwd, timeout: 3000 }, (error, stdout) => {
      const [hash, subject] = stdout.trim().split('\u001f')
      done(error === null && hash !== undefined && /^[0-9a-f]{40}$/.test(hash) ? { hash, subject: subject ?? '' } : undefined)
    })
  })
}
