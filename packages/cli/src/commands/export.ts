import type { CollectionName, RecommendScope, ReportQuery } from '@agent-tracker/core'
import { COLLECTIONS, compareText, EXPORT_ORDER, exportFilters, exportRecordStream, groupedReport, leaderboard, projectList, recommendByProfile, setupReport, setupTrends, withSharedFinds } from '@agent-tracker/core'
import type { LmdbStoreInfo } from '@agent-tracker/lmdb-store'
import { markDamaged } from '@agent-tracker/lmdb-store/damage'
import { profileFolder } from '@agent-tracker/node-host/hooks'
import { CliError, EXIT } from '../cli-error.js'
import { isDatabaseFile } from '../database-files.js'
import type { CommandContext, ReadStore } from '../context.js'
import { warnIfMarkedDamaged } from '../damage-warning.js'
import { DAMAGE_FIX } from '../describe-failure.js'
import { describeShortCollections, shortCollections } from '../export/completeness.js'
import { CSV_COLUMNS, REPORT_CSV_COLUMNS, csvHeader, csvLine, toCsv } from '../export/csv.js'
import type { OutputSink } from '../export/output-sink.js'
import { outputSink } from '../export/output-sink.js'
import type { HtmlReportData } from '../html/report-data.js'
import type { LoadedBacktest } from '../backtest-file.js'
import { loadBacktest } from '../backtest-file.js'
import { backtestSection } from '../html/backtest-section.js'
import { renderHtmlReport } from '../html/report-html.js'
import { cutDaysNote } from '../cut-days.js'
import { absolutePath } from '../io.js'
import { JSON_ENVELOPE_VERSION, roundedJson } from '../json-envelope.js'
import type { ReportOptions } from './report.js'
import { appliedFilters, hasSetupFilter, noMatch, reportScope } from './report.js'

const FORMATS = ['json', 'jsonl', 'csv', 'html'] as const
const TABLES = ['report', ...COLLECTIONS] as const

/** What `--out` takes for stdout. */
const STDOUT = '-'

type Format = (typeof FORMATS)[number]
type Table = (typeof TABLES)[number]

/**
 * `export --format json|jsonl|csv|html [--out]`: the data for other tools, or a report for people.
 * Records stream a page at a time to the output, so memory stays flat whatever the database's size.
 */
