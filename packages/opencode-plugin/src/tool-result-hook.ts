import { execFile } from 'node:child_process'
import { isTrackerTool } from './agent-tools.js'
import { gitEventsOf } from './git-events.js'
import { messageOf } from './hook-guard.js'
import type { TrackerContext } from './tracker-context.js'

type AfterInput = { tool: string; sessionID: string; callID: string; args: unknown }

/**
 * The `tool.execute.after` hook: records the tool call (a bash call fails by its exit code), and
 * for bash the commits (in the background: git is asked for the full hash) and pushes (which
 * flush, then toast the status card).
 */
export function toolResultHook(context: TrackerContext): (input: AfterInput, output: { output: string; metadata: unknown }) => Promise<void> {
  const { sessions, project, notifier } = context
  return context.whenTracking('tool.execute.after', async (runtime, input: AfterInput, output: { output: string; metadata: unknown }) => {
    if (isTrackerTool(input.tool)) return
    const setup = sessions.setupOf(input.sessionID)
    if (setup === undefined) return
    runtime.lastSetup = setup
    const facts = { setup, project, session: input.sessionID }
    const exit = (output.metadata as { exit?: unknown } | undefined)?.exit
    const exitCode = typeof exit === 'number' ? exit : undefined
    const ok = input.tool !== 'bash' || exitCode === undefined || exitCode === 0
    await runtime.service.recordToolCall({ ...facts, tool: input.tool, ok, ...(exitCode === undefined ? {} : { exitCode }) })
    if (input.tool !== 'bash') return
    const command = (input.args as { command?: unknown } | undefined)?.command
    for (const git of gitEventsOf(typeof command === 'string' ? command : '', output.output, exitCode ?? 0)) {
      if (git.kind === 'commit') {
        context.track((async () => {
          const full = await fullCommit(project, git.shortHash)
          await runtime.service.recordCommit({ ...facts, hash: full?.hash ?? git.shortHash, message: full?.subject ?? git.subject })
          await context.toastStatus(runtime, setup, `Commit ${git.shortHash} recorded. `)
        })().catch((error: unknown) => {
          notifier.log('error', `agent-tracker could not record commit ${git.shortHash}: ${messageOf(error)}`)
        }))
      } else {
        await context.settled()
        await runtime.service.recordPush({ ...facts, ...(git.remote === undefined ? {} : { remote: git.remote }), ...(git.branch === undefined ? {} : { branch: git.branch }) })
        await context.flush(runtime, 'push')
        await context.toastStatus(runtime, setup, 'Pushed; progress saved. ')
      }
    }
  })
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
