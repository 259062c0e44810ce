import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { COLLECTIONS, exportRecords, leaderboard, setupReport, setupTrends } from '@agent-tracker/core'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { renderHtmlReport } from '../html/report-html.js'
import type { ReportOptions } from './report.js'
import { appliedFilters, reportQuery, setupFilterOf } from './report.js'

const FORMATS = ['json', 'csv', 'html'] as const
const TABLES = ['report', ...COLLECTIONS] as const

/** `export --format json|csv|html [--out]`: the data for other tools, or a report for people. */
export async function exportCommand(ctx: CommandContext, options: ReportOptions & { format: string; out?: string; table?: string }): Promise<void> {
  const format = options.format as (typeof FORMATS)[number]
  if (!FORMATS.includes(format)) throw new CliError('INVALID_OPTION', `Invalid --format "${options.format}": accepted are ${FORMATS.join(', ')}.`, EXIT.usage)
  const table = (options.table ?? 'report') as (typeof TABLES)[number]
  if (!TABLES.includes(table)) throw new CliError('INVALID_OPTION', `Invalid --table "${options.table ?? ''}": accepted are ${TABLES.join(', ')}.`, EXIT.usage)
  if (ctx.json && format === 'csv' && options.out === undefined) {
    throw new CliError('INVALID_OPTION', '--json with --format csv needs --out <file>: the CSV goes to the file and a JSON summary to stdout (or leave out --json to print the CSV).', EXIT.usage)
  }
  const store = ctx.openStore('read')
  const query = await reportQuery(ctx, store, options)
  let content: string
  let rows: number
  if (format === 'json') {
    const { filters, collections } = await exportRecords(store, query)
    rows = Object.values(collections).reduce((sum, records) => sum + records.length, 0)
    const header = { format: 'agent-tracker-export', version: 1, exportedAt: new Date().toISOString(), schemaVersion: await store.schemaVersion() }
    content = `${JSON.stringify({ ...header, ...(Object.keys(filters).length === 0 ? {} : { filters }), collections }, null, 2)}\n`
  } else if (format === 'csv') {
    const records: readonly object[] = table === 'report' ? (await setupReport(store, query)).rows : (await exportRecords(store, query)).collections[table]
    content = toCsv(records)
    rows = records.length
  } else {
    const report = await setupReport(store, query)
    rows = report.rows.length
    content = renderHtmlReport({
      generatedAt: new Date().toISOString(),
      database: store.path,
      window: appliedFilters({ since: query.since, until: query.until, project: query.project }),
      rows: report.rows,
      trends: await setupTrends(store, query),
      leaderboard: await leaderboard(store, setupFilterOf(query)),
      projects: report.projects,
      nonUserChannels: report.nonUserChannels,
    })
  }
  const out = options.out ?? (format === 'html' ? 'agent-tracker-report.html' : undefined)
  if (out === undefined) {
    ctx.io.stdout.write(content)
    return
  }
  const path = resolve(ctx.io.cwd, out)
  writeFileSync(path, content)
  ctx.print({ path, format, bytes: Buffer.byteLength(content), rows }, () => `Wrote the ${format.toUpperCase()} export to ${path}`)
}

/** Rows as CSV (RFC 4180), nested objects flattened to dotted columns. */
export function toCsv(rows: readonly object[]): string {
  const flat = rows.map((row) => flatten(row))
  const headers = [...new Set(flat.flatMap((row) => Object.keys(row)))]
  const cell = (value: unknown): string => {
    const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)
    return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  return `${[headers.join(','), ...flat.map((row) => headers.map((header) => cell(row[header])).join(','))].join('\r\n')}\r\n`
}

function flatten(value: object, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) Object.assign(out, flatten(inner as object, `${prefix}${key}.`))
    else out[`${prefix}${key}`] = inner
  }
  return out
}
