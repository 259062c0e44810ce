import { resolve } from 'node:path'
import type { TrackerStore } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { openDatabase } from '@agent-tracker/node-host/database'
import { SingleBar } from 'cli-progress'
import pc from 'picocolors'
import { CliError, EXIT } from './cli-error.js'
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
  /** Read commands: answer from the team database instead of this machine's. */
  readonly team?: boolean
  /** Read commands with `--team`: only this member's share. */
  readonly member?: string
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
  readonly #closers: (() => Promise<void>)[] = []

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
    if (this.#options.team === true && mode === 'write') {
      throw new CliError('USAGE', '--team reads the team database; this command writes to this machine\'s database (run sync to send it on).', EXIT.usage)
    }
    if (this.teamUrl !== undefined) {
      throw new CliError('USAGE', `--db ${this.teamUrl.replace(/:[^:@/]*@/, ':***@')} names a team database: only read commands take one (with --team, they read the configured one); this command works on this machine's database.`, EXIT.usage)
    }
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

  /** The team database URL given with `--db postgres://…`, if any. */
  get teamUrl(): string | undefined {
    const db = this.#options.db
    return db !== undefined && /^postgres(ql)?:\/\//.test(db) ? db : undefined
  }

  /**
   * Opens the store a read command answers from: the team database with `--team` (or
   * `--db postgres://…`), for one member's share with `--member`; else this machine's database,
   * read-only. Closed by {@link close}.
   * @throws {CliError} when no team database is configured or the member has never synced; the stores' errors.
   */
  async openReadStore(): Promise<TrackerStore> {
    if (this.#options.team !== true && this.teamUrl === undefined) {
      if (this.#options.member !== undefined) throw new CliError('USAGE', '--member filters the team database: add --team (or --db postgres://…).', EXIT.usage)
      return this.openStore('read')
    }
    const { openTeamStore, requireTeamSettings } = await import('./team.js')
    const settings = requireTeamSettings(this.io, { url: this.teamUrl })
    const member = this.#options.member
    const store = await openTeamStore(settings, 'read', member ?? '')
    this.onClose(() => store.close())
    if (member !== undefined) {
      const members = await store.members()
      if (!members.includes(member)) {
        throw new CliError('UNKNOWN_MEMBER', `No member "${member}" has synced to the team database${members.length === 0 ? ' yet' : `; members: ${members.join(', ')}`}.`, EXIT.usage)
      }
    }
    return store
  }

  /** Runs `closer` when the command ends (e.g. to close a connection it opened). */
  onClose(closer: () => Promise<void>): void {
    this.#closers.push(closer)
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
    await Promise.all([...this.#stores.splice(0).map((store) => store.close()), ...this.#closers.splice(0).map((closer) => closer())])
  }
}
