import { homedir } from 'node:os'
import { resolve } from 'node:path'

// The rest is loaded where it is needed: `--help` and the everyday reads start without it.

/** Set in the environment of the process that runs the command, under its supervisor. */
const SUPERVISED = 'AGENT_TRACKER_SUPERVISED'

/** Signals by which the native LMDB library dies on a damaged file. */
const CRASHES: ReadonlySet<string> = new Set(['SIGSEGV', 'SIGBUS', 'SIGABRT', 'SIGILL', 'SIGFPE', 'SIGTRAP'])

/**
 * The commands that always run under a supervisor: the writers, which must not go on writing into
 * a file that crashed a read; `export`, which reads every record; and `doctor`, which must outlive
 * the damage it is asked about. A supervisor costs a second Node start-up (about 70 ms of CPU, as
 * much again of wall time), so the everyday reads (`report`, `agents`, `status`, …) run in one
 * process: the open-time checks of the data file stop them on damaged meta pages and tree roots,
 * and a database found damaged before (by `doctor --deep` or a crash) gets them supervised too.
 * `upgrade` is not supervised: it writes a new file and renames it into place, so killing it at
 * any moment is safe, and a SIGKILL must stop the process doing the work.
 */
const ALWAYS_SUPERVISED: ReadonlySet<string> = new Set(['ingest', 'grade', 'bug', 'reinstate', 'migrate', 'merge', 'import', 'sync', 'export', 'doctor'])

/** Commands that list by default and write with one of these options. */
const WRITES_WITH: Readonly<Record<string, readonly string[]>> = {
  retro: ['--note'],
  activity: ['--task', '--actions', '--outcome', '--decisions'],
  projects: ['--refresh'],
}

/** Read commands of the local database: supervised only when it was found damaged. */
const READS: ReadonlySet<string> = new Set(['status', 'agents', 'report', 'recommend', 'backtest', 'search', 'history', 'projects', 'retro', 'activity'])

/**
 * Whether this command line runs under a supervisor: `always` (see `ALWAYS_SUPERVISED`, and the
 * listing commands given an option that writes), `if-damaged` for the reads of the local
 * database, `never` for the rest (`--help`, `--version`, `init`, `demo`, `upgrade`, …).
 */
export function supervision(argv: readonly string[]): 'always' | 'if-damaged' | 'never' {
  if (argv.some((arg) => arg === '--help' || arg === '-h' || arg === '--version' || arg === '-V')) return 'never'
  const command = argv.find((arg) => !arg.startsWith('-'))
  if (command === undefined) return 'never'
  if (ALWAYS_SUPERVISED.has(command)) return 'always'
  const writes = WRITES_WITH[command]
  if (writes?.some((option) => argv.some((arg) => arg === option || arg.startsWith(`${option}=`))) === true) return 'always'
  return READS.has(command) ? 'if-damaged' : 'never'
}

/** Signals passed on to the command, which decides what they mean (ingest says how far it got). */
const PASSED_ON: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/**
 * For the commands that need it (`needsSupervisor`), runs the CLI in a child process and waits for it, so that a crash of the native database
 * library on a damaged file (a segfault or bus error no JavaScript can catch) becomes a clear
 * error and exit code 1 instead of the shell's "Segmentation fault"; the database is then
 * remembered as damaged, so writers refuse it until `doctor --deep` finds it intact. The child
 * (`AGENT_TRACKER_SUPERVISED` set) runs `runCommand`. Returns the exit code to exit with.
 */
