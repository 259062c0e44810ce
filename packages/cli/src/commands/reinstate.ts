import type { CommandContext } from '../context.js'
import { score } from '../format.js'
import { refuseInAgentSession } from '../trust.js'
import { latestProjectOf, requireSetup } from './lookups.js'
import { trackingService } from './tracking.js'

/**
 * `reinstate <setup>`: gives a halted setup its skill points back. Lifting a halt is the user's
 * call, so it is refused inside an agent session: an agent must not lift its own.
 * @throws {CliError} REINSTATE_REFUSED inside an agent session.
 */
export async function reinstateCommand(ctx: CommandContext, setup: string, options: { note?: string }): Promise<void> {
  refuseInAgentSession(ctx.io, 'REINSTATE_REFUSED', 'reinstate lifts a halt', ' (in OpenCode: /reinstate)')
  const store = ctx.openExistingStore('setup to reinstate')
  setup = (await requireSetup(store, setup)).setup
  const project = await latestProjectOf(store, setup, ctx.io.cwd)
  const outcome = await trackingService(store).reinstate({ setup, project, ...(options.note === undefined ? {} : { note: options.note }) })
  ctx.print(outcome, () =>
    outcome.reinstated
      ? `Reinstated ${setup}: SP ${score(outcome.status.state.skillPoints)}, it may work again.`
      : `${setup} is not halted (SP ${score(outcome.status.state.skillPoints)}); nothing changed.`)
}
