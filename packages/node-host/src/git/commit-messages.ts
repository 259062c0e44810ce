// What the `git commit`s of a command line say: how many there are, and the message each gives.
/** A `git commit` of a command line, after any options of git's own (`-C <dir>`, `-c <name>=<value>`, `--no-pager`, `--git-dir=<dir>`). */
const GIT_COMMIT = /(^|[\s;&|(])git(\s+-[Cc]\s+\S+|\s+--[\w-]+(?:=\S+)?)*\s+commit\b/g
const MESSAGE = /\s(?:-[a-zA-Z]*m|--message)(?:=|\s*)("((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s;&|]+))/

/**
 * The message each `git commit` of a command line gives with `-m`/`--message` (its first,
 * unquoted), in the order they come; undefined for one that gives none (`--amend --no-edit`, `-F`).
 */
export function commitMessagesOf(command: string): (string | undefined)[] {
  const commits = [...command.matchAll(GIT_COMMIT)]
  return commits.map((commit, index) => {
    const option = MESSAGE.exec(command.slice(commit.index + commit[0].length, commits[index + 1]?.index ?? command.length))
    return option === null ? undefined : (option[2]?.replace(/\\(.)/g, '$1') ?? option[3] ?? option[4])
  })
}

/** The message the first `git commit` of a command line gives with `-m`/`--message` (its first, unquoted), if any. */
export function commitMessageOf(command: string): string | undefined {
  return commitMessagesOf(command)[0]
}
