import type { LmdbStore } from '@agent-tracker/lmdb-store'
import type { PostgresStore } from '@agent-tracker/postgres-store'
import { isPostgresStoreError } from '@agent-tracker/postgres-store/errors'
import { redactUrl } from '@agent-tracker/postgres-store/url'
import { describeFailure } from '../describe-failure.js'
import type { Io } from '../io.js'
import { openTeamStore, teamSettings } from '../team.js'

/** What the team database was sent of a merge's facts: how many (`synced`), or why it could not be asked (`problem`); `team` names it, without a password. */
export type MergedFactsOnTeam =
  | { readonly team: string; readonly synced: number }
  | { readonly team: string; readonly problem: string }

/** Fact ids looked up in the team database per query. */
const ID_BATCH = 1000

/**
 * How many of the facts a merge put in this machine's fact log (the sequence numbers after
 * `range.after`, up to `range.upTo`) `sync` had already sent to the configured team database:
 * those up to the sequence number the team acknowledged from this database that it holds by id
 * (the acknowledgement alone may be another log's: a database put back and written again is sent
 * whole again by its next sync). The team database keeps every fact it is sent, so an undo of the
 * merge here leaves these counted there. Undefined when no team database is configured or the
 * merge put no fact in the log. Never throws: a team database that cannot be asked is a `problem`.
 */
export async function mergedFactsOnTeam(io: Io, store: LmdbStore, range: { readonly after: number; readonly upTo: number }): Promise<MergedFactsOnTeam | undefined> {
  if (range.upTo <= range.after) return undefined
  let settings
  try {
    settings = teamSettings(io)
  } catch (error) {
    return { team: 'the team database', problem: describeFailure(error).message }
  }
  if (settings === undefined) return undefined
  const team = redactUrl(settings.url)
  let opened: PostgresStore | undefined
  try {
    opened = await openTeamStore(settings, 'read')
    // The source name sync sends this database's facts under.
    const mark = await opened.acknowledged(`${settings.machine}:${store.path}`)
    const last = Math.min(mark.seq, range.upTo)
    let synced = 0
    for (let after = range.after; after < last; after += ID_BATCH) {
      const ids: string[] = []
      for await (const logged of store.readFactLog({ after, limit: Math.min(ID_BATCH, last - after) })) ids.push(logged.fact.id)
      synced += (await opened.knownFactIds(ids)).size
    }
    return { team, synced }
  } catch (error) {
    // Nobody has synced to it yet: it holds none of them.
    if (isPostgresStoreError(error, 'TEAM_NOT_SET_UP')) return { team, synced: 0 }
    return { team, problem: describeFailure(error).message }
  } finally {
    // Its answer is had: a failure to close the connection changes nothing of it.
    await opened?.close().catch(() => undefined)
  }
}