export async function exportCommand(ctx: CommandContext, options: ReportOptions & { format: string; out?: string; table?: string }): Promise<number> {
  const format = options.format as Format
  if (!FORMATS.includes(format)) throw new CliError('INVALID_OPTION', `Invalid --format "${options.format}": accepted are ${FORMATS.join(', ')}.`, EXIT.usage)
  const table = (options.table ?? 'report') as Table
  if (!TABLES.includes(table)) throw new CliError('INVALID_OPTION', `Invalid --table "${options.table ?? ''}": accepted are ${TABLES.join(', ')}.`, EXIT.usage)
  // A table it would not use is said, not ignored: the export would not be what was asked for.
  if (options.table !== undefined && format === 'html') throw new CliError('INVALID_OPTION', '--table does not go with --format html: the HTML report shows everything. Leave out --table, or export one table with --format csv, json or jsonl.', EXIT.usage)
  if (options.table === 'report' && (format === 'json' || format === 'jsonl')) {
    throw new CliError('INVALID_OPTION', `--table report is for --format csv only; for ${format}, --table names one collection (${COLLECTIONS.join(', ')}), and without it every collection is exported.`, EXIT.usage)
  }
  if (options.out === '') throw new CliError('INVALID_OPTION', '--out needs a file path, got an empty one.', EXIT.usage)
  // `--out -` is stdout, as most tools read it (a file named - is `--out ./-`): the export is printed
  // as it is without --out. So is the HTML report, which without --out goes to a file of its own.
  const toStdout = options.out === STDOUT || (options.out === undefined && format !== 'html')
  if (ctx.json && format !== 'json' && toStdout) {
    const otherwise = format === 'html' ? 'leave out --out to write agent-tracker-report.html, or leave out --json to print the report' : 'or leave out --json to print the export'
    throw new CliError('INVALID_OPTION', `--json with --format ${format} needs --out <file>${options.out === STDOUT ? ', not -' : ''}: the export goes to the file and a JSON summary to stdout (${otherwise}).`, EXIT.usage)
  }
  const store = await ctx.readStore()
  const { query, window } = await reportScope(ctx, store, options)
  if (ctx.missingDatabase && format === 'html') {
    ctx.print({ path: null, format, bytes: 0, rows: 0 }, () => '')
    return EXIT.ok
  }
  // Data formats stay data: with no database the export is empty, and why goes to stderr.
  if (ctx.missingDatabase) ctx.note(`No data yet: there is no agent-tracker database at ${store.path}, so the export is empty.`)
  const outFile = toStdout ? undefined : (options.out ?? 'agent-tracker-report.html')
  const path = outFile === undefined ? undefined : absolutePath(ctx.io, outFile)
  // Checked before the file is opened: opening it for writing empties it.
  if (path !== undefined && isDatabaseFile(path, store.path)) {
    throw new CliError('OUT_IS_DATABASE', `--out ${outFile ?? ''} is the database being exported (${store.path}), or one of its files: writing there would destroy it. Give the path of another file.`, EXIT.usage)
  }
  // With --json and no file, the JSON document is the answer: streamed inside the envelope.
  const enveloped = ctx.json && path === undefined
  // Whole collections are checked against LMDB's own counts after the export: see `warnIfIncomplete`.
  const whole = Object.keys(exportFilters(query)).length === 0 ? wholeCollections(format, table) : undefined
  const before = localInfo(ctx, store)?.lastTransaction
  const tally = new Map<CollectionName, number>()
  // Opened last before the export, so that nothing between leaves its temporary file behind.
  const sink = outputSink(ctx.io, path)
  const progress = ctx.progress('Exporting')
  let rows: number
  let incomplete: boolean
  let finished = false
  try {
    if (enveloped) await sink.write(`{\n  "version": ${String(JSON_ENVELOPE_VERSION)},\n  "command": "export",\n  "data": `)
    rows = await writeExport(ctx, store, { query, window: window.description, timeZone: window.timeZone }, format, table, sink, (done) => { progress.update(done) }, tally)
    progress.stop()
    // A setup, agent or model filter that matches nothing (a typo) is said, with what was recorded, as report says it.
    if (rows === 0 && !ctx.missingDatabase && hasSetupFilter(query)) {
      const none = await noMatch(store, query)
      ctx.note(none)
      ctx.notice('NO_MATCH', none)
    }
    incomplete = warnIfIncomplete(ctx, store, whole, tally, before)
    if (enveloped) await sink.write(ctx.notices.length === 0 ? '}\n' : `,\n  "notices": ${JSON.stringify(ctx.notices, null, 2).replaceAll('\n', '\n  ')}\n}\n`)
    finished = true
  } finally {
    progress.stop()
    // A failed export leaves no half-written file: the one that was there stays (see `outputSink`).
    if (finished) await sink.end()
    else {
      const left = await sink.abort()
      if (left !== undefined) ctx.note(`The export failed: ${left}.`)
    }
  }
  if (path !== undefined) ctx.print({ path, format, bytes: sink.bytes, rows }, () => `Wrote the ${format.toUpperCase()} export to ${path}${incomplete ? ', incomplete (see above)' : ''}`)
  return incomplete ? EXIT.failure : EXIT.ok
}

/** The collections an export of the whole database holds every record of: none for the report tables (CSV report, HTML), which sum them up. */
function wholeCollections(format: Format, table: Table): readonly CollectionName[] | undefined {
  if (table !== 'report') return [table]
  return format === 'json' || format === 'jsonl' ? EXPORT_ORDER : undefined
}

/** The sizes and counts of this machine's database, when the export reads one (not the team's, nor the empty stand-in for a missing one). */
function localInfo(ctx: CommandContext, store: ReadStore): LmdbStoreInfo | undefined {
  if (store.team === true || ctx.missingDatabase) return undefined
  const lmdb = store as ReadStore & { info?: () => LmdbStoreInfo }
  return lmdb.info?.()
}

