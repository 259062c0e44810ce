import { damageMark } from '@agent-tracker/lmdb-store/damage'
import type { CommandContext, ReadStore } from './context.js'

/**
 * Warns — on stderr, and among the JSON notices — that the local database a read answers from
 * carries a damage mark (`doctor --deep`, or a read that crashed in it, found it damaged), naming
 * what was found: what the read gives may lack the records on the damaged pages, and nothing
 * tells which. Once per command (every read opens through `readStore`, which warns). True when it
 * warned, now or before; the command then does not exit 0 (see `main`).
 */
export function warnIfMarkedDamaged(ctx: CommandContext, store: ReadStore, what: string): boolean {
  if (ctx.damageWarned) return true
  if (store.team === true || ctx.missingDatabase) return false
  const mark = damageMark(store.path)
  if (mark === undefined) return false
  ctx.damageWarned = true
  ctx.warn('DATABASE_DAMAGED', `${store.path} was found damaged (${mark.at}: ${mark.problem}), so ${what} may lack the records on its damaged pages, and nothing tells which. Copy everything still readable into a new database with agent-tracker doctor --salvage <new-file> and use that, or restore a backup; agent-tracker doctor --deep checks the file again.`)
  return true
}
