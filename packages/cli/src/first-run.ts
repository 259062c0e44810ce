import type { JsonNotice } from './json-envelope.js'

/** A first step for someone with no database yet: the command and what it does. */
interface FirstStep {
  readonly command: string
  /** The CLI command that must exist for this step to be offered. */
  readonly needs: string
  readonly does: string
}

// `import` is offered once a CLI with that command is built (it brings in earlier sessions).
const FIRST_STEPS: readonly FirstStep[] = [
  { command: 'agent-tracker init --global', needs: 'init', does: 'add the OpenCode plugin for every project (or init in one project)' },
  { command: 'agent-tracker import', needs: 'import', does: 'bring in the agent sessions you already had' },
  { command: 'agent-tracker demo', needs: 'demo', does: 'see what the tracker shows, with a realistic sample history' },
]

/** What to do once the plugin is configured: bring in earlier sessions, check the setup. */
const AFTER_INIT: readonly FirstStep[] = [
  { command: 'agent-tracker import', needs: 'import', does: 'bring in the agent sessions you already had' },
  { command: 'agent-tracker doctor', needs: 'doctor', does: 'check the database and the plugin configuration' },
]

/** The next steps `init` offers, among the commands this CLI has. */
export function stepsAfterInit(commands: readonly string[]): { readonly command: string; readonly does: string }[] {
  return AFTER_INIT.filter((step) => commands.includes(step.needs)).map(({ command, does }) => ({ command, does }))
}

/** The notice a read command gives when there is no database yet (JSON readers get it beside an empty answer). */
export function noDatabaseNotice(path: string): JsonNotice {
  return { code: 'NO_DATABASE', message: `No data yet: there is no agent-tracker database at ${path}. It is created when the plugin records its first session, or by any command that records something.` }
}

/** What a person sees instead of an empty answer when there is no database yet: why, and what to do. */
export function firstRunText(path: string, commands: readonly string[]): string {
  return [noDatabaseNotice(path).message, '', 'To start:', listSteps(FIRST_STEPS.filter((step) => commands.includes(step.needs)))].join('\n')
}

/** Steps as aligned lines: the command, then what it does. */
export function listSteps(steps: readonly { readonly command: string; readonly does: string }[]): string {
  const width = Math.max(0, ...steps.map((step) => step.command.length))
  return steps.map((step) => `  ${step.command.padEnd(width)}  ${step.does}`).join('\n')
}