/**
 * Says when an export is not the whole of what was asked for, and returns true then. An export of
 * whole collections (`whole`), with nothing written to the file while it read (the same last
 * transaction before and after), must hold every record LMDB counts: one that holds fewer met a
 * damaged page that ended a read early without an error, which is named, and remembered as
 * damage. Any other export of a database marked damaged is said to be possibly short. What a
 * filtered export, or one read while another process wrote, lacks cannot be told.
 */
function warnIfIncomplete(ctx: CommandContext, store: ReadStore, whole: readonly CollectionName[] | undefined, tally: ReadonlyMap<CollectionName, number>, before: number | undefined): boolean {
  const after = whole === undefined || before === undefined ? undefined : localInfo(ctx, store)
  const short = whole === undefined || after === undefined || after.lastTransaction !== before ? [] : shortCollections(tally, after.records, whole)
  if (short.length === 0) return warnIfMarkedDamaged(ctx, store, 'this export')
  const counts = describeShortCollections(short)
  markDamaged(store.path, `an export read fewer records than the database counts (${counts})`)
  ctx.warn('EXPORT_INCOMPLETE', `The export is incomplete: only ${counts} could be read from ${store.path}, and nothing was written to it meanwhile; its file is probably damaged. ${DAMAGE_FIX}`)
  return true
}

/** Writes the export; `tally` counts the records written of each collection. */
async function writeExport(ctx: CommandContext, store: ReadStore, scope: { query: ReportQuery; window: string; timeZone: string }, format: Format, table: Table, sink: OutputSink, onRecord: (done: number) => void, tally: Map<CollectionName, number>): Promise<number> {
  const { query } = scope
  if (format === 'html') {
    const data = await htmlReportData(ctx, store, query, scope)
    await sink.write(renderHtmlReport(data))
    return data.rows.length
  }
  if (format === 'csv' && table === 'report') {
    const { rows } = await setupReport(store, query)
    await sink.write(toCsv(rows, REPORT_CSV_COLUMNS))
    return rows.length
  }
  // A table narrows json and jsonl to that collection, as it does csv: the others are not read.
  const only = table === 'report' ? undefined : table
  const records = exportRecordStream(store, query, { only, betweenPages: () => { relieveMemory(store); } })
  let count = 0
  const counted = async function* () {
    for await (const item of records) {
      count += 1
      tally.set(item.collection, (tally.get(item.collection) ?? 0) + 1)
      if (count % 1000 === 0) onRecord(count)
      yield item
    }
  }
  if (format === 'jsonl') {
    for await (const item of counted()) await sink.write(`${roundedJson(item)}\n`)
  } else if (format === 'csv') {
    const columns = CSV_COLUMNS[table as CollectionName]
    await sink.write(csvHeader(columns))
    for await (const item of counted()) await sink.write(csvLine(columns, item.record))
  } else {
    await writeJsonDocument(ctx, store, query, counted(), sink, only === undefined ? EXPORT_ORDER : [only])
  }
  return count
}

/** Lets a long export's pages leave resident memory (see `LmdbStore.relieveMemory`); other stores hold nothing mapped. */
function relieveMemory(store: ReadStore): void {
  const lmdb = store as ReadStore & { relieveMemory?: () => boolean }
  lmdb.relieveMemory?.()
}

/**
 * The JSON export document — `{format, version, exportedAt, schemaVersion, filters?, collections}` —
 * written as the records arrive, each collection of `order` an array of records.
 */
async function writeJsonDocument(ctx: CommandContext, store: ReadStore, query: ReportQuery, records: AsyncIterable<{ collection: CollectionName; record: object }>, sink: OutputSink, order: readonly CollectionName[]): Promise<void> {
  const filters = exportFilters(query)
  const header = { format: 'agent-tracker-export', version: 1, exportedAt: ctx.now().toISOString(), schemaVersion: await store.schemaVersion(), ...(Object.keys(filters).length === 0 ? {} : { filters }) }
  await sink.write(`${JSON.stringify(header, null, 2).slice(0, -2)},\n  "collections": {\n`)
  let index = -1
  let empty = true
  const openNext = async (): Promise<void> => {
    if (index >= 0) await sink.write(empty ? '],\n' : '\n    ],\n')
    index += 1
    await sink.write(`    ${JSON.stringify(order[index])}: [`)
    empty = true
  }
  for await (const { collection, record } of records) {
    const target = order.indexOf(collection)
    while (index < target) await openNext()
    await sink.write(`${empty ? '\n' : ',\n'}${documentRecord(record)}`)
    empty = false
  }
  while (index < order.length - 1) await openNext()
  await sink.write(empty ? ']\n  }\n}\n' : '\n    ]\n  }\n}\n')
}

