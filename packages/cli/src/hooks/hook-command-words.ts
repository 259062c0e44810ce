import { basename } from 'node:path'
import type { ShellWord } from '@agent-tracker/core/host'

/** The names agent-tracker's bin goes by: on PATH, as the package's script, as Windows' shims. */
const OUR_BIN = /^agent-tracker(?:\.(?:js|mjs|cjs|cmd|exe|ps1))?$/i

/** A package runner's name for agent-tracker's package: `@agent-tracker/cli`, `agent-tracker`, with a version or tag. */
const OUR_PACKAGE = /^(?:@agent-tracker\/cli|agent-tracker)(?:@[\w.+-]+)?$/

/** True for a word that names agent-tracker itself: its bin (by name or path), or its package for a runner (`npx @agent-tracker/cli@1`). */
export function namesAgentTracker(word: string): boolean {
  return OUR_BIN.test(basename(word.replace(/\\/g, '/'))) || OUR_PACKAGE.test(word)
}

/**
 * The place of the word that starts agent-tracker itself (see {@link namesAgentTracker}) among
 * `words`, the first one — a package a runner is told to fetch (`npx --package @agent-tracker/cli
 * agent-tracker`, `-p …`) is not it —; -1 when none does (a wrapper of the user's).
 */
export function agentTrackerAt(words: readonly ShellWord[]): number {
  return words.findIndex((word, index) => {
    const previous = words[index - 1]?.text
    return !word.dynamic && !word.text.startsWith('--package=') && previous !== '--package' && previous !== '-p' && namesAgentTracker(word.text)
  })
}

/** The variable that moves the database when the command line sets it (`AGENT_TRACKER_DB=… agent-tracker …`, `env AGENT_TRACKER_DB=… …`). */
const DATABASE_VARIABLE = 'AGENT_TRACKER_DB'

/**
 * The `AGENT_TRACKER_DB` a hook command sets for agent-tracker, as written: by an assignment before
 * its program or an `env` before it (`env -u X AGENT_TRACKER_DB=/x agent-tracker`); undefined when it sets none.
 */
export function databaseVariableOf(assignments: readonly ShellWord[], words: readonly ShellWord[]): string | undefined {
  const at = agentTrackerAt(words)
  const before = at < 0 ? [] : words.slice(0, at)
  const set = [...assignments, ...(before[0] !== undefined && basename(before[0].text) === 'env' ? before.slice(1) : [])]
  const last = set.filter((word) => word.text.startsWith(`${DATABASE_VARIABLE}=`)).at(-1)
  return last?.text.slice(DATABASE_VARIABLE.length + 1)
}
