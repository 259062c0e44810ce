import { gradeLabel } from '@agent-tracker/core'
import type { CommandContext } from '../context.js'
import { score, shortHash } from '../format.js'
import { requireSetup } from './lookups.js'
import { trackingService } from './tracking.js'

/** `grade <setup> <commit> --user <grade> [--agent <grade>] [--note]`: the user's grade. */
export async function gradeCommand(ctx: CommandContext, setup: string, commit: string, options: { user: string; agent?: string; note?: string }): Promise<void> {
  const store = ctx.openStore('write')
  await requireSetup(store, setup)
  const outcome = await trackingService(store).userGrade({
    setup,
    commit,
    userGrade: options.user,
    ...(options.agent === undefined ? {} : { agentGrade: options.agent }),
    ...(options.note === undefined ? {} : { note: options.note }),
  })
  ctx.print(outcome, () => {
    const retro = outcome.retrospective
    const grades = [
      retro?.agentGrade === undefined ? undefined : `agent ${gradeLabel(retro.agentGrade)}`,
      retro?.userGrade === undefined ? undefined : `user ${gradeLabel(retro.userGrade)}`,
    ].filter((part) => part !== undefined)
    return `Graded ${shortHash(outcome.commit.hash)} (${outcome.commit.message}) of ${setup}: ${grades.join(', ')}. CS ${score(retro?.scoreBefore)} → ${score(outcome.status.state.communication)} (${outcome.status.communicationTier}).`
  })
}
