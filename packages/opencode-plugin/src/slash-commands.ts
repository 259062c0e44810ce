import type { UserCommand } from '@agent-tracker/core'
import { USER_COMMANDS } from '@agent-tracker/core'

const TEMPLATES: Readonly<Record<UserCommand, string>> = {
  grade: 'The user graded the latest commit: $ARGUMENTS',
  bug: 'The user reported a bug: $ARGUMENTS',
  reinstate: 'The user reinstated the agent.',
  tracker: 'Show the agent-tracker status.',
}

/** The user commands as OpenCode slash commands: what OpenCode shows for each, and its prompt template. */
export const SLASH_COMMANDS = Object.fromEntries(Object.entries(USER_COMMANDS).map(([name, command]) => [name, {
  description: `agent-tracker: ${command.description}${command.usage === undefined ? '' : ` — ${command.usage}`}`,
  template: TEMPLATES[name as UserCommand],
}])) as Readonly<Record<UserCommand, { readonly description: string; readonly template: string }>>
