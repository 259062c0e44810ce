import { appendFileSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Fact } from '@agent-tracker/core/host'

/** The folder beside a database where its Claude Code hooks keep what waits for the next flush. */
export function pendingFolder(databasePath: string): string {
  return `${databasePath}.pending`
}

/**
 * Facts the tool hooks recorded and the next flush writes. Claude Code runs a process per hook, so
 * the write buffer every host keeps in memory is a folder of JSON-lines files here: a tool hook
 * appends to its session's file (no database opened), and the hooks at a turn's end (Stop), a
 * session's end, a push or a user command take every file and write its facts in one transaction.
 * Fact ids make a file written twice (a flush that failed half-way) count once.
 */
export class PendingFacts {
  readonly folder: string

  /** The pending facts of the database at `databasePath`, beside it. */
  constructor(databasePath: string) {
    this.folder = pendingFolder(databasePath)
  }

  /** Appends facts to the session's file, in one write. */
  add(session: string, facts: readonly Fact[]): void {
    if (facts.length === 0) return
    mkdirSync(this.folder, { recursive: true })
    appendFileSync(join(this.folder, `${session.replace(/[^\w.-]/g, '_')}.jsonl`), facts.map((fact) => `${JSON.stringify(fact)}\n`).join(''))
  }

  /**
   * Takes every file (renamed first, so hooks running meanwhile start new ones), with files a flush
   * that failed left behind; `done` removes them once their facts are written.
   */
  take(): { facts: unknown[]; done: () => void } {
    let names: string[]
    try {
      names = readdirSync(this.folder)
    } catch {
      return { facts: [], done: () => undefined }
    }
    const taken: string[] = []
    for (const name of names) {
      const from = join(this.folder, name)
      if (name.endsWith('.taken')) {
        taken.push(from)
        continue
      }
      if (!name.endsWith('.jsonl')) continue
      const to = `${from}.${String(process.pid)}.${String(Date.now())}.taken`
      try {
        renameSync(from, to)
        taken.push(to)
      } catch {
        // Another hook took it first.
      }
    }
    const facts = taken.flatMap((file) => {
      try {
        return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').flatMap((line) => {
          try {
            return [JSON.parse(line) as unknown]
          } catch {
            return []
          }
        })
      } catch {
        return []
      }
    })
    return { facts, done: () => {
      for (const file of taken) rmSync(file, { force: true })
    } }
  }
}
