import { commitFactId, gitEventsOf, isTrackerTool, opencodeCallSucceeded, opencodeExitCode, pushFactId, toolCallFactId } from '@agent-tracker/core'
import { projectRoot } from '@agent-tracker/node-host/project-root'
import { bashCommand, bashWorkdir } from './bash-args.js'
import { inPluginTerms } from './plugin-errors.js'
import type { TrackerContext } from './tracker-context.js'

type AfterInput = { tool: string; sessionID: string; callID: string; args: unknown }

/**
 * The `tool.execute.after` hook: records the tool call (a bash call fails by its exit code), and
 * for bash the commits (in the background: git confirms each and says which commit an amend
 * replaced, see the kit's CommitWatch) and pushes (which
 * flush, then toast the status card).
 */
export function toolResultHook(context: TrackerContext): (input: AfterInput, output: { output: string; metadata: unknown }) => Promise<void> {
  const { sessions, project, notifier } = context
  return context.whenTracking('tool.execute.after', async (runtime, input: AfterInput, output: { output: string; metadata: unknown }) => {
    if (isTrackerTool(input.tool)) return
    const setup = sessions.setupOf(input.sessionID)
    if (setup === undefined) return
    runtime.noteWork(setup)
    const facts = { setup, project, session: input.sessionID }
    const exitCode = opencodeExitCode(output.metadata)
    const ok = opencodeCallSucceeded(input.tool, exitCode)
    await runtime.service.recordToolCall({ ...facts, id: toolCallFactId('opencode', input.sessionID, input.callID), tool: input.tool, ok, ...(exitCode === undefined ? {} : { exitCode }) })
    if (input.tool !== 'bash') return
    const command = bashCommand(input.args) ?? ''
    const events = gitEventsOf(command, typeof output.output === 'string' ? output.output : '', exitCode ?? 0)
    if (!events.some((git) => git.kind === 'commit')) context.commits.forget(input.callID)
    for (const git of events) {
      if (git.kind === 'commit') {
        context.track((async () => {
          const workdir = bashWorkdir(input.args, context.directory)
          for (const commit of await context.commits.commitsAfter(input.callID, command, workdir, git.hashes)) {
            // A commit belongs to the project of the repository it was made in (`cd ../other && git commit`, a bash workdir elsewhere), not always the session's.
            const where = { ...facts, project: projectRoot(commit.folder ?? workdir) }
            await runtime.service.recordCommit({ ...where, id: commitFactId('opencode', input.sessionID, input.callID, commit.hash), hash: commit.hash, message: commit.subject, ...(commit.amends === undefined ? {} : { amends: commit.amends }) })
            await context.toastStatus(runtime, setup, `Commit ${commit.hash.slice(0, 7)} recorded${commit.amends === undefined ? '' : ` (amends ${commit.amends.slice(0, 7)})`}. `)
          }
        })().catch((error: unknown) => {
          notifier.log('error', `agent-tracker could not record the commit of \`${command}\`: ${inPluginTerms(error)}`)
        }))
      } else {
        await context.settled()
        await runtime.service.recordPush({ ...facts, id: pushFactId('opencode', input.sessionID, input.callID), ...(git.remote === undefined ? {} : { remote: git.remote }), ...(git.branch === undefined ? {} : { branch: git.branch }) })
        await context.flush(runtime, 'push')
        await context.toastStatus(runtime, setup, 'Pushed; progress saved. ')
        // Not awaited, and not tracked: flushes never wait for it, and closing the tracker stops it.
        if (context.settings.gitEvidence) {
          void runtime.scanEvidenceInBackground((error) => {
            notifier.log('warn', `agent-tracker could not read git evidence in ${project}: ${inPluginTerms(error)}`)
          })
        }
      }
    }
  })
}

