import { createRequire } from 'node:module'
import type { TrackerStore } from '@agent-tracker/core'
import { redactUrl } from '@agent-tracker/postgres-store/url'
import type * as CliProgress from 'cli-progress'
import { createMemoryStore } from '@agent-tracker/core/testing'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { MEMORY_PATH, folderHoldsOtherFiles, isDataFileAbsent, isLmdbStoreError, locateDataFile } from '@agent-tracker/lmdb-store'
import { quietCommitFailureLogs } from '@agent-tracker/lmdb-store/writes-under-way'
import { locateDatabase, openDatabase } from '@agent-tracker/node-host/database'
import { DATABASE_PATH_VARIABLE } from '@agent-tracker/node-host/database-path'
import pc from 'picocolors'
import { CliError, EXIT } from './cli-error.js'
import { warnIfMarkedDamaged } from './damage-warning.js'
import { firstRunText, noDatabaseNotice } from './first-run.js'
import type { Io } from './io.js'
import { WORKING_FOLDER, absolutePath, colourEnabled, outputWidth } from './io.js'
import type { JsonNotice } from './json-envelope.js'
import { watchLockWaits } from './lock-wait-notice.js'
import { answerEnvelope, toJsonText } from './json-envelope.js'
import { parseSizeLimit } from './parse-size.js'
import type { Column } from './table.js'
import { renderTable } from './table.js'
import { terminalSafe } from './terminal-text.js'
import { resolveTimeZone } from './time/time-zone.js'
import type { ResolvedWindow, WindowFlags } from './time/time-window.js'
import { resolveWindow } from './time/time-window.js'

/** Options every command takes. */
export interface CommonOptions {
  readonly json?: boolean
  readonly db?: string
  /** Only on commands that write. */
  readonly maxSize?: string
  /** Read commands: answer from the team database instead of this machine's. */
  readonly team?: boolean
  /** Read commands with `--team`: only this member's share. */
  readonly member?: string
  /** Only on commands that count days or read dates. */
  readonly timezone?: string
}

/** Which command runs, and which the CLI has (what first steps it can offer). */
export interface CommandIdentity {
  readonly command: string | null
  readonly commands: readonly string[]
}

/**
 * A store to answer questions from, and where it is (an empty one when there is no database yet);
 * `team` when it is the team database (its `path` then names it, it is no folder).
 */
export type ReadStore = TrackerStore & { readonly path: string; readonly team?: true }

/** A progress reporter; a no-op unless stderr is a terminal and output is not JSON. */
export interface Progress {
  update(done: number, total?: number, label?: string): void
  stop(): void
}

/** What an answer from a database marked damaged is called in the warning, by command (default: this answer). */
const DAMAGED_ANSWER: Readonly<Record<string, string>> = { activity: 'this list', export: 'this export', history: 'this history', retro: 'this list', search: 'this search', report: 'this report' }

/** What a command runs with: output, colours, the database. */
export class CommandContext {
  readonly io: Io
  readonly json: boolean
  readonly colours: ReturnType<typeof pc.createColors>
  readonly #options: CommonOptions
  readonly #identity: CommandIdentity
  readonly #stores: TrackerStore[] = []
  readonly #notices: JsonNotice[] = []
  /** The database path, when a read found no database there. */
  #missingDatabase: string | undefined
  /** The zone of {@link timeZone}, once read. */
  #timeZone: string | undefined
  readonly #closers: (() => Promise<void>)[] = []
  /** Whether the writes are watched for waits on the write lock (see {@link #watchLockWaits}). */
  #lockWatch = false

  constructor(io: Io, options: CommonOptions, identity: CommandIdentity = { command: null, commands: [] }) {
    this.io = io
    this.#options = options
    this.#identity = identity
    this.json = options.json === true
    this.colours = pc.createColors(colourEnabled(io))
  }

  /** The current time (the Io's clock, for tests and reproducible reports). */
  now(): Date {
    return this.io.now?.() ?? new Date()
  }

