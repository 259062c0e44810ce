import type { CommandContext } from '../context.js'
import { plural, score } from '../format.js'
import { latestProjectOf, requireSetup } from './lookups.js'
import { trackingService } from './tracking.js'

/** `bug <setup> [--commit] [--note]`: a bug the user found; SP −1, halt at 0. */
export async function bugCommand(ctx: CommandContext, setup: string, options: { commit?: string; note?: string }): Promise<void> {
  const store = ctx.openStore('write')
  await requireSetup(store, setup)
  const service = trackingService(store)
  const commit = options.commit === undefined ? undefined : await service.resolveCommit(setup, options.commit)
  const project = commit?.project ?? (await latestProjectOf(store, setup, ctx.io.cwd))
  const status = await service.reportBug({
    setup,
    project,
    by: 'user',
    ...(commit === undefined ? {} : { commit: commit.hash }),
    ...(options.note === undefined ? {} : { note: options.note }),
  })
  ctx.print(status, () => {
    const halted = status.halted ? ctx.colours.red(` ${setup} is now HALTED: its tool calls are blocked until you run agent-tracker reinstate ${setup}.`) : ''
    return `Bug recorded against ${setup}: SP now ${score(status.state.skillPoints)} (${status.trustTier}), ${plural(status.state.bugs, 'bug')}.${halted}`
  })
}
