import { gradeLabel } from '@agent-tracker/core'
import type { CommandContext } from '../context.js'
import { commitLabel } from '../commit-label.js'
import { score } from '../format.js'
import { gradeProvenanceOf, uncountedGradeNote } from '../trust.js'
import { commitReference, findGivenCommit, givenText, rebasedNote, requireSetup } from './lookups.js'
import { trackingService } from './tracking.js'

/**
 * `grade <setup> <commit> --user <grade> [--agent <grade>] [--note] [--trust]`: the user's grade.
 * It counts as the user's when given at an interactive terminal no agent session runs, or with
 * `--trust`; otherwise it is recorded as a `cli-script` grade that counts for nothing.
 */
export async function gradeCommand(ctx: CommandContext, setup: string, given: string, options: { user: string; agent?: string; note?: string; trust?: boolean }): Promise<void> {
  const commit = commitReference(given, 'The <commit> argument')
  givenText('--note', options.note, 'your note on the commit')
  const provenance = gradeProvenanceOf(ctx.io, options)
  const store = ctx.openExistingStore('commit to grade')
  setup = (await requireSetup(store, setup)).setup
  // Found first, so that a rebased copy's hash grades the commit recorded.
  const found = await findGivenCommit(store, setup, commit, ctx.io)
  const outcome = await trackingService(store).userGrade({
    setup,
    commit: found.commit.hash,
    userGrade: options.user,
    ...(options.agent === undefined ? {} : { agentGrade: options.agent }),
    ...(options.note === undefined ? {} : { note: options.note }),
    channel: provenance.channel,
    vouched: provenance.vouched,
  })
  const uncounted = outcome.counted ? undefined : uncountedGradeNote(provenance)
  const rebased = rebasedNote(found)
  ctx.print(found.rebased === undefined ? outcome : { ...outcome, rebased: found.rebased }, () => {
    const commitText = `${commitLabel(outcome.commit)} of ${setup}`
    const lead = rebased === '' ? '' : `${rebased}\n`
    if (uncounted !== undefined) return `${lead}${ctx.colours.yellow(`${commitText}: ${uncounted}`)}`
    const retro = outcome.retrospective
    const grades = [
      retro?.agentGrade === undefined ? undefined : `agent ${gradeLabel(retro.agentGrade)}`,
      retro?.userGrade === undefined ? undefined : `user ${gradeLabel(retro.userGrade)}`,
    ].filter((part) => part !== undefined)
    // The score around this grade (its event), not the retrospective's, which is from before the commit's first grade.
    const before = outcome.event?.scoreBefore ?? outcome.status.state.communication
    return `${lead}Graded ${commitText}: ${grades.join(', ')}. CS ${score(before)} → ${score(outcome.status.state.communication)} (${outcome.status.communicationTier}).`
  })
}
