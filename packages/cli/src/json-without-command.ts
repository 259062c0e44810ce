/** Arguments that answer without a command: the program's help and its version. */
const ANSWERS_ALONE: ReadonlySet<string> = new Set(['--help', '-h', '--version', '-v', '-V'])

/**
 * What to say when `--json` is given without a command (`agent-tracker --json`): `--json` belongs
 * to the commands, every one of which takes it, so the message names them; undefined when the
 * arguments name a command (or `help`), or ask for the help or the version, which are text.
 *
 * A first word that is no option is where a command goes, so it is taken as one even when no
 * command has that name: `agent-tracker staus --json` is a mistyped command, and the unknown-command
 * error (naming `staus`, suggesting `status`) helps where "--json needs a command" would mislead.
 */
export function jsonWithoutCommand(argv: readonly string[], commands: readonly string[]): string | undefined {
  if (!argv.includes('--json') || argv.some((arg) => ANSWERS_ALONE.has(arg))) return undefined
  const first = argv[0]
  if (first !== undefined && !first.startsWith('-')) return undefined
  const names = new Set([...commands, 'help'])
  if (argv.some((arg) => names.has(arg))) return undefined
  return `--json needs a command: every command takes it (agent-tracker <command> --json). The commands are ${commands.join(', ')}.`
}
