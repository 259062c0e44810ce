import { resolve } from 'node:path'
import { mergeDatabase } from '@agent-tracker/migrate'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { plural } from '../format.js'

/** `merge <db>`: adds another agent-tracker database (e.g. from another machine) to this one. */
export async function mergeCommand(ctx: CommandContext, other: string): Promise<number> {
  const store = ctx.openStore('write')
  const source = resolve(ctx.io.cwd, other)
  if (source === store.path) throw new CliError('SAME_DATABASE', `${source} is the database being merged into; give another one.`, EXIT.usage)
  const progress = ctx.progress('Merging')
  const report = await mergeDatabase(source, store, { onProgress: (p) => { progress.update(p.processed, p.total) } }).finally(() => { progress.stop() })
  ctx.print({ source, ...report }, () => {
    const head = `Merged ${source}: ${plural(report.migrated, 'record')} added, ${String(report.skipped)} already present.`
    return report.errors.length === 0 ? head : [head, ...report.errors.map((e) => ctx.colours.red(`  ${e.message}`))].join('\n')
  })
  return report.errors.length > 0 ? EXIT.failure : EXIT.ok
}
