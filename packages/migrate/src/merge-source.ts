import type { DatabaseFormat } from '@agent-tracker/lmdb-store'
import { describeDatabaseFormat } from '@agent-tracker/lmdb-store'

/**
 * Why the file at `path` cannot be merged, given its format; undefined for an agent-tracker
 * database (and for the predecessor's central database, which merge imports through its own reader).
 */
export function mergeSourceProblem(path: string, format: DatabaseFormat): string | undefined {
  switch (format.kind) {
    case 'agent-tracker':
    case 'predecessor-central':
      return undefined
    case 'absent':
      return `There is no agent-tracker database at ${path}.`
    case 'unreadable':
      return `${path} is unreadable: ${format.problem}.`
    case 'predecessor-project':
      return `${path} is ${describeDatabaseFormat(format)}. merge is for agent-tracker databases from other machines; bring this one in with \`agent-tracker migrate <project folder>\`.`
    default:
      return `${path} is ${describeDatabaseFormat(format)}, not an agent-tracker database, so there is nothing to merge from it.`
  }
}
