import type { CommandContext } from '../context.js'
import { score } from '../format.js'
import { latestProjectOf, requireSetup } from './lookups.js'
import { trackingService } from './tracking.js'

/** `reinstate <setup>`: gives a halted setup its skill points back. */
export async function reinstateCommand(ctx: CommandContext, setup: string, options: { note?: string }): Promise<void> {
  const store = ctx.openStore('write')
  await requireSetup(store, setup)
  const project = await latestProjectOf(store, setup, ctx.io.cwd)
  const outcome = await trackingService(store).reinstate({ setup, project, ...(options.note === undefined ? {} : { note: options.note }) })
  ctx.print(outcome, () =>
    outcome.reinstated
      ? `Reinstated ${setup}: SP ${score(outcome.status.state.skillPoints)}, it may work again.`
      : `${setup} is not halted (SP ${score(outcome.status.state.skillPoints)}); nothing changed.`)
}
