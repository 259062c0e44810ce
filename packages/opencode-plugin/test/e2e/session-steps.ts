import { execFileSync } from 'node:child_process'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import type { Step } from './fake-llm.js'

export { CLI } from './harness.js'

/** The setup the fake model's sessions run as. */
export const SETUP = 'build@fake/m1'
/** A step of the fake model: run `command` in OpenCode's bash tool. */
export const bash = (command: string): Step => ({ tool: 'bash', args: { command, description: command.slice(0, 40) } })

/** The commit `ref` names in `project`. */
export const head = (project: string, ref = 'HEAD'): string => execFileSync('git', ['rev-parse', ref], { cwd: project, encoding: 'utf8' }).trim()

/** The stored setup record of {@link SETUP}, read from the database as another process would. */
export async function readSetup(databasePath: string) {
  const store = openLmdbStore({ databasePath, readOnly: true })
  try {
    return await store.get('setups', [SETUP])
  } finally {
    await store.close()
  }
}
