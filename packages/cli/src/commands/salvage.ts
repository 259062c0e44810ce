import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { DEFAULT_DATABASE_SIZE, MAX_DATABASE_SIZE, checkDataFile, locateDataFile, openLmdbStore, salvageDatabase } from '@agent-tracker/lmdb-store'
import { mergeSalvaged } from '@agent-tracker/migrate'
import { CliError, EXIT } from '../cli-error.js'
import { isDatabaseFile } from '../database-files.js'
import type { CommandContext } from '../context.js'
import { plural } from '../format.js'
import { absolutePath } from '../io.js'
import { refusals } from './merge.js'

/**
 * `doctor --salvage <new-file>`: copies everything still readable from the (damaged) database at
 * `path` into a new database, read by child processes that may die on damaged pages without
 * taking this one along; facts are checked at the door and scores recomputed from them, as a merge
 * does. Reports what could not be read and what was refused. The damaged database is not changed.
 */
export async function salvageCommand(ctx: CommandContext, path: string, target: string): Promise<number> {
  const destination = absolutePath(ctx.io, target)
  const { dataFile } = locateDataFile(path)
  if (destination === resolve(path) || isDatabaseFile(destination, path)) {
    throw new CliError('SAME_DATABASE', `--salvage ${target} is the damaged database itself; give the path of a new file.`, EXIT.usage)
  }
  if (existsSync(destination)) {
    throw new CliError('TARGET_EXISTS', `--salvage ${target}: ${destination} exists already; salvage writes only into a new file. Give a path where nothing is yet.`, EXIT.usage)
  }
  if (!existsSync(dataFile)) throw new CliError('NO_DATABASE', `There is no database at ${path} to salvage.`)
  // A file of another kind is no damaged database: LMDB would crash on it, and a lock file would be left beside it.
  const file = checkDataFile(dataFile)
  // An empty file is no database yet, as for every other command; LMDB would crash on it too.
  if (file.ok && !file.exists) throw new CliError('NO_DATABASE', `There is no database at ${path} to salvage: ${dataFile} is empty, which is no database yet (the first write makes one there). Nothing was read or changed.`)
  if (!file.ok && !file.damaged) throw new CliError('NOT_A_DATABASE', `${dataFile} cannot be salvaged: ${file.problem}. Nothing was read or changed; point --db (or AGENT_TRACKER_DB) at the damaged agent-tracker database.`, EXIT.usage)
  const progress = ctx.progress('Salvaging')
  const salvaged = await salvageDatabase(path).finally(() => { progress.stop() })
  const records = Object.values(salvaged.records).reduce((sum, list) => sum + list.length, 0)
  if (salvaged.facts.length === 0 && records === 0) {
    const metaPage = salvaged.rebuiltMetaPage === undefined ? [] : [`its meta page ${String(salvaged.rebuiltMetaPage)} is damaged, and the state the other one names holds nothing readable`]
    const why = [...metaPage, ...salvaged.lost.map((loss) => `${loss.where}: ${loss.problem}`)].join('; ')
    throw new CliError('NOTHING_READABLE', `Nothing in ${path} could be read${why === '' ? '' : ` (${why})`}; no new database was made. Restore a backup.`)
  }
  const size = statSync(dataFile).size
  let store: ReturnType<typeof openLmdbStore>
  try {
    store = openLmdbStore({ databasePath: destination, maxDatabaseSize: Math.min(MAX_DATABASE_SIZE, Math.max(DEFAULT_DATABASE_SIZE, 2 * size)) })
  } catch (error) {
    // The new database's path came from --salvage, not --db: said so, with what went wrong there.
    const reason = error instanceof Error ? error.message : String(error)
    throw new CliError('SALVAGE_TARGET_UNWRITABLE', `--salvage ${target}: the new database cannot be made there (${reason}). Give a path in a folder you can write to; nothing was written.`, EXIT.failure, { cause: error })
  }
  const report = await mergeSalvaged(path, salvaged, store).finally(() => store.close())
  const lostFacts = salvaged.lastFactSeq === undefined ? undefined : Math.max(0, salvaged.lastFactSeq - salvaged.facts.length)
  const data = {
    source: path, destination, facts: salvaged.facts.length, lostFacts: lostFacts ?? null, records,
    lost: salvaged.lost, applied: report.facts.applied, refused: report.errors, rebuiltMetaPage: salvaged.rebuiltMetaPage ?? null,
  }
  ctx.print(data, () => [
    `Salvaged ${path} into ${destination}: ${plural(salvaged.facts.length, 'fact')} read back${lostFacts === undefined ? '' : lostFacts === 0 ? ' (all of them)' : ` (${plural(lostFacts, 'fact')} could not be read)`}, and ${plural(records, 'record')}; ${salvaged.facts.length === 0 ? 'scores as its setup records held them, as no fact could be read to recompute them from' : 'scores recomputed from the facts'}.`,
    ...(salvaged.rebuiltMetaPage === undefined ? [] : [metaPageNote(salvaged.rebuiltMetaPage)]),
    ...(salvaged.lost.length === 0 ? [] : [ctx.colours.yellow(`Skipped, unreadable:`), ...salvaged.lost.map((loss) => `  ${loss.where}: ${loss.problem}`)]),
    ...refusals(ctx, report),
    `${path} is unchanged. Check the new one with agent-tracker doctor --deep --db ${destination}, then use it with --db (or AGENT_TRACKER_DB), or move it into place.`,
  ].join('\n'))
  return EXIT.ok
}

/** What reading through the intact meta page means for the salvaged data. */
function metaPageNote(page: 0 | 1): string {
  const [damaged, intact] = page === 0 ? ['first', 'second'] : ['second', 'first']
  return `Its ${damaged} meta page (page ${String(page)}) is damaged: everything was read through the ${intact} one (page ${String(1 - page)}), from a temporary copy. If the damaged page held the newest write, that one write is missing.`
}
