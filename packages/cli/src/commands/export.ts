import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { ReportQuery } from '@agent-tracker/core'
import { COLLECTIONS, exportRecords, groupedReport, leaderboard, projectList, recommendByProfile, setupReport, setupTrends } from '@agent-tracker/core'
import { profileFolder } from '@agent-tracker/node-host'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext, ReadStore } from '../context.js'
import type { HtmlReportData } from '../html/report-data.js'
import { renderHtmlReport } from '../html/report-html.js'
import type { ReportOptions } from './report.js'
import { reportScope, setupFilterOf } from './report.js'

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
  const store = ctx.readStore()
  const { query, window } = await reportScope(ctx, store, options)
  if (ctx.missingDatabase) {
    ctx.print({ path: null, format, bytes: 0, rows: 0 }, () => '')
    return
  }
  let content: string
  let rows: number
  if (format === 'json') {
    const { filters, collections } = await exportRecords(store, query)
    rows = Object.values(collections).reduce((sum, records) => sum + records.length, 0)
    const header = { format: 'agent-tracker-export', version: 1, exportedAt: ctx.now().toISOString(), schemaVersion: await store.schemaVersion() }
    const document = { ...header, ...(Object.keys(filters).length === 0 ? {} : { filters }), collections }
    if (ctx.json && options.out === undefined) {
      ctx.print(document, () => '')
      return
    }
    content = `${JSON.stringify(document, null, 2)}\n`
  } else if (format === 'csv') {
    const records: readonly object[] = table === 'report' ? (await setupReport(store, query)).rows : (await exportRecords(store, query)).collections[table]
    content = toCsv(records)
    rows = records.length
  } else {
    const data = await htmlReportData(ctx, store, query, window.description)
    rows = data.rows.length
    content = renderHtmlReport(data)
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

/** What the HTML report shows, from the read services: the report, trends, projects and a recommendation per kind of project. */
async function htmlReportData(ctx: CommandContext, store: ReadStore, query: ReportQuery, window: string): Promise<HtmlReportData> {
  const [report, trends, board, byProject, known, recommendations] = await Promise.all([
    setupReport(store, query), setupTrends(store, query), leaderboard(store, setupFilterOf(query)),
    groupedReport(store, { ...query, by: 'project' }), projectList(store), recommendByProfile(store, {}, { profileFolder }),
  ])
  const projects = new Map(known.map((project) => [project.path, project]))
  return {
    generatedAt: ctx.now().toISOString(),
    database: store.path,
    window,
    rows: report.rows,
    projectCount: report.projects,
    nonUserChannels: report.nonUserChannels,
    trends,
    leaderboard: board,
    projects: byProject.groups
      .map((group) => {
        const project = projects.get(group.key)
        const profile = project?.profile
        return { path: group.key, name: project?.name ?? group.key.split(/[\\/]/).at(-1) ?? group.key, ...(profile === undefined ? {} : { kind: [profile.language, profile.framework, profile.scope].join('/') }), rows: group.rows }
      })
      .sort((a, b) => b.rows.reduce((sum, row) => sum + row.commits, 0) - a.rows.reduce((sum, row) => sum + row.commits, 0) || a.name.localeCompare(b.name)),
    recommendations,
  }
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
