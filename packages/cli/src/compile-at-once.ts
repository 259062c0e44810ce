import { setFlagsFromString } from 'node:v8'

/** Node options that say how V8 compiles hot loops: when the user chose, their choice stands. */
const CHOSEN = /concurrent-osr|concurrent-recompilation|single-threaded|--jitless|--no-opt\b/

/**
 * Runs `work` — long numeric loops in a process that lives for one command, such as the
 * recommendation's model — with V8 compiling a hot loop's optimised code on the spot when it asks
 * for it (`--no-concurrent-osr`) instead of on a background thread while the loop runs on,
 * unoptimised. In a long-lived process the background is better: the loop never waits. Here the
 * model's loops run for tens of milliseconds in all, and the loop went on interpreted for most of
 * the time its compilation took (the recommendation's model: ~20 ms less over the whole command).
 * The setting is put back afterwards, as the other commands' shorter loops are better off with it.
 * Left as it is when the Node options say anything about compiling (the user's choice), and
 * where the engine takes no such flag (another runtime: `work` simply runs).
 */
export function withLoopsCompiledAtOnce<T>(work: () => T, engine: Engine = { options: nodeOptionsGiven(), setFlags: setFlagsFromString }): T {
  if (compilingChosen(engine.options)) return work()
  let set = false
  try {
    engine.setFlags('--no-concurrent-osr')
    set = true
  } catch {
    // An engine without V8's flags.
  }
  try {
    return work()
  } finally {
    if (set) engine.setFlags('--concurrent-osr')
  }
}

/** Whether the Node options say how V8 compiles (see {@link CHOSEN}): then agent-tracker leaves it be. */
function compilingChosen(options: readonly string[]): boolean {
  return options.some((option) => CHOSEN.test(option))
}

/** The Node options this process was started with: its command line's and NODE_OPTIONS. */
function nodeOptionsGiven(): string[] {
  return [...process.execArgv, process.env.NODE_OPTIONS ?? '']
}

/** The Node options the process was started with, and how its engine's flags are set. */
export interface Engine {
  readonly options: readonly string[]
  setFlags(flags: string): void
}

/**
 * The Node flags for a Node process agent-tracker starts (a command's supervised child, a hook's
 * detached worker, a search-index build): `--no-concurrent-recompilation`, so that V8 compiles
 * optimised code on the main thread. A process that compiles in the background can hang for good
 * on its way out on Node 20 (see `exitOnceWritten`); one that does not, cannot: 0 of 300 such
 * `recommend`s hung where 41 of 800 did (two at a time on two busy cores). V8 reads the flag once,
 * as it starts: only a process started with it gains it. None when the Node options given say how
 * to compile (the user's choice), or under another runtime.
 */
export function childNodeFlags(options: readonly string[] = nodeOptionsGiven(), versions: NodeJS.ProcessVersions = process.versions): readonly string[] {
  if (versions.bun !== undefined) return []
  return compilingChosen(options) ? [] : ['--no-concurrent-recompilation']
}
