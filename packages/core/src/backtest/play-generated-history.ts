import type { TrackingService } from '../tracking/tracking-service.js'
import type { GeneratedHistory } from './generate-history.js'

/** Hooks of {@link playGeneratedHistory}: where projects live, and what to do when a host would flush. */
export interface PlayHooks {
  /** The path a project's facts are recorded under (default: its name). */
  readonly projectPath?: (name: string) => string
  /** Called after each push and at the end of each session, as the OpenCode plugin flushes. */
  readonly flush?: () => Promise<void>
}

/** What a play recorded. */
export interface PlayedSessions {
  readonly sessions: number
  readonly commits: number
}

/**
 * Plays a generated history through a tracking service, step by step at the steps' times, as a
 * host would record it live. A setup halted by its bugs is reinstated before its next commit, as
 * a user giving it another chance would.
 */
export async function playGeneratedHistory(service: TrackingService, history: GeneratedHistory, hooks: PlayHooks = {}): Promise<PlayedSessions> {
  const pathOf = hooks.projectPath ?? ((name: string) => name)
  let commits = 0
  for (const session of history.sessions) {
    const here = { setup: session.setup, project: pathOf(session.project), session: session.id }
    for (const step of session.steps) {
      const at = step.at
      switch (step.kind) {
        case 'tool-call':
          await service.recordToolCall({ ...here, at, tool: step.tool, ok: step.ok, ...(step.ok ? {} : { exitCode: 1 }) })
          break
        case 'usage':
          await service.recordUsage({ ...here, at, tokens: step.tokens, cost: step.cost })
          break
        case 'commit':
          if ((await service.getStatus(session.setup))?.halted === true) await service.reinstate({ ...here, at, note: 'the user gives it another chance' })
          await service.recordCommit({ ...here, at, hash: step.hash, message: step.task, task: step.task })
          commits += 1
          break
        case 'self-grade':
          await service.selfGrade({ ...here, at, commit: step.commit, grade: step.grade, note: 'self-review before handing over' })
          break
        case 'user-grade':
          await service.userGrade({ setup: session.setup, project: here.project, at, commit: step.commit, channel: 'slash-command', userGrade: step.grade, ...(step.grade < 0 ? { note: 'missed the point of the task' } : step.grade === 5 ? { note: 'exactly right, and explained well' } : {}) })
          break
        case 'activity':
          await service.logActivity({ ...here, at, task: step.task, actions: `${String(step.toolCalls)} tool calls`, outcome: step.outcome, decisions: 'kept the change small' })
          break
        case 'bug':
          await service.reportBug({ ...here, at, by: 'user', commit: step.commit, note: step.note })
          break
        case 'push':
          await service.recordPush({ ...here, at, remote: 'origin', branch: 'main' })
          await hooks.flush?.()
          break
      }
    }
    await hooks.flush?.()
  }
  return { sessions: history.sessions.length, commits }
}