/**
 * A record as the JSON document holds it: two spaces a level, at the depth of a collection's
 * element (three levels in). It is written inside three arrays and cut out of them, so that
 * JSON.stringify indents it there itself: re-indenting its text afterwards (a `replaceAll` of every
 * line break) made an export of 2,000,000 activities 3% slower (wall and CPU, five paired runs).
 */
function documentRecord(record: object): string {
  return roundedJson([[[record]]], 2).slice(NESTING_HEAD, -NESTING_TAIL)
}

/** What {@link documentRecord}'s three arrays add before the record (`[\n  [\n    [\n`) and after it (`\n    ]\n  ]\n]`). */
const NESTING_HEAD = 12
const NESTING_TAIL = 12

/** The outcomes the recommendations of a narrowed report are judged from: those of its window, project and setups, as every other part of it. */
function recommendScope(query: ReportQuery): RecommendScope {
  const { since, until, project, setup, agent, model } = query
  return { since, until, project, setup, agent, model }
}

/** The backtest saved beside a local database (a team database has none); one that cannot be read is also said on stderr. */
function lastBacktest(ctx: CommandContext, store: ReadStore): LoadedBacktest {
  if (store.team === true) return { status: 'none' }
  const loaded = loadBacktest(store.path)
  if (loaded.status === 'unreadable') ctx.warn('BACKTEST_UNREADABLE', `The last backtest could not be read from ${loaded.path}: ${loaded.problem}. The report says so in its place; ${loaded.fix}.`)
  return loaded
}

/** What the HTML report shows, from the read services: the report, trends, projects, a recommendation per kind of project (judged within the report's filters), and the last backtest saved beside the database (of the whole database, and labelled so when the report is narrowed). */
async function htmlReportData(ctx: CommandContext, store: ReadStore, query: ReportQuery, { window, timeZone }: { window: string; timeZone: string }): Promise<HtmlReportData> {
  // The parts read the same setups and day rollups: each is read once, for all of them.
  const shared = withSharedFinds(store)
  const [report, trends, board, byProject, known, recommendations] = await Promise.all([
    setupReport(shared, query), setupTrends(shared, { ...query, timeZone }), leaderboard(shared, query),
    groupedReport(shared, { ...query, by: 'project' }), projectList(shared), recommendByProfile(shared, {}, { profileFolder }, recommendScope(query)),
  ])
  const filters = Object.entries(appliedFilters(query)).filter(([name]) => name !== 'since' && name !== 'until').map(([name, value]) => `${name} ${value}`).join(' · ')
  const projects = new Map(known.map((project) => [project.path, project]))
  const note = cutDaysNote(report.cutDays)
  // The backtest replays the whole database, whatever the filters: its section says so when there are any.
  const narrowedTo = [window, filters].filter((part) => part !== '').join(' · ')
  return {
    generatedAt: ctx.now().toISOString(),
    database: store.path,
    window,
    ...(filters === '' ? {} : { filters }),
    rows: report.rows,
    projectCount: byProject.groups.filter((group) => group.rows.some((row) => row.commits > 0)).length,
    nonUserChannels: report.nonUserChannels,
    trends,
    trendsTimeZone: timeZone,
    leaderboard: board,
    projects: byProject.groups
      .map((group) => {
        const project = projects.get(group.key)
        const profile = project?.profile
        return { path: group.key, name: project?.name ?? group.key.split(/[\\/]/).at(-1) ?? group.key, ...(profile === undefined ? {} : { kind: [profile.language, profile.framework, profile.scope].join('/') }), rows: group.rows }
      })
      .sort((a, b) => b.rows.reduce((sum, row) => sum + row.commits, 0) - a.rows.reduce((sum, row) => sum + row.commits, 0) || compareText(a.name, b.name)),
    recommendations,
    extraSections: [backtestSection(lastBacktest(ctx, store), narrowedTo)],
    ...(note === undefined ? {} : { cutDaysNote: note }),
  }
}
