import type { PostgresStore, SyncProgress } from '@agent-tracker/postgres-store'
import { isPostgresStoreError, redactUrl, syncToTeam } from '@agent-tracker/postgres-store'
import { existsSync } from 'node:fs'
import { locateDataFile } from '@agent-tracker/lmdb-store'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { plural } from '../format.js'
import { importedHistory, importedHistoryNotSynced } from '../imported-history.js'
import { openTeamStore, requireTeamSettings } from '../team.js'

/** Options of `sync`. */
export interface SyncCommandOptions {
  readonly url?: string
  readonly member?: string
  readonly batchSize?: number
}

/**
 * `sync`: sends this machine's new facts to the team database, from where it last acknowledged
 * them. Safe to run at any time, again and again, and from several processes: nothing is lost or
 * counted twice; a sync the server cut short resumes where it stopped. History imported by
 * migrate, upgrade or merge is no fact, and stays on this machine: every sync says so (see
 * `importedHistory`), and what of it there is, so that "up to date" is never taken for all of it.
 */
export async function syncCommand(ctx: CommandContext, options: SyncCommandOptions): Promise<void> {
  // The database to send from first: a `--db postgres://…` is a usage error, not a folder named so here.
  const path = ctx.localDatabasePath()
  const settings = requireTeamSettings(ctx.io, options)
  const url = redactUrl(settings.url)
  if (!existsSync(locateDataFile(path).dataFile)) {
    ctx.print({ team: url, member: settings.member, sent: 0, applied: 0, repeats: 0, acknowledged: 0, local: 0, refusedCount: 0, refused: [] }, () => `Nothing to sync yet: ${path} has no data.`)
    return
  }
  const local = ctx.openStore('read')
  const progress = ctx.progress('Syncing')
  let last: SyncProgress | undefined
  try {
    const team: PostgresStore = await openTeamStore(settings, 'write')
    ctx.onClose(() => team.close())
    last = await syncToTeam(local, team, {
      source: `${settings.machine}:${path}`,
      database: local.databaseId,
      member: settings.member,
      machine: settings.machine,
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      onBatch: (step) => {
        progress.update(step.acknowledged, step.local)
      },
    })
  } catch (error) {
    if (!isPostgresStoreError(error, 'TEAM_UNREACHABLE') && !isPostgresStoreError(error, 'TEAM_BUSY')) throw error
    throw new CliError(error.code, `${error.message} Nothing is lost: facts stay in this machine's database, and the next sync resumes where this one stopped.`, EXIT.failure)
  } finally {
    progress.stop()
  }
  const done = last
  // What no fact carries stays here: said every time, so that "up to date" is not read as "all of it".
  const imported = await importedHistory(local)
  const notSynced = imported === undefined ? undefined : importedHistoryNotSynced(imported)
  if (notSynced !== undefined) ctx.notice('IMPORTED_HISTORY_NOT_SYNCED', notSynced)
  ctx.print({ team: url, member: settings.member, ...done, ...(imported === undefined ? {} : { importedHistory: imported }) }, () => {
    const stays = notSynced === undefined ? [] : [ctx.colours.yellow(notSynced)]
    const refused = done.refusedCount === 0 ? [] : [
      ctx.colours.yellow(`${plural(done.refusedCount, 'fact')} refused by the team's checks (skipped, not sent again):`),
      ...done.refused.map((item) => `  ${item.position}: ${item.message}`),
      ...(done.refusedCount > done.refused.length ? [`  … and ${String(done.refusedCount - done.refused.length)} more`] : []),
    ]
    if (done.sent === 0) return [`Up to date with ${url} (${plural(done.acknowledged, 'fact')} acknowledged).`, ...stays].join('\n')
    const repeats = done.repeats === 0 ? '' : `, ${String(done.repeats)} the team had already`
    const moved = done.movedFrom === undefined ? [] : [
      ctx.colours.yellow(`This database synced as ${done.movedFrom} before: all of its facts went to ${settings.member}'s share now; ${done.movedFrom}'s share keeps the ones it was sent then.`),
    ]
    return [`Sent ${plural(done.sent, 'fact')} to ${url} as ${settings.member} (${String(done.applied)} applied${repeats}).`, ...moved, ...refused, ...stays].join('\n')
  })
}
