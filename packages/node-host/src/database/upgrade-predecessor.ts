import type { UpgradeOptions, UpgradeOutcome } from '@agent-tracker/migrate'
import { upgradeDatabase } from '@agent-tracker/migrate'
import type { DatabasePathSources } from './database-path.js'
import { resolveDatabasePath } from './database-path.js'

/** Options of {@link upgradePredecessorDatabase}. */
export interface UpgradePredecessorOptions extends DatabasePathSources, UpgradeOptions {
  /** How long to wait for another process that is upgrading the same database; default 0 (do not wait). */
  readonly waitMs?: number | undefined
  /** Milliseconds between looks while waiting; default 250. */
  readonly pollMs?: number | undefined
}

/**
 * Upgrades the predecessor's central database at the shared database path (explicit path >
 * `AGENT_TRACKER_DB` > the default) to agent-tracker's — see `upgradeDatabase` — the one way every
 * host does it: the CLI's `upgrade` and a plugin's first start. Another process upgrading it is
 * waited for up to `waitMs`. Returns at once, with `nothing-to-upgrade`, when the path holds no
 * predecessor's database. Never throws, except for a path that breaks the path rules.
 * @throws {NodeHostError} INVALID_DATABASE_PATH.
 */
export async function upgradePredecessorDatabase(options: UpgradePredecessorOptions = {}): Promise<UpgradeOutcome> {
  const path = resolveDatabasePath(options)
  const deadline = Date.now() + (options.waitMs ?? 0)
  for (;;) {
    const outcome = await upgradeDatabase(path, options)
    if (outcome.status !== 'busy' || Date.now() >= deadline) return outcome
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250))
  }
}
