import { resolve } from 'node:path'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { openDatabase } from '@agent-tracker/node-host/database'
import { SingleBar } from 'cli-progress'
import pc from 'picocolors'
import type { Io } from './io.js'
import { colourEnabled, outputWidth } from './io.js'
import { parseSizeLimit } from './parse-size.js'
import type { Column } from './table.js'
import { renderTable } from './table.js'

/** Options every command takes. */
export interface CommonOptions {
  readonly json?: boolean
  readonly db?: string
  readonly maxSize?: string
}

/** A progress reporter; a no-op unless stderr is a terminal and output is not JSON. */
export interface Progress {
  update(done: number, total?: number, label?: string): void
  stop(): void
}

/** What a command runs with: output, colours, the database. */
export class CommandContext {
  readonly io: Io
  readonly json: boolean
  readonly colours: ReturnType<typeof pc.createColors>
  readonly #options: CommonOptions
  readonly #stores: LmdbStore[] = []

  constructor(io: Io, options: CommonOptions) {
    this.io = io
    this.#options = options
    this.json = options.json === true
    this.colours = pc.createColors(colourEnabled(io))
  }

  /**
   * The database path given with `--db`, relative to the working directory, if any. A quoted
   * `~…` path the shell did not expand goes to the store as written: it expands `~` and `~/…`
   * and rejects `~user` forms, rather than creating a folder named `~` here.
   */
  get databasePath(): string | undefined {
    const db = this.#options.db
    if (db === undefined) return undefined
    return db.startsWith('~') ? db : resolve(this.io.cwd, db)
  }

  /** The size limit given with `--max-size` or `AGENT_TRACKER_MAX_SIZE`, as written. */
  get maxSize(): string | undefined {
    return this.#options.maxSize ?? this.io.env.AGENT_TRACKER_MAX_SIZE
  }

  /** Where {@link maxSize} came from, as the user would name it. */
  get maxSizeOrigin(): string {
    return this.#options.maxSize === undefined ? 'AGENT_TRACKER_MAX_SIZE' : '--max-size'
  }

  /**
   * Opens the database (`--db`, else `AGENT_TRACKER_DB`, else the default): read-only unless the
   * command writes. Closed by {@link close}.
   * @throws {CliError} for a bad `--max-size`; the kit's and the store's errors for the database.
   */
  openStore(mode: 'read' | 'write'): LmdbStore {
    const flag = this.#options.maxSize
    const maxSize = flag ?? this.io.env.AGENT_TRACKER_MAX_SIZE
    const store = openDatabase({
      databasePath: this.databasePath,
      env: this.io.env,
      homeDir: this.io.homeDir,
      readOnly: mode === 'read',
      ...(maxSize === undefined ? {} : { maxDatabaseSize: parseSizeLimit(maxSize, flag === undefined ? 'AGENT_TRACKER_MAX_SIZE' : '--max-size') }),
    })
    this.#stores.push(store)
    return store
  }

  /** Prints the result: JSON of `data` with `--json`, else the text from `render`. */
  print(data: unknown, render: () => string): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(data, null, 2)}\n`)
    else this.io.stdout.write(`${render()}\n`)
  }

  /** A note for people (to stderr, never in JSON output). */
  note(text: string): void {
    if (!this.json) this.io.stderr.write(`${text}\n`)
  }

  /** A table fitted to the terminal. */
  table<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
    return renderTable(columns, rows, { width: outputWidth(this.io), colour: (text) => this.colours.bold(text) })
  }

  /** A progress bar on stderr for long work. */
  progress(label: string): Progress {
    if (this.json || this.io.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined }
    const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {label}`, stream: this.io.stderr as NodeJS.WritableStream, hideCursor: true, clearOnComplete: true })
    let started = false
    return {
      update: (done, total, step) => {
        if (!started) {
          bar.start(total ?? done, done, { label: step ?? '' })
          started = true
        }
        if (total !== undefined) bar.setTotal(total)
        bar.update(done, { label: step ?? '' })
      },
      stop: () => {
        if (started) bar.stop()
      },
    }
  }

  /** Closes every store the command opened. */
  async close(): Promise<void> {
    await Promise.all(this.#stores.splice(0).map((store) => store.close()))
  }
}
