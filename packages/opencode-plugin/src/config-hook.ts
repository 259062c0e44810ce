import type { Config } from '@opencode-ai/plugin'
import { guardHook } from './hook-guard.js'
import type { Notifier } from './notifier.js'
import { SLASH_COMMANDS } from './slash-commands.js'

type Commands = NonNullable<Config['command']>

/**
 * The `config` hook: registers `/grade`, `/bug`, `/reinstate` and `/tracker`, keeping the
 * user's own definitions of those names; never throws.
 */
export function configHook(notifier: Notifier): (config: Config) => Promise<void> {
  return guardHook(notifier, 'config', (config: Config) => {
    if (typeof config !== 'object' || (config as Config | null) === null) throw new TypeError(`expected the configuration object, got ${typeof config}`)
    const given: unknown = config.command
    const commands: Commands = typeof given === 'object' && given !== null && !Array.isArray(given) ? (given as Commands) : {}
    if (given !== undefined && commands !== given) notifier.log('warn', 'agent-tracker: the "command" section of your config is not an object; registering the tracker commands in a new one.')
    for (const [name, definition] of Object.entries(SLASH_COMMANDS)) {
      if (commands[name] === undefined) commands[name] = { ...definition }
      else notifier.log('info', `agent-tracker: /${name} is defined in your config; keeping yours.`)
    }
    config.command = commands
  })
}
