import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { gradeLabel } from '@agent-tracker/core'
import { isLmdbStoreError } from '@agent-tracker/lmdb-store'
import { detectLegacy, hasLegacyData, importLegacyFiles, migrateProjectDatabase, profileProject } from '@agent-tracker/migrate'
import type { Config, Hooks, PluginInput } from '@opencode-ai/plugin'
import { READ_ONLY_TOOLS, TRACKER_TOOLS, agentTools, statusText } from './agent-tools.js'
import { secretFileIn } from './env-protection.js'
import { eventOf, failedToolPart, field, finishedUsage, messageSetup, textField } from './event-shapes.js'
import { flushOnExit } from './exit-flush.js'
import { gitEventsOf } from './git-events.js'
import type { Notifier } from './notifier.js'
import { createNotifier } from './notifier.js'
import type { PluginSettings } from './options.js'
import { readPluginOptions } from './options.js'
import { SessionSetups } from './session-setups.js'
import type { SlashCommand } from './slash-commands.js'
import { SLASH_COMMANDS, isSlashCommand, parseGradeArguments, unquote } from './slash-commands.js'
import { TrackerRuntime } from './tracker-runtime.js'

/** Thrown from `tool.execute.before` to stop a tool call; OpenCode shows the message to the agent. */
export class BlockedToolError extends Error {
  override readonly name = 'BlockedToolError'
}

const OWN_TOOLS: ReadonlySet<string> = new Set(TRACKER_TOOLS)

