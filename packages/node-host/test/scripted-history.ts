import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

const DAY_MS = 24 * 60 * 60 * 1000

/** A git repository whose commits are made at chosen times, for evidence tests. */
export class ScriptedHistory {
  readonly folder: string
  #clock: number

  /** A new repository in `folder`, its clock starting `daysAgo` days before now. */
  constructor(folder: string, daysAgo: number) {
    this.folder = folder
    this.#clock = Date.now() - daysAgo * DAY_MS
    mkdirSync(folder, { recursive: true })
    this.git('init', '-q', '-b', 'main')
    this.git('config', 'user.email', 'dev@example.com')
    this.git('config', 'user.name', 'Dev')
    this.git('config', 'commit.gpgsign', 'false')
  }

  /** Runs git in the repository at the clock's time; returns what it printed. */
  git(...args: string[]): string {
    const date = new Date(this.#clock).toISOString()
    return execFileSync('git', args, { cwd: this.folder, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } }).trim()
  }

  /** Moves the clock on. */
  wait(days: number): this {
    this.#clock += days * DAY_MS
    return this
  }

  /** The clock, ISO. */
  get now(): string {
    return new Date(this.#clock).toISOString()
  }

  /** Writes files (creating folders) and commits them all; returns the new commit's hash. Advances the clock an hour. */
  commit(message: string, files: Record<string, string> = {}): string {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.folder, file)), { recursive: true })
      writeFileSync(join(this.folder, file), content)
    }
    this.git('add', '-A')
    this.git('commit', '-q', '--allow-empty', '-m', message)
    this.#clock += 60 * 60 * 1000
    return this.head()
  }

  /** HEAD's hash. */
  head(): string {
    return this.git('rev-parse', 'HEAD')
  }
}

/** `count` numbered lines `<name> 1` … as file content. */
export function lines(name: string, count: number): string {
  return Array.from({ length: count }, (_, index) => `const ${name}${String(index + 1)} = ${String(index + 1)}\n`).join('')
}
