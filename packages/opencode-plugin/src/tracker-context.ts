import { latestSetupIn } from '@agent-tracker/core'
import type { Tracker } from '@agent-tracker/node-host'
import { CommitWatch, statusCardText } from '@agent-tracker/node-host/hooks'
import { guardHook } from './hook-guard.js'
import type { Notifier } from './notifier.js'
import type { PluginSettings } from '@agent-tracker/node-host/opencode-options'
import { CommandTurns } from './command-turns.js'
import { SessionSetups } from './session-setups.js'

/** What the plugin's hooks share: settings, the runtime, who runs each session, background work. */
export interface TrackerContext {
  readonly settings: PluginSettings
  /** The project the work is recorded under: the git work tree root of {@link directory} (see `projectRoot`). */
  readonly project: string
  /** The folder OpenCode runs in (`directory`): where bash calls run and the guard looks for protected files. */
  readonly directory: string
  /** Resolves to undefined when tracking is paused. */
  readonly runtime: Promise<Tracker | undefined>
  readonly notifier: Notifier
  readonly sessions: SessionSetups
  /** The turns that answer the user's slash commands, which no setup is credited with. */
  readonly commandTurns: CommandTurns
  /** HEAD before and after bash calls that run `git commit`. */
  readonly commits: CommitWatch
  /** A hook that runs only while tracking is on; it logs and swallows its own failures. */
  whenTracking<A extends unknown[]>(name: string, hook: (runtime: Tracker, ...args: A) => Promise<void> | void): (...args: A) => Promise<void>
  /** Keeps background work (recording a commit) that flushes must wait for. */
  track(work: Promise<void>): void
  /** Settles when all background work so far has. */
  settled(): Promise<void>
  /** Waits for background work, then flushes; a failure is logged, never thrown. */
  flush(runtime: Tracker, reason: string): Promise<void>
  /** Shows the setup's status card as a toast. */
  toastStatus(runtime: Tracker, setup: string, prefix?: string): Promise<void>
  /** The setup a slash command is about: the session's, else the latest to work in the project. */
  setupForCommand(runtime: Tracker, sessionID: string): Promise<string | undefined>
}

/** Creates the state the hooks share; `directory` (where OpenCode runs) defaults to the project. */
export function createTrackerContext(settings: PluginSettings, project: string, runtime: Promise<Tracker | undefined>, notifier: Notifier, directory: string = project): TrackerContext {
  const sessions = new SessionSetups(settings.identity)
  const background = new Set<Promise<void>>()
  const settled = async (): Promise<void> => {
    await Promise.all(background)
  }
  return {
    settings,
    project,
    directory,
    runtime,
    notifier,
    sessions,
    commandTurns: new CommandTurns(),
    commits: new CommitWatch(),
    whenTracking: (name, hook) => guardHook(notifier, name, async (...args) => {
      const opened = await runtime
      if (opened !== undefined) await hook(opened, ...args)
    }),
    track: (work) => {
      background.add(work)
      void work.finally(() => background.delete(work))
    },
    settled,
    flush: async (opened, reason) => {
      await settled()
      const result = await opened.flush()
      // The buffer's onFlushError said why already — as a wait when another process holds the lock — so only the occasion is added, and only for a failure.
      if (result.errors.length > 0 && opened.store.writeLockHolder().state !== 'held') notifier.log('warn', `agent-tracker flush on ${reason} failed; facts kept for the next flush: ${result.errors.join('; ')}`)
    },
    toastStatus: async (opened, setup, prefix = '') => {
      const status = await opened.service.getStatus(setup)
      if (status !== undefined) notifier.toast(`${prefix}${statusCardText(status)}`, status.halted ? 'warning' : 'info')
    },
    setupForCommand: async (opened, sessionID) => {
      return sessions.setupOf(sessionID) ?? (await latestSetupIn(opened.buffer, project))
    },
  }
}
