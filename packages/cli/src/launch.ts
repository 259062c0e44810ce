import { homedir } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { CompiledBundle } from './compiled-bundle.js'
import { loadCompiled, profileOf } from './compiled-bundle.js'
import { helpCache, isProgramHelp } from './help-cache.js'
import type { Io } from './io.js'
import { runSupervised } from './supervise.js'

// What the `agent-tracker` binary and the package's `./main` export run (bundled as bundle/launch.cjs
// for the binary, bundle/launch.js for the export):
// it loads the command's bundle (bundle/main.script.js, or bundle/hook.script.js for a hook process) through the
// code cache, and runs the command in this process or under a supervisor (see supervise.ts).

interface MainBundle {
  main(argv: readonly string[], io?: Io): Promise<number>
  processIo(): Io
}

interface HookBundle {
  runHookCommand(args: readonly string[], io: Io): Promise<number>
  processIo(): Io
}

/** The bundles beside this launcher, by name: what each exports. */
interface Bundles {
  readonly main: MainBundle
  readonly hook: HookBundle
}

export { exitOnceWritten } from './exit-once-written.js'

/** Runs the command line `args` as the binary `script` does; returns the exit code. */
export async function launch(script: string, args: readonly string[]): Promise<number> {
  // A hook process runs once per event of an agent host: it loads only the hook's code.
  if (args[0] === 'hook' && args[1] !== '--help' && args[1] !== '-h' && args.length > 1) {
    return runCompiled('hook', args, { env: process.env, homeDir: homedir() }, (hook) => hook.runHookCommand(args.slice(1), hook.processIo()))
  }
  if (isProgramHelp(args)) return programHelp(args)
  // The version alone, as commander prints it, without loading the commands.
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    const { CLI_VERSION } = await import('./version.js')
    return printAlone(`${CLI_VERSION}\n`)
  }
  return runSupervised(script, args, (argv) => main(argv))
}

/**
 * Prints the program's help (see `isProgramHelp`): the text kept by an earlier run for this build
 * and width, else the one the commands' bundle renders, which is then kept.
 */
async function programHelp(args: readonly string[]): Promise<number> {
  const where = { env: process.env, homeDir: homedir() }
  // The width commander wraps the help to: the terminal's, or its default when the output is no terminal.
  const width = process.stdout.isTTY ? process.stdout.columns : undefined
  // Read here, not by every command's launch: its package.json is read only for the help and the version.
  const { CLI_VERSION } = await import('./version.js')
  const cache = helpCache(fileURLToPath(new URL('./main.script.js', import.meta.url)), CLI_VERSION, width, where)
  const kept = cache.read()
  if (kept !== undefined) return printAlone(kept)
  const printed = { text: '', elsewhere: false }
  const code = await runCompiled('main', args, where, (bundle) => {
    const io = bundle.processIo()
    // Everything else read through the process's own (its working folder is read only when asked).
    const teed: Io = Object.create(io, {
      stdout: { value: { write: (chunk: string) => ((printed.text += chunk), io.stdout.write(chunk)), isTTY: io.stdout.isTTY, columns: io.stdout.columns } },
      stderr: { value: { write: (chunk: string) => ((printed.elsewhere = true), io.stderr.write(chunk)), isTTY: io.stderr.isTTY } },
    }) as Io
    return bundle.main(args, teed)
  })
  // Only a help printed whole and alone is kept.
  if (code === 0 && !printed.elsewhere && printed.text !== '') cache.save(printed.text)
  return code
}

/**
 * Prints what the launcher answers by itself (the kept help, the version) and exits 0: a reader
 * that leaves early (`agent-tracker --help | head -3`) is no failure.
 */
function printAlone(text: string): number {
  process.stdout.on('error', () => undefined)
  process.stdout.write(text)
  return 0
}

/** Runs the CLI with the given arguments (and the process's own streams unless `io` is given); returns the exit code. */
export async function main(argv: readonly string[], io?: Io): Promise<number> {
  return runCompiled('main', argv, io ?? { env: process.env, homeDir: homedir() }, (bundle) => bundle.main(argv, io))
}

/** Loads a bundle for a command line, runs it, and keeps its code cache when the command succeeded. */
async function runCompiled<N extends keyof Bundles>(name: N, argv: readonly string[], where: Pick<Io, 'env' | 'homeDir'>, run: (exports: Bundles[N]) => Promise<number>): Promise<number> {
  const bundle: CompiledBundle = loadCompiled(fileURLToPath(new URL(`./${name}.script.js`, import.meta.url)), profileOf(argv), where)
  const code = await run(bundle.exports as Bundles[N])
  if (code === 0) bundle.save()
  return code
}
