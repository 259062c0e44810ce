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

/** The last backtest saved beside a database, or undefined when there is none or it cannot be read as one. */
export function loadBacktest(databasePath: string): SavedBacktest | undefined {
  try {
    const saved = JSON.parse(readFileSync(backtestFilePath(databasePath), 'utf8')) as Partial<SavedBacktest>
    return saved.format === 'agent-tracker-backtest' && saved.version === 1 && saved.summary !== undefined ? (saved as SavedBacktest) : undefined
  } catch {
    return undefined
  }
}
