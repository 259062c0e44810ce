import { readFileSync, writeFileSync } from 'node:fs'
import type { BacktestFigures, BacktestSummary } from '@agent-tracker/core'

/** The last backtest of a database, as saved beside it for the HTML report. */
export interface SavedBacktest {
  readonly format: 'agent-tracker-backtest'
  readonly version: 1
  readonly at: string
  readonly database: string
  readonly every: number
  readonly horizon: number
  readonly summary: BacktestSummary
  readonly figures: BacktestFigures
}

/** Where the last backtest of a database is kept: a file beside it, `<database>-backtest.json` (as LMDB keeps `<database>-lock`). */
export function backtestFilePath(databasePath: string): string {
  return `${databasePath.replace(/[\\/]+$/, '')}-backtest.json`
}

/** Saves a backtest beside its database; returns the file's path. */
export function saveBacktest(saved: SavedBacktest): string {
  const path = backtestFilePath(saved.database)
  writeFileSync(path, `${JSON.stringify(saved, null, 2)}\n`)
  return path
}

/** The last backtest beside a database: none saved, the saved one, or a file there that is not one (or cannot be read). */
export type LoadedBacktest =
  | { readonly status: 'none' }
  | { readonly status: 'saved'; readonly saved: SavedBacktest }
  | { readonly status: 'unreadable'; readonly path: string; readonly problem: string; /** What to do about it. */ readonly fix: string }

/** The last backtest saved beside a database (see {@link LoadedBacktest}): a file that is there but is no backtest is said as such, not taken for none. */
export function loadBacktest(databasePath: string): LoadedBacktest {
  const path = backtestFilePath(databasePath)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { status: 'none' }
    if (code === 'EISDIR') return { status: 'unreadable', path, problem: 'it is a folder, not a file', fix: 'remove or rename that folder, then run agent-tracker backtest to save one there' }
    return { status: 'unreadable', path, problem: `it cannot be read (${code ?? (error as Error).message})`, fix: 'make it readable, or run agent-tracker backtest again to replace it' }
  }
  let saved: Partial<SavedBacktest> | null
  try {
    saved = JSON.parse(text) as Partial<SavedBacktest> | null
  } catch (error) {
    return { status: 'unreadable', path, problem: `it is not JSON (${(error as Error).message})`, fix: 'run agent-tracker backtest again to replace it' }
  }
  if (saved?.format !== 'agent-tracker-backtest' || saved.version !== 1 || typeof saved.summary !== 'object' || typeof saved.figures !== 'object') {
    return { status: 'unreadable', path, problem: 'it is not a backtest saved by this release (format agent-tracker-backtest, version 1, with a summary and figures)', fix: 'run agent-tracker backtest again to replace it' }
  }
  return { status: 'saved', saved: saved as SavedBacktest }
}
