import type { Config } from '@opencode-ai/plugin'
import type { Notifier } from './notifier.js'
import { SLASH_COMMANDS } from './slash-commands.js'

/** The `config` hook: registers `/grade`, `/bug`, `/reinstate` and `/tracker`, keeping the user's own definitions. */
export function configHook(notifier: Notifier): (config: Config) => Promise<void> {
  return (config: Config) => {
    const commands: NonNullable<Config['command']> = config.command ?? {}
    for (const [name, definition] of Object.entries(SLASH_COMMANDS)) {
      if (commands[name] === undefined) commands[name] = { ...definition }
      else notifier.log('info', `agent-tracker: /${name} is defined in your config; keeping yours.`)
    }
    config.command = commands
    return Promise.resolve()
  }
}
