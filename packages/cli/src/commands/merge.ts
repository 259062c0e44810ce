import { resolve } from 'node:path'
import type { AgentState } from '@agent-tracker/core'
import type { MigrationReport } from '@agent-tracker/migrate'
import { mergeDatabase } from '@agent-tracker/migrate'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { plural, score } from '../format.js'

/** `merge <db>`: adds another agent-tracker database (e.g. from another machine) to this one. */
export async function mergeCommand(ctx: CommandContext, other: string): Promise<number> {
  const timeZone = ctx.timeZone
  const store = ctx.openStore('write')
  const source = resolve(ctx.io.cwd, other)
  if (source === store.path) throw new CliError('SAME_DATABASE', `${source} is the database being merged into; give another one.`, EXIT.usage)
  const progress = ctx.progress('Merging')
  const report = await mergeDatabase(source, store, { timeZone, onProgress: (p) => { progress.update(p.processed, p.total) } }).finally(() => { progress.stop() })
  ctx.print({ source, ...report }, () => describeMerge(ctx, source, report))
  return report.errors.length > 0 ? EXIT.failure : EXIT.ok
}

/** The lines that say what a merge (or an import of the predecessor's database) did. */
export function describeMerge(ctx: CommandContext, source: string, report: MigrationReport): string {
  const combined = report.combined ?? []
  const lines = [`Merged ${source}: ${plural(report.migrated, 'record')} added, ${String(report.skipped)} already present.`]
  if (combined.length > 0) {
    lines.push(`${plural(combined.length, 'setup')} ${combined.length === 1 ? 'was' : 'were'} in both databases; ${combined.length === 1 ? 'its' : 'their'} scores were added together (before → after):`)
    for (const { id, before, after } of combined) lines.push(`  ${id}: ${scoreChanges(before, after)}`)
  }
  for (const note of report.notes ?? []) lines.push(note)
  for (const error of report.errors) lines.push(ctx.colours.red(`  ${error.position === undefined ? '' : `${error.position}: `}${error.message}`))
  return lines.join('\n')
}

/** `commits 3 → 5, bugs 1 → 2, …`: the counters and scores a combination changed. */
export function scoreChanges(before: AgentState, after: AgentState): string {
  const fields: [string, (state: AgentState) => number, (value: number) => string][] = [
    ['commits', (s) => s.commits, String], ['bugs', (s) => s.bugs, String], ['pushes', (s) => s.pushes, String],
    ['grades', (s) => s.agentGrades.count + s.userGrades.count, String], ['tool calls', (s) => s.toolCalls, String],
    ['SP', (s) => s.skillPoints, score], ['XP', (s) => s.experience, score], ['CS', (s) => s.communication, score],
  ]
  const changed = fields.filter(([, read]) => read(before) !== read(after)).map(([name, read, show]) => `${name} ${show(read(before))} → ${show(read(after))}`)
  return changed.length === 0 ? 'no change' : changed.join(', ')
}
