import { join } from 'node:path'
import type { CommitNotes } from '@agent-tracker/node-host/hooks'
import type { HookOptions } from './hook-options.js'
import { hookDatabasePath } from './hook-options.js'
import { pendingFolder } from './pending-facts.js'

/**
 * Where the hooks keep what PreToolUse noted of HEAD's reflog before a Bash call that runs `git
 * commit`, for its PostToolUse: `<database>.pending/commit-notes/`, gone once empty. Loaded only
 * for such calls, as the rest of the kit's git reading is.
 */
export async function commitNotesOf(options: HookOptions): Promise<CommitNotes> {
  const { CommitNotes } = await import('@agent-tracker/node-host/hooks')
  return new CommitNotes(join(pendingFolder(hookDatabasePath(options)), 'commit-notes'))
}