export async function runSupervised(script: string, argv: readonly string[], runCommand: (argv: readonly string[]) => Promise<number>): Promise<number> {
  const mode = supervision(argv)
  if (mode === 'never') return runCommand(argv)
  if (mode === 'if-damaged' && process.env[SUPERVISED] !== '1') {
    const state = await readState(argv)
    if (!state.damaged && !state.trailed) {
      // In one process, with a trail: should this read die on an unknown damaged page, the next ones are supervised.
      state.leaveTrail()
      return runCommand(argv)
    }
  }
  if (process.env[SUPERVISED] === '1') {
    // Killed outright, the supervisor can pass nothing on: the command dies with it, as one process would.
    process.channel?.unref()
    process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'))
    return runCommand(argv)
  }
  const [{ spawn }, { childNodeFlags }] = await Promise.all([import('node:child_process'), import('./compile-at-once.js')])
  const child = spawn(process.execPath, [...process.execArgv, ...childNodeFlags(), script, ...argv], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], env: { ...process.env, [SUPERVISED]: '1' } })
  const passOn = (signal: NodeJS.Signals): void => {
    child.kill(signal)
  }
  for (const signal of PASSED_ON) process.on(signal, passOn)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('exit', (exitCode, exitSignal) => { done([exitCode, exitSignal]) }))
  for (const passed of PASSED_ON) process.removeListener(passed, passOn)
  // A trail left by a read that died stays until a deep check finds the file intact: the damage
  // that read met may lie where this command did not look.
  if (signal === null) return code ?? 1
  if (!CRASHES.has(signal)) return 128 + signalNumber(signal)
  // Loaded only after a crash: the supervisor itself stays light.
  const [{ markDamaged }, { errorEnvelope, toJsonText }] = await Promise.all([import('@agent-tracker/lmdb-store/damage'), import('./json-envelope.js')])
  const path = await databaseOf(argv)
  const problem = `reading it crashed agent-tracker (${signal})`
  if (path !== undefined) markDamaged(path, problem)
  const where = path ?? 'the database'
  const message = `agent-tracker stopped: ${problem.replace('it', where)}; its file is probably damaged. Run agent-tracker doctor --deep to see where; then restore a backup, or copy everything still readable into a new database with agent-tracker doctor --salvage <new-file>. Writes to it are refused until a deep check finds it intact.`
  if (argv.includes('--json')) process.stdout.write(toJsonText(errorEnvelope(argv.find((arg) => !arg.startsWith('-')) ?? null, 'DATABASE_CRASHED', message)))
  else process.stderr.write(`error ${message}\n`)
  return 1
}

/**
 * What a read needs to know of the database it names before it runs in one process: whether it
 * carries a damage mark, and the trails of earlier reads that died in it (a few file-system calls,
 * no database code loaded).
 */
async function readState(argv: readonly string[]): Promise<{ damaged: boolean; trailed: boolean; leaveTrail: () => void }> {
  const [path, damage] = await Promise.all([databaseOf(argv), import('@agent-tracker/lmdb-store/damage')])
  if (path === undefined) return { damaged: false, trailed: false, leaveTrail: () => undefined }
  return { damaged: damage.damageMark(path) !== undefined, trailed: damage.staleReadTrails(path).length > 0, leaveTrail: () => { damage.leaveReadTrail(path) } }
}

/** The database a command line names (`--db`, else AGENT_TRACKER_DB, else the default), or undefined when that cannot be told. */
async function databaseOf(argv: readonly string[]): Promise<string | undefined> {
  const { locateDatabase } = await import('@agent-tracker/node-host/database-path')
  const index = argv.findIndex((arg) => arg === '--db' || arg.startsWith('--db='))
  const flag = index === -1 ? undefined : argv[index]
  const given = flag === undefined ? undefined : flag.startsWith('--db=') ? flag.slice(5) : argv[index + 1]
  // A throw-away database (`:memory:`) lives in a temporary folder of the command's own: no trails to keep.
  if (given === ':memory:') return undefined
  try {
    const explicit = given === undefined || given.startsWith('~') ? given : resolve(given)
    return locateDatabase({ databasePath: explicit, env: process.env, homeDir: homedir() }).path
  } catch {
    return undefined
  }
}

function signalNumber(signal: NodeJS.Signals): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ?? 0
}
