import { resolve } from 'node:path'
import type { CollectionName, ReportQuery } from '@agent-tracker/core'
import { COLLECTIONS, EXPORT_ORDER, exportFilters, exportRecordStream, leaderboard, setupReport, setupTrends } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { CSV_COLUMNS, csvHeader, csvLine, toCsv } from '../export/csv.js'
import type { OutputSink } from '../export/output-sink.js'
import { outputSink } from '../export/output-sink.js'
import { renderHtmlReport } from '../html/report-html.js'
import type { ReportOptions } from './report.js'
import { appliedFilters, reportQuery, setupFilterOf } from './report.js'

const FORMATS = ['json', 'jsonl', 'csv', 'html'] as const
const TABLES = ['report', ...COLLECTIONS] as const

/**
 * `export --format json|jsonl|csv|html [--out]`: the data for other tools, or a report for people.
 * Records stream a page at a time to the output, so memory stays flat whatever the database's size.
 */
export async function exportCommand(ctx: CommandContext, options: ReportOptions & { format: string; out?: string; table?: string }): Promise<void> {
  const format = options.format as (typeof FORMATS)[number]
  if (!FORMATS.includes(format)) throw new CliError('INVALID_OPTION', `Invalid --format "${options.format}": accepted are ${FORMATS.join(', ')}.`, EXIT.usage)
  const table = (options.table ?? 'report') as (typeof TABLES)[number]
  if (!TABLES.includes(table)) throw new CliError('INVALID_OPTION', `Invalid --table "${options.table ?? ''}": accepted are ${TABLES.join(', ')}.`, EXIT.usage)
  if (ctx.json && (format === 'csv' || format === 'jsonl') && options.out === undefined) {
    throw new CliError('INVALID_OPTION', `--json with --format ${format} needs --out <file>: the export goes to the file and a JSON summary to stdout (or leave out --json to print the export).`, EXIT.usage)
  }
  const store = ctx.openStore('read')
  const query = await reportQuery(ctx, store, options)
  const outFile = options.out ?? (format === 'html' ? 'agent-tracker-report.html' : undefined)
  const path = outFile === undefined ? undefined : resolve(ctx.io.cwd, outFile)
  const sink = outputSink(ctx.io, path)
  const progress = ctx.progress('Exporting')
  let rows: number
  try {
    rows = await writeExport(store, query, format, table, sink, (done) => { progress.update(done) })
  } finally {
    progress.stop()
    await sink.end()
  }
  if (path !== undefined) ctx.print({ path, format, bytes: sink.bytes, rows }, () => `Wrote the ${format.toUpperCase()} export to ${path}`)
}

async function writeExport(store: LmdbStore, query: ReportQuery, format: (typeof FORMATS)[number], table: (typeof TABLES)[number], sink: OutputSink, onRecord: (done: number) => void): Promise<number> {
  if (format === 'html') return writeHtml(store, query, sink)
  if (format === 'csv' && table === 'report') {
    const { rows } = await setupReport(store, query)
    await sink.write(toCsv(rows))
    return rows.length
  }
  const records = exportRecordStream(store, query, { betweenPages: () => store.relieveMemory() })
  let count = 0
  const counted = async function* () {
    for await (const item of records) {
      count += 1
      if (count % 1000 === 0) onRecord(count)
      yield item
    }
  }
  if (format === 'jsonl') {
    for await (const item of counted()) await sink.write(`${JSON.stringify(item)}\n`)
  } else if (format === 'csv') {
    const columns = CSV_COLUMNS[table as CollectionName]
    await sink.write(csvHeader(columns))
    for await (const item of counted()) if (item.collection === table) await sink.write(csvLine(columns, item.record))
    return count
  } else {
    await writeJsonDocument(store, query, counted(), sink)
  }
  return count
}

/**
 * The JSON export document — `{format, version, exportedAt, schemaVersion, filters?, collections}` —
 * written as the records arrive, each collection an array of records.
 */
async function writeJsonDocument(store: LmdbStore, query: ReportQuery, records: AsyncIterable<{ collection: CollectionName; record: object }>, sink: OutputSink): Promise<void> {
  const filters = exportFilters(query)
  const header = { format: 'agent-tracker-export', version: 1, exportedAt: new Date().toISOString(), schemaVersion: await store.schemaVersion(), ...(Object.keys(filters).length === 0 ? {} : { filters }) }
  await sink.write(`${JSON.stringify(header, null, 2).slice(0, -2)},\n  "collections": {\n`)
  let index = -1
  let empty = true
  const openNext = async (): Promise<void> => {
    if (index >= 0) await sink.write(empty ? '],\n' : '\n    ],\n')
    index += 1
    await sink.write(`    ${JSON.stringify(EXPORT_ORDER[index])}: [`)
    empty = true
  }
  for await (const { collection, record } of records) {
    const target = EXPORT_ORDER.indexOf(collection)
    while (index < target) await openNext()
    await sink.write(`${empty ? '\n' : ',\n'}${indent(JSON.stringify(record, null, 2), '      ')}`)
    empty = false
  }
  while (index < EXPORT_ORDER.length - 1) await openNext()
  await sink.write(empty ? ']\n  }\n}\n' : '\n    ]\n  }\n}\n')
}

function indent(text: string, by: string): string {
  return `${by}${text.replaceAll('\n', `\n${by}`)}`
}

async function writeHtml(store: LmdbStore, query: ReportQuery, sink: OutputSink): Promise<number> {
  const report = await setupReport(store, query)
  await sink.write(renderHtmlReport({
    generatedAt: new Date().toISOString(),
    database: store.path,
    window: appliedFilters({ since: query.since, until: query.until, project: query.project }),
    rows: report.rows,
    trends: await setupTrends(store, query),
    leaderboard: await leaderboard(store, setupFilterOf(query)),
    projects: report.projects,
    nonUserChannels: report.nonUserChannels,
  }))
  return report.rows.length
}
