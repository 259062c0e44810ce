import type { ShellCommand, ShellWord } from './parse-shell.js'
import { parseShell } from './parse-shell.js'

/** A program a command line runs, with the wrappers around it taken off. */
export interface RunCommand {
  /** The program's file name, without folder or version: `grep`, `agent-tracker`, `python3`. */
  readonly name: string
  /** The word that names it (which may be an expansion, like `$(which agent-tracker)`). */
  readonly program: ShellWord
  readonly args: readonly ShellWord[]
  /** The simple command as written: its redirections and its place in a pipeline. */
  readonly source: ShellCommand
  /** Set when the program runs on file names another gives it: `xargs` (from stdin) or `find -exec`. */
  readonly feeder?: 'xargs' | 'find'
  /** The script it is part of, for looking at the other commands of its pipeline. */
  readonly script: readonly ShellCommand[]
}

/** Options of wrappers that take a value, by wrapper. */
const WRAPPER_VALUE_OPTIONS: Readonly<Record<string, ReadonlySet<string>>> = {
  env: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
  sudo: new Set(['-u', '--user', '-g', '--group', '-h', '--host', '-p', '--prompt', '-C', '--close-from', '-D', '--chdir', '-r', '--role', '-t', '--type', '-T', '--command-timeout']),
  doas: new Set(['-u', '-C']),
  nice: new Set(['-n', '--adjustment']),
  ionice: new Set(['-c', '--class', '-n', '--classdata', '-p', '--pid']),
  timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
  stdbuf: new Set(['-i', '-o', '-e', '--input', '--output', '--error']),
  exec: new Set(['-a']),
  xargs: new Set(['-a', '--arg-file', '-d', '--delimiter', '-E', '-e', '--eof', '-I', '-i', '--replace', '-L', '-l', '--max-lines', '-n', '--max-args', '-P', '--max-procs', '-s', '--max-chars']),
  npx: new Set(['-p', '--package', '-c', '--call', '--cache', '--userconfig', '--registry']),
  flock: new Set(['-w', '--timeout', '-E', '--conflict-exit-code']),
  chroot: new Set(['--userspec', '--groups']),
  taskset: new Set(['-p', '--pid']),
  watch: new Set(['-n', '--interval', '-d', '--differences']),
}

/** Wrappers that run the rest of their words as a command, after their options. */
const PREFIX_WRAPPERS = new Set(['env', 'sudo', 'doas', 'nohup', 'exec', 'command', 'builtin', 'time', 'nice', 'ionice', 'stdbuf', 'setsid', 'unbuffer', 'chronic', 'caffeinate', 'strace', 'ltrace', 'xvfb-run', 'torsocks', 'proxychains', 'proxychains4', 'firejail', 'catchsegv', 'faketime', 'taskset', 'chroot', 'dotenv', 'then', 'do', 'else'])
/** Wrappers whose first word after the options is not the command: `timeout 10 cmd`, `flock file cmd`, `chroot dir cmd`, `taskset mask cmd`. */
const SKIP_ONE = new Set(['timeout', 'flock', 'chroot', 'taskset', 'faketime'])
/** Shells that run a command line given with `-c`. */
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'busybox', 'rbash'])
/** Package runners: `npx pkg`, `pnpm exec pkg`, `bunx pkg` … run the package's program. */
const PNPM_OWN = new Set(['add', 'install', 'i', 'remove', 'rm', 'update', 'up', 'list', 'ls', 'outdated', 'audit', 'why', 'run', 'test', 't', 'start', 'publish', 'pack', 'link', 'unlink', 'store', 'init', 'import', 'rebuild', 'prune', 'fetch', 'patch', 'config', 'setup', 'env', 'root', 'bin', 'licenses', 'deploy', 'server', 'recursive', 'create'])
const MAX_NESTING = 6

/**
 * Thrown by {@link commandsRun} for a command line it cannot read to the end: command lines
 * nested in one another (`sh -c`, `eval`) deeper than {@link MAX_NESTING}, or commands nested
 * deeper than the parser reads (`$(…)` in `$(…)` …). What it did not read could run anything, so a
 * guard that meets it holds the call back.
 */
export class ShellTooDeepError extends Error {
  constructor(what: string) {
    super(`its ${what} are nested too deep to read`)
    this.name = 'ShellTooDeepError'
  }
}

