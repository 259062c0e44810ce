import { homedir } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { CompiledBundle } from './compiled-bundle.js'
import { loadCompiled, profileOf } from './compiled-bundle.js'
import type { Io } from './io.js'
import { runSupervised } from './supervise.js'

// What the `agent-tracker` binary and the package's `./main` export run (bundled as bundle/launch.js):
// it loads the command's bundle (bundle/main.script.js, or bundle/hook.script.js for a hook process) through the
// code cache, and runs the command in this process or under a supervisor (see supervise.ts).

interface MainBundle {
  main(argv: readonly string[], io?: Io): Promise<number>
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

/** Runs the command line `args` as the binary `script` does; returns the exit code. */
export async function launch(script: string, args: readonly string[]): Promise<number> {
  // A hook process runs once per event of an agent host: it loads only the hook's code.
  if (args[0] === 'hook' && args[1] !== '--help' && args[1] !== '-h' && args.length > 1) {
    return runCompiled('hook', args, { env: process.env, homeDir: homedir() }, (hook) => hook.runHookCommand(args.slice(1), hook.processIo()))
  }
  return runSupervised(script, args, (argv) => main(argv))
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