  /**
   * The zone dates are read and days counted in: `--timezone`, else `TZ`, else the machine's.
   * @throws {CliError} INVALID_OPTION (usage) for an unknown zone.
   */
  get timeZone(): string {
    // Read once: a TZ that names no zone is warned of once (a POSIX rule read as a zone noted once), however often a command asks.
    return (this.#timeZone ??= resolveTimeZone(this.#options.timezone, this.io.env, {
      warn: (message) => { this.warn('TIME_ZONE_NOT_READ', message) },
      note: (message) => { this.note(this.colours.dim(message)) },
    }))
  }

  /**
   * The window of `--since`, `--until` and `--days`, in {@link timeZone}.
   * @throws {CliError} INVALID_OPTION (usage) for a bad value or an empty window.
   */
  window(flags: WindowFlags): ResolvedWindow {
    if (flags.since === undefined && flags.until === undefined && flags.days === undefined && this.#options.timezone === undefined) {
      // All time: no zone is needed unless a command asks for it (reading the machine's costs ~15 ms).
      const zone = (): string => this.timeZone
      return { description: '', get timeZone() { return zone() } }
    }
    return resolveWindow(flags, { timeZone: this.timeZone, now: this.now() })
  }

  /** True when this CLI has the command (so a hint may offer it). */
  hasCommand(name: string): boolean {
    return this.#identity.commands.includes(name)
  }

  /** The commands this CLI has. */
  get commands(): readonly string[] {
    return this.#identity.commands
  }

  /** True when a read found no database: the answer is empty because nothing was recorded yet. */
  get missingDatabase(): boolean {
    return this.#missingDatabase !== undefined
  }

  /**
   * The database path given with `--db`, relative to the working directory, if any. A quoted
   * `~…` path the shell did not expand goes to the store as written: it expands `~` and `~/…`
   * and rejects `~user` forms, rather than creating a folder named `~` here; so does `:memory:`,
   * a throw-away database in a temporary folder, not a file of that name here.
   */
  get databasePath(): string | undefined {
    const db = this.#options.db
    if (db === undefined) return undefined
    // An empty one (a script's unset variable) is no path: resolved, it would be the working folder.
    if (db.trim() === '') throw new CliError('USAGE', `--db is ${db === '' ? 'empty' : 'blank'}: give the database's path (e.g. --db ~/agent-tracker.lmdb), or leave --db out for the default ($${DATABASE_PATH_VARIABLE}, else ~/.config/opencode/agent-tracker.lmdb).`, EXIT.usage)
    return db.startsWith('~') || db === MEMORY_PATH ? db : absolutePath(this.io, db)
  }

  /** The size limit given with `--max-size` or `AGENT_TRACKER_MAX_SIZE`, as written. */
  get maxSize(): string | undefined {
    return this.#options.maxSize ?? this.io.env.AGENT_TRACKER_MAX_SIZE
  }

  /** Where {@link maxSize} came from, as the user would name it. */
  get maxSizeOrigin(): string {
    return this.#options.maxSize === undefined ? 'AGENT_TRACKER_MAX_SIZE' : '--max-size'
  }

  #emptyStore(path: string): ReadStore {
    this.#missingDatabase = path
    this.#notices.push(noDatabaseNotice(path))
    const store = Object.assign(createMemoryStore(), { path })
    this.#stores.push(store)
    return store
  }

  /**
   * Opens the database (`--db`, else `AGENT_TRACKER_DB`, else the default): read-only (it must
   * exist) or to write (created when absent, within `--max-size`). Closed by {@link close}.
   * @throws {CliError} for a bad `--max-size`; the kit's and the store's errors for the database.
   */
  openStore(mode: 'read' | 'write'): LmdbStore {
    if (this.#options.team === true && mode === 'write') {
      throw new CliError('USAGE', '--team reads the team database; this command writes to this machine\'s database (run sync to send it on).', EXIT.usage)
    }
    this.#refuseTeamUrl()
    // A read checks no size: a bad AGENT_TRACKER_MAX_SIZE stops the writes, not every command (doctor says what is wrong with it).
    const maxDatabaseSize = mode === 'write' || this.#options.maxSize !== undefined ? this.#maxDatabaseSize() : this.#maxDatabaseSizeIfValid()
    const store = openDatabase({
      databasePath: this.databasePath,
      relativeTo: WORKING_FOLDER,
      env: this.io.env,
      homeDir: this.io.homeDir,
      readOnly: mode === 'read',
      ...(maxDatabaseSize === undefined ? {} : { maxDatabaseSize }),
      // In a terminal, a wait of seconds is said before it starts (scripts and --json are not told).
      ...(this.json || this.io.stderr.isTTY !== true ? {} : {
        onLongUpgrade: ({ records }) => this.io.stderr.write(`Upgrading the database from release 0.1.0 (${String(records)} records, once); this can take a while…\n`),
      }),
    })
    this.#stores.push(store)
    if (mode === 'write') {
      // lmdb-js's own log of a failed commit is said again, readably, by the error this command ends with.
      quietCommitFailureLogs()
      this.#watchLockWaits(store)
    }
    return store
  }

  /**
   * Where this machine's database is (`--db`, else `AGENT_TRACKER_DB`, else the default), for a
   * command that looks for it before opening it (`sync` says when there is nothing to send yet).
   * A `--db postgres://…` is refused here as {@link openStore} refuses it: taken for a path, it
   * named a folder of the working directory, and a message about that folder showed the password.
   * @throws {CliError} USAGE when `--db` names a team database.
   */
  localDatabasePath(): string {
    this.#refuseTeamUrl()
    return this.#localDatabase().path
  }

  /** @throws {CliError} USAGE when `--db` names a team database, for a command that works on this machine's. */
  #refuseTeamUrl(): void {
    if (this.teamUrl !== undefined) {
      throw new CliError('USAGE', `--db ${redactUrl(this.teamUrl)} names a team database: only read commands take one (with --team, they read the configured one); this command works on this machine's database.`, EXIT.usage)
    }
  }

  /** In a terminal, says when a write of this command waits for another process's write lock (see `watchLockWaits`); once per command. */
  #watchLockWaits(store: LmdbStore): void {
    if (this.json || this.io.stderr.isTTY !== true || this.#lockWatch) return
    this.#lockWatch = true
    const holder = (): number | 'none' | undefined => {
      const found = store.writeLockHolder()
      return found.state === 'held' ? found.pid : found.state === 'free' ? 'none' : undefined
    }
    const stop = watchLockWaits(store.path, (text) => {
      this.note(this.colours.yellow(text))
    }, holder)
    this.onClose(() => {
      stop()
      return Promise.resolve()
    })
  }

  /**
   * Opens the database to change what it holds (a grade, a bug, a reinstatement, a note): as
   * {@link openStore} to write, but only when it is there — there is nothing to change in a
   * database that is not, and a mistyped `--db` must not leave an empty one behind. `read` opens
   * it read-only, for a dry run of such a change.
   * @throws {CliError} NO_DATABASE when there is no database at the path; what {@link openStore} throws.
   */
  openExistingStore(what: string, mode: 'read' | 'write' = 'write'): LmdbStore {
    const store = this.openStoreIfThere(mode)
    if (store !== undefined) return store
    throw new CliError('NO_DATABASE', `There is no agent-tracker database at ${this.#localDatabase().path}, so there is no ${what} there; nothing was created. Check --db (or AGENT_TRACKER_DB): agent-tracker doctor says which database the plugin and the hooks write to.`)
  }

  /**
   * The database to write, opened as {@link openStore} does when it is there (so what is wrong with
   * it is said at once); undefined when there is none yet, for a command that makes it only once it
   * has something to write (an input of good lines, a source that can be merged); `read` opens it
   * read-only instead.
   */
  openStoreIfThere(mode: 'read' | 'write' = 'write'): LmdbStore | undefined {
    // A bad --max-size is a usage error whatever else is wrong.
    this.#maxDatabaseSize()
    const local = this.#options.team === true || this.teamUrl !== undefined ? undefined : this.#localDatabase()
    return local?.absent === true ? undefined : this.openStore(mode)
  }

  /** {@link #maxDatabaseSize}, or undefined (the default) when it is no size. */
  #maxDatabaseSizeIfValid(): number | undefined {
    try {
      return this.#maxDatabaseSize()
    } catch {
      return undefined
    }
  }

  /** The size limit `--max-size` (else `AGENT_TRACKER_MAX_SIZE`) gives, if any. @throws {CliError} for one that is no size. */
  #maxDatabaseSize(): number | undefined {
    const flag = this.#options.maxSize
    const maxSize = flag ?? this.io.env.AGENT_TRACKER_MAX_SIZE
    return maxSize === undefined ? undefined : parseSizeLimit(maxSize, flag === undefined ? 'AGENT_TRACKER_MAX_SIZE' : '--max-size')
  }

  /** The team database URL given with `--db postgres://…`, if any. */
  get teamUrl(): string | undefined {
    const db = this.#options.db
    return db !== undefined && /^postgres(ql)?:\/\//.test(db) ? db : undefined
  }

  /**
   * Opens the store a read command answers from: the team database with `--team` (or
   * `--db postgres://…`), for one member's share with `--member`; else this machine's database
   * (`--db`, else `AGENT_TRACKER_DB`, else the default), read-only. When there is no local database
   * yet, an empty store answers (and {@link print} says how to start instead). Closed by {@link close}.
   * @throws {CliError} when no team database is configured or the member has never synced; the kit's
   * and the stores' errors for a database that is there but cannot be read.
   */
  async readStore(): Promise<ReadStore> {
    if (this.#options.team !== true && this.teamUrl === undefined) {
      if (this.#options.member !== undefined) throw new CliError('USAGE', '--member filters the team database: add --team (or --db postgres://…).', EXIT.usage)
      return this.#localReadStore()
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
    return Object.assign(store, { path: `team database ${store.schema}${member === undefined ? '' : ` (${member})`}`, team: true as const })
  }

  /**
   * Set once a read has warned that its database carries a damage mark (see `warnIfMarkedDamaged`):
   * the command then exits 1 however it answered.
   */
  damageWarned = false

  /**
   * The local database's path, and whether no database is there yet. A folder of other files
   * is no database yet to be: opening it is refused, as writes do. Whether the file is there is all
   * this needs: the open checks it in full (a second full check here read its meta pages and tree
   * roots twice, ~2 ms of every read command).
   */
  #localDatabase(): { readonly path: string; readonly absent: boolean } {
    const { path } = locateDatabase({ databasePath: this.databasePath, env: this.io.env, homeDir: this.io.homeDir, relativeTo: WORKING_FOLDER })
    const located = locateDataFile(path)
    return { path, absent: isDataFileAbsent(located.dataFile) && (located.noSubdir || !folderHoldsOtherFiles(path)) }
  }

  #localReadStore(): ReadStore {
    const { path, absent } = this.#localDatabase()
    if (absent) return this.#emptyStore(path)
    let store: ReadStore
    try {
      store = this.openStore('read')
    } catch (error) {
      // Removed between the check and the open.
      if (isLmdbStoreError(error, 'DATABASE_UNREADABLE') && error.details.reason === 'missing') return this.#emptyStore(path)
      throw error
    }
    // Every answer from a file found damaged may be short: said before it, whatever the command.
    warnIfMarkedDamaged(this, store, DAMAGED_ANSWER[this.#identity.command ?? ''] ?? 'this answer')
    return store
  }

  /** Runs `closer` when the command ends (e.g. to close a connection it opened). */
  onClose(closer: () => Promise<void>): void {
    this.#closers.push(closer)
  }

  /**
   * Prints the answer: with `--json` the envelope `{ version, command, data }` (see
   * docs/json-output.md), else the text from `render` — or, when there is no database yet, what to
   * do to start.
   */
  print(data: unknown, render: () => string): void {
    if (this.json) this.io.stdout.write(toJsonText(answerEnvelope(this.#identity.command, data, this.#notices)))
    else if (this.#missingDatabase !== undefined) this.io.stdout.write(`${firstRunText(this.#missingDatabase, this.#identity.commands)}\n`)
    else this.io.stdout.write(`${terminalSafe(render(), this.colours.isColorSupported)}\n`)
  }

  /** What a JSON reader is told besides the answer so far (e.g. that there is no database yet), for output written without {@link print}. */
  get notices(): readonly JsonNotice[] {
    return this.#notices
  }

  /** Something that went wrong beside an answer that stands: said to people on stderr, and to JSON readers among the envelope's notices. */
  warn(code: string, message: string): void {
    this.#notices.push({ code, message })
    this.note(this.colours.yellow(message))
  }

  /** Something a JSON reader is told among the envelope's notices, which people read in the answer itself (it is not said again on stderr). */
  notice(code: string, message: string): void {
    if (this.json) this.#notices.push({ code, message })
  }

  /** A note for people (to stderr, never in JSON output). */
  note(text: string): void {
    if (!this.json) this.io.stderr.write(`${terminalSafe(text, this.colours.isColorSupported)}\n`)
  }

  /** A table fitted to the terminal. */
  table<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
    return renderTable(columns, rows, { width: outputWidth(this.io), colour: (text) => this.colours.bold(text), coloursOn: this.colours.isColorSupported })
  }

  /** A progress bar on stderr for long work. */
  progress(label: string): Progress {
    if (this.json || this.io.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined }
    // Loaded here, not at start-up: its module costs ~20 ms and only long work in a terminal draws a bar.
    const { SingleBar } = createRequire(import.meta.url)('cli-progress') as typeof CliProgress
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
        started = false
      },
    }
  }

  /** Closes every store the command opened. */
  async close(): Promise<void> {
    await Promise.all([...this.#stores.splice(0).map((store) => store.close()), ...this.#closers.splice(0).map((closer) => closer())])
  }
}