/**
 * The programs a command line runs, at every nesting level: with `env`/`sudo`/`nohup`/`timeout`
 * and the like taken off, package runners (`npx`, `npm exec`, `pnpm exec`/`dlx`, `yarn`, `bunx`)
 * resolved to the package's program, `node script.js` to the script, the command lines of
 * `sh -c`/`bash -lc`/`eval`/`su -c`/`script -c` parsed in turn, and the programs `xargs` and
 * `find -exec` run marked as such.
 * @throws {ShellTooDeepError} for a command line nested too deep to read to the end.
 */
export function commandsRun(script: string, nesting = 0): readonly RunCommand[] {
  const known = nesting === 0 ? RECENT.get(script) : undefined
  if (known !== undefined) return known
  const parsed = parseShell(script)
  if (parsed.tooDeep) throw new ShellTooDeepError('commands')
  const runs = parsed.commands.flatMap((command) => unwrap(command, command.words, parsed.commands, nesting))
  if (nesting === 0) {
    // Every guard of a tool call reads the same command line: parse it once.
    if (RECENT.size >= MAX_RECENT) RECENT.delete(RECENT.keys().next().value ?? '')
    RECENT.set(script, runs)
  }
  return runs
}

const MAX_RECENT = 32
const RECENT = new Map<string, readonly RunCommand[]>()

function unwrap(source: ShellCommand, words: readonly ShellWord[], script: readonly ShellCommand[], nesting: number, feeder?: RunCommand['feeder']): RunCommand[] {
  let rest = words
  let via = feeder
  for (let guard = 0; ; guard++) {
    // A command wrapped more times than anyone writes is not read on: it is held back, as one nested too deep.
    if (guard >= MAX_WRAPPERS) throw new ShellTooDeepError(`wrappers (${rest.slice(0, 3).map((word) => word.text).join(' ')} …)`)
    const program = rest[0]
    if (program === undefined) return []
    const name = programName(program)
    const args = rest.slice(1)
    const nestedScript = inlineScript(name, args) ?? splitString(name, args)
    if (nestedScript !== undefined) {
      if (nesting >= MAX_NESTING) throw new ShellTooDeepError(`command lines (${name} in ${name} …)`)
      return [{ name, program, args, source, script, ...(via === undefined ? {} : { feeder: via }) }, ...commandsRun(nestedScript, nesting + 1)]
    }
    const runner = runnerTarget(name, args)
    if (runner !== undefined) {
      if (runner.length === 0) return [{ name, program, args, source, script }]
      rest = runner
      continue
    }
    if (PREFIX_WRAPPERS.has(name) || SKIP_ONE.has(name) || name === 'xargs' || name === 'watch') {
      if (name === 'command' && args.some((arg) => arg.text === '-v' || arg.text === '-V')) return [{ name, program, args, source, script }]
      const after = afterOptions(args, WRAPPER_VALUE_OPTIONS[name] ?? new Set())
      const skipped = SKIP_ONE.has(name) ? after.slice(1) : after
      // `env` takes assignments before the command.
      const command = name === 'env' ? skipped.filter((_, index) => !skipped.slice(0, index + 1).every((word) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.text))) : skipped
      if (name === 'xargs') via = 'xargs'
      if (command.length === 0) return [{ name, program, args, source, script, ...(via === undefined ? {} : { feeder: via }) }]
      rest = command
      continue
    }
    const found: RunCommand = { name, program, args, source, script, ...(via === undefined ? {} : { feeder: via }) }
    return name === 'find' ? [found, ...findExecs(source, args, script, nesting)] : [found]
  }
  return []
}

/** npm packages whose program has another name. */
const PACKAGE_PROGRAMS: Readonly<Record<string, string>> = { '@agent-tracker/cli': 'agent-tracker', 'opencode-ai': 'opencode' }

/**
 * The file name of the program a word names: folders, an npm version and `.exe`/`.js`-like
 * extensions taken off, npm packages by their program's name. An expansion that mentions
 * agent-tracker (`$(which agent-tracker)`) is taken to name it.
 */
export function programName(word: ShellWord): string {
  if (word.dynamic && word.raw.includes('agent-tracker')) return 'agent-tracker'
  const text = word.text.replace(/\/+$/, '')
  const scoped = /^(@[^/@]+\/[^/@]+)(?:@.*)?$/.exec(text)
  const name = scoped?.[1] ?? (text.split('/').at(-1) ?? text).replace(/@[^@]*$/, '')
  const program = PACKAGE_PROGRAMS[name] ?? (scoped === null ? name : (name.split('/')[1] ?? name))
  return program.replace(/\.(?:exe|cmd|js|cjs|mjs|ts)$/, '')
}