/**
 * The plugin's server: reads the options, opens the central database and returns the hooks.
 * Bad options or an unusable database pause tracking (one toast and log line); the session keeps
 * working and secrets stay protected.
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
  let runtime: TrackerRuntime
  try {
    runtime = new TrackerRuntime(settings, resolve(input.directory), (error) => {
      notifier.log('error', `agent-tracker could not write to its database; the facts stay pending: ${(error as Error).message}`)
    })
  } catch (error) {
    return paused(notifier, isLmdbStoreError(error) ? error.message : `could not open the database: ${(error as Error).message}`, settings.envProtection)
  }
  const removeExitFlush = flushOnExit(() => runtime.flushSync())
  setTimeout(() => void startInBackground(runtime, settings, notifier), 0).unref()
  return trackingHooks(input, settings, runtime, notifier, removeExitFlush)
}

/** Hooks while tracking is paused: nothing is recorded; secrets are still protected. */
function paused(notifier: Notifier, reason: string, envProtection: boolean): Hooks {
  const message = `agent-tracker: tracking is paused — ${reason}`
  notifier.log('warn', message)
  notifier.toast(message, 'warning')
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

/** Migration of legacy data and the project profile, after start-up, never blocking the session. */
async function startInBackground(runtime: TrackerRuntime, settings: PluginSettings, notifier: Notifier): Promise<void> {
  try {
    const done = new Set((await runtime.buffer.listMigrations()).map((migration) => migration.id))
    const legacy = detectLegacy(runtime.project)
    if (settings.migrateOnStart && hasLegacyData(legacy)) {
      const reports = []
      if (legacy.projectDatabase !== undefined && !done.has(`project-database:${legacy.projectDatabase}`)) reports.push(await migrateProjectDatabase(runtime.project, runtime.buffer))
      if (!done.has(`legacy-files:${runtime.project}`)) reports.push(await importLegacyFiles(runtime.project, runtime.buffer))
      const migrated = reports.reduce((sum, report) => sum + report.migrated, 0)
      const problems = reports.flatMap((report) => report.errors)
      if (migrated > 0) notifier.toast(`Migrated ${String(migrated)} legacy record(s) of this project into the central database.`, 'success')
      for (const problem of problems) notifier.log('warn', `agent-tracker migration: ${problem.source}${problem.position === undefined ? '' : ` (${problem.position})`}: ${problem.message}`)
    }
    const profile = profileProject(runtime.project)
    const known = await runtime.buffer.get('projects', [runtime.project])
    if (known?.profile?.fingerprint !== profile.fingerprint) await runtime.buffer.saveProjectProfile(runtime.project, profile)
  } catch (error) {
    notifier.log('warn', `agent-tracker start-up work failed (tracking continues): ${(error as Error).message}`)
  }
}

function trackingHooks(input: PluginInput, settings: PluginSettings, runtime: TrackerRuntime, notifier: Notifier, removeExitFlush: () => void): Hooks {
  const sessions = new SessionSetups(settings.identity)
  const countedParts = new Set<string>()
  const countedMessages = new Set<string>()
  const gitWork = new Set<Promise<void>>()
  const project = runtime.project
  const warnedHalted = new Set<string>()

  const guard = <A extends unknown[]>(name: string, hook: (...args: A) => Promise<void> | void) => async (...args: A): Promise<void> => {
    try {
      await hook(...args)
    } catch (error) {
      notifier.log('error', `agent-tracker ${name} hook failed (ignored): ${(error as Error).message}`)
    }
  }
  const flush = async (reason: string): Promise<void> => {
    await Promise.all(gitWork)
    const result = await runtime.flush()
    if (result.errors.length > 0) notifier.log('warn', `agent-tracker flush on ${reason} failed; facts kept for the next flush: ${result.errors.join('; ')}`)
  }
  const toastStatus = async (setup: string, prefix = ''): Promise<void> => {
    const status = await runtime.service.getStatus(setup)
    if (status !== undefined) notifier.toast(`${prefix}${statusText(status)}`, status.halted ? 'warning' : 'info')
  }
  const setupForCommand = async (sessionID: string): Promise<string | undefined> => {
    const known = sessions.setupOf(sessionID)
    if (known !== undefined) return known
    const [commit] = await runtime.buffer.find('commits', { project, limit: 1 })
    if (commit !== undefined) return commit.setup
    const [usage] = await runtime.buffer.find('usage', { project, limit: 1 })
    return usage?.setup
  }
  const recordCommit = async (context: { setup: string; project: string; session: string }, shortHash: string, subject: string): Promise<void> => {
    const full = await fullCommit(project, shortHash)
    await runtime.service.recordCommit({ ...context, hash: full?.hash ?? shortHash, message: full?.subject ?? subject })
    await toastStatus(context.setup, `Commit ${shortHash} recorded. `)
  }

  const slashCommand = async (command: SlashCommand, sessionID: string, text: string): Promise<string> => {
    const setup = await setupForCommand(sessionID)
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
    event: guard('event', async ({ event: raw }: { event: unknown }) => {
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
        const setup = await setupForCommand(sessionID)
        if (name !== undefined && setup !== undefined) await runtime.service.recordCommand({ setup, project, session: sessionID, command: name })
      } else if (type === 'session.created') {
        const info = field(properties, 'info')
        if (info?.parentID === undefined || info.parentID === null) {
          const [latest] = await runtime.buffer.find('usage', { project, limit: 1 })
          if (latest !== undefined) await toastStatus(latest.setup)
        }
      } else if (type === 'session.idle') {
        await flush('session.idle')
      } else if (type === 'session.deleted') {
        await flush('session.deleted')
        const id = textField(field(properties, 'info') ?? {}, 'id')
        if (id !== undefined) sessions.forget(id)
      }
    }),

    'chat.params': guard('chat.params', (hookInput: { sessionID: string; agent: string; model: { id: string; providerID: string } }) => {
      sessions.observe(hookInput.sessionID, { agent: hookInput.agent, providerID: hookInput.model.providerID, modelID: hookInput.model.id })
    }),

    'tool.execute.before': async (hookInput, output) => {
      try {
        if (settings.envProtection) protectSecrets(hookInput.tool, output.args)
        if (settings.enforceHalt === 'off' || READ_ONLY_TOOLS.has(hookInput.tool)) return
        const setup = sessions.setupOf(hookInput.sessionID)
        const status = setup === undefined ? undefined : await runtime.service.getStatus(setup)
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

    'tool.execute.after': guard('tool.execute.after', async (hookInput: { tool: string; sessionID: string; args: unknown }, output: { output: string; metadata: unknown }) => {
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
          const work = recordCommit(context, git.shortHash, git.subject).catch((error: unknown) => {
            notifier.log('error', `agent-tracker could not record commit ${git.shortHash}: ${(error as Error).message}`)
          })
          gitWork.add(work)
          void work.finally(() => gitWork.delete(work))
        } else {
          await Promise.all(gitWork)
          await runtime.service.recordPush({ ...context, ...(git.remote === undefined ? {} : { remote: git.remote }), ...(git.branch === undefined ? {} : { branch: git.branch }) })
          await flush('push')
          await toastStatus(setup, 'Pushed; progress saved. ')
        }
      }
    }),

    'command.execute.before': guard('command.execute.before', async (hookInput: { command: string; sessionID: string; arguments: string }, output: { parts: unknown[] }) => {
      if (!isSlashCommand(hookInput.command)) return
      let reply: string
      try {
        reply = await slashCommand(hookInput.command, hookInput.sessionID, hookInput.arguments)
        notifier.toast(reply, 'success')
      } catch (error) {
        reply = `agent-tracker could not do /${hookInput.command}: ${(error as Error).message}`
        notifier.toast(reply, 'error')
      }
      output.parts.splice(0, output.parts.length, { type: 'text', text: `[agent-tracker] ${reply}\nAcknowledge this to the user in one short sentence. Do not change any files.` })
    }),

    config: guard('config', (config: Config) => {
      const commands: NonNullable<Config['command']> = config.command ?? {}
      for (const [name, definition] of Object.entries(SLASH_COMMANDS)) {
        if (commands[name] === undefined) commands[name] = { ...definition }
        else notifier.log('info', `agent-tracker: /${name} is defined in your config; keeping yours.`)
      }
      config.command = commands
    }),

    tool: agentTools(runtime, sessions, async () => (await runtime.buffer.get('projects', [project]))?.profile?.scope),

    dispose: guard('dispose', async () => {
      await Promise.all(gitWork)
      await runtime.close()
      removeExitFlush()
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