/** The words after a wrapper's own options (and their values). */
function afterOptions(args: readonly ShellWord[], withValue: ReadonlySet<string>): readonly ShellWord[] {
  let index = 0
  while (index < args.length) {
    const text = args[index]?.text ?? ''
    if (text === '--') return args.slice(index + 1)
    if (!text.startsWith('-') || text === '-') break
    index += withValue.has(text) ? 2 : 1
  }
  return args.slice(index)
}

/** The command line a shell, `eval`, `su -c` or `script -c` runs, if the words give one. */
function inlineScript(name: string, args: readonly ShellWord[]): string | undefined {
  if (name === 'eval') return args.map((arg) => arg.text).join(' ')
  if (SHELLS.has(name) || name === 'su' || name === 'script' || name === 'runuser') {
    for (let index = 0; index < args.length; index++) {
      const text = args[index]?.text ?? ''
      if (text === '--') break
      // `-c`, and bundled short options ending in c: `-lc`, `-ec`, `-xc`. The command line is the
      // first word after it that is no option: `sh -c -- 'cmd'`, `bash -c -e 'cmd'`.
      if (/^-[A-Za-z]*c$/.test(text) || text === '--command') return afterOptions(args.slice(index + 1), new Set())[0]?.text ?? ''
      if (text.startsWith('--command=')) return text.slice('--command='.length)
    }
  }
  return undefined
}

/** How many wrappers (`env`, `sudo`, `nohup`, runners …) around one command are read through. */
const MAX_WRAPPERS = 16

/** The command line `env -S 'cmd args'` (`--split-string`) splits into words and runs, with the words after it. */
function splitString(name: string, args: readonly ShellWord[]): string | undefined {
  if (name !== 'env') return undefined
  for (let index = 0; index < args.length; index++) {
    const text = args[index]?.text ?? ''
    if (text === '--' || !text.startsWith('-')) return undefined
    const separate = text === '-S' || text === '--split-string'
    const value = separate ? args[index + 1]?.text : text.startsWith('--split-string=') ? text.slice('--split-string='.length) : /^-S./.test(text) ? text.slice(2) : undefined
    if (value !== undefined) return [value, ...args.slice(index + (separate ? 2 : 1)).map((word) => word.text)].join(' ')
  }
  return undefined
}

/** For a package runner, the words of the command it runs (empty when it runs none); else undefined. */
function runnerTarget(name: string, args: readonly ShellWord[]): readonly ShellWord[] | undefined {
  const first = args[0]?.text
  switch (name) {
    case 'npx':
    case 'bunx':
    case 'pnpx':
      return afterOptions(args, WRAPPER_VALUE_OPTIONS.npx ?? new Set())
    case 'npm':
      return first === 'exec' || first === 'x' ? afterOptions(args.slice(1), WRAPPER_VALUE_OPTIONS.npx ?? new Set()) : undefined
    case 'pnpm':
    case 'yarn': {
      const words = afterOptions(args, new Set(['-C', '--dir', '--filter', '-F', '--cwd']))
      const verb = words[0]?.text
      if (verb === 'exec' || verb === 'dlx' || verb === 'x') return afterOptions(words.slice(1), new Set(['--package', '-p']))
      return verb === undefined || PNPM_OWN.has(verb) ? undefined : words
    }
    case 'bun':
      if (first === 'x') return afterOptions(args.slice(1), new Set())
      return first === 'run' && args[1] !== undefined && !/\.(?:[cm]?[jt]sx?)$/.test(args[1].text) ? args.slice(1) : undefined
    case 'node':
    case 'nodejs':
    case 'tsx':
    case 'ts-node': {
      // `node [options] script args`: the script is the program; `node -e` runs code, not a program.
      if (args.some((arg) => /^(?:-e|--eval|-p|--print)$/.test(arg.text))) return undefined
      const script = afterOptions(args, new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--conditions', '-C', '--env-file', '--input-type']))
      return script.length === 0 ? undefined : script
    }
    default:
      return undefined
  }
}

/** The programs `find … -exec prog … ;` (also `-execdir`, `-ok`, `-okdir`) runs on the files it finds. */
function findExecs(source: ShellCommand, args: readonly ShellWord[], script: readonly ShellCommand[], nesting: number): RunCommand[] {
  const runs: RunCommand[] = []
  for (let index = 0; index < args.length; index++) {
    if (!/^-(?:exec|execdir|ok|okdir)$/.test(args[index]?.text ?? '')) continue
    const end = args.findIndex((arg, at) => at > index && (arg.text === ';' || arg.text === '+'))
    const words = args.slice(index + 1, end === -1 ? args.length : end)
    runs.push(...unwrap(source, words, script, nesting, 'find'))
    index = end === -1 ? args.length : end
  }
  return runs
}
