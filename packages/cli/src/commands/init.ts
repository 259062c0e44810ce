import { existsSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { historyLocations } from '@agent-tracker/host-import'
import { formatBytes } from '@agent-tracker/lmdb-store'
import { MEMORY_PATH } from '@agent-tracker/lmdb-store/config'
import { DATABASE_PATH_VARIABLE, locateDatabase } from '@agent-tracker/node-host/database-path'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { WORKING_FOLDER } from '../io.js'
import { listSteps, stepsAfterInit } from '../first-run.js'
import type { ConfigChange } from '../init/edit-config.js'
import { addPluginToConfig, removePluginFromConfig, removePredecessorFromConfig } from '../init/edit-config.js'
import { removeConfig, writeConfig } from '../init/write-config.js'
import { describeFailure } from '../describe-failure.js'
import { shellWord } from '../hooks/shell-quote.js'
import { PLUGIN_NAME, configFileIn, configFilesIn, findPlugin, globalConfigFolder, openCodeConfigFiles, parseConfig, pluginDatabase, pluginOptionsIn, readConfigFile } from '../opencode-config.js'
import { parseSizeLimit } from '../parse-size.js'

const NEW_CONFIG = '{\n  "$schema": "https://opencode.ai/config.json"\n}\n'

/**
 * `init [--global]`: adds the plugin to OpenCode's config — this project's, or the global one in
 * `$XDG_CONFIG_HOME/opencode` (else `~/.config/opencode`) — with the smallest edit: comments,
 * indentation and other entries stay as they were; options already set are kept unless given.
 * This project's config is the one at the root of the git work tree holding the working folder,
 * which OpenCode reads wherever in the repository it starts (a config in a subfolder only when it
 * starts there) — unless a config between the two loads the plugin already: that one is edited,
 * so the plugin is never listed twice. A relative `--database-path` is taken from the working
 * folder, as shells do, and written as an absolute path (the plugin would take it from the home
 * folder); when the plugin's database is not the one the CLI reads, it says how to make the CLI
 * read it. The predecessor's plugin (`opencode-agent-tracker`) is taken out wherever OpenCode
 * would load it beside this one: of the config edited and of the others it reads with it (the
 * project's from the working folder up, or the global ones). `--remove` takes the plugin out.
 */
export function initCommand(ctx: CommandContext, options: { global?: boolean; databasePath?: string; maxSize?: string; remove?: boolean }): void {
  if (options.remove === true) {
    removePlugin(ctx, options)
    return
  }
  const file = options.global === true ? configFileIn(globalConfigFolder(ctx.io), true) : projectConfigFile(ctx)
  const created = !existsSync(file)
  const text = created ? NEW_CONFIG : readConfigFile(file)
  checkedConfig(file, text)
  const pluginOptions = {
    ...(options.databasePath === undefined ? {} : { databasePath: databasePathOption(options.databasePath, ctx) }),
    ...(options.maxSize === undefined ? {} : { maxDatabaseSize: parseSizeLimit(options.maxSize, '--max-size') }),
  }
  const edit = addPluginToConfig(text, pluginOptions)
  const predecessors = predecessorElsewhere(ctx, file, options.global === true)
  const importable = historyFound(ctx)
  const nextSteps = stepsAfterInit(ctx.commands).map((step) => (step.command === 'agent-tracker import' && importable.length > 0
    ? { ...step, does: `bring in the ${importable.map((host) => HOST_NAMES[host]).join(', ')} history already on this machine (try --dry-run first)` }
    : step))
  const changed = edit.changes.length > 0 || predecessors.length > 0
  // A project config not in the working folder is its repository's: said, so the user looks there.
  const where = options.global === true || dirname(file) === ctx.io.cwd ? '' : `, the config of the repository holding ${ctx.io.cwd}, which OpenCode reads wherever in it it starts`
  const databases = databasesAfter(ctx, edit.text)
  const rerun = `agent-tracker init${options.global === true ? ' --global' : ''}`
  const written: string[] = []
  if (edit.changes.length > 0) {
    writeConfig(file, edit.text, { created, already: written, rerun })
    written.push(file)
  }
  for (const other of predecessors) {
    writeConfig(other.file, other.text, { created: false, already: written, rerun })
    written.push(other.file)
  }
  const predecessorRemovedFrom = predecessors.map((other) => other.file)
  ctx.print({ file, created, changed, changes: edit.changes, keptOptions: edit.keptOptions, predecessorRemovedFrom, pluginDatabase: databases.plugin ?? null, cliDatabase: databases.cli, nextSteps, importable }, () => {
    const ours = edit.changes.filter((change) => change.kind !== 'predecessor-removed')
    const head = !changed
      ? `${PLUGIN_NAME} is already in ${file}${Object.keys(pluginOptions).length > 0 ? ' with these options' : ''}; nothing changed.`
      : edit.changes.some((change) => change.kind === 'plugin-added')
        ? `Added ${PLUGIN_NAME} to ${file}${created ? ' (a new file)' : ''}${where}. OpenCode installs it on its next start.`
        : edit.changes.some((change) => change.kind === 'plugin-replaced')
          ? `Put ${PLUGIN_NAME} in the place of the predecessor's plugin in ${file}${where}. OpenCode installs it on its next start, and it brings in the predecessor's database then (or run agent-tracker upgrade).`
          : ours.length > 0
            ? `Updated the ${PLUGIN_NAME} options in ${file}.`
            : `${PLUGIN_NAME} is already in ${file}${Object.keys(pluginOptions).length > 0 ? ' with these options' : ''}; took the predecessor's plugin out.`
    const details = edit.changes.flatMap((change) => describeChange(change, file))
    const elsewhere = predecessors.flatMap((other) => other.removed.flatMap((from) => describeChange({ kind: 'predecessor-removed', from }, other.file)))
    const kept = edit.keptOptions.length === 0 || ours.length === 0 ? [] : [`  kept as they were: ${edit.keptOptions.join(', ')}`]
    const next = nextSteps.length === 0 ? [] : ['', 'Next:', listSteps(nextSteps)]
    return [head, ...details, ...kept, ...elsewhere, ...databases.advice, ...next].join('\n')
  })
}

/**
 * The predecessor's plugin taken out of the other configs OpenCode reads with `file` — the other
 * project configs from the working folder up to its repository's root, or the other global ones:
 * OpenCode would load it beside this plugin there too. Configs that cannot be read or do not
 * parse are left as they are (doctor names them).
 */
function predecessorElsewhere(ctx: CommandContext, file: string, global: boolean): { file: string; text: string; removed: readonly string[] }[] {
  const files = global ? configFilesIn(globalConfigFolder(ctx.io), true) : openCodeConfigFiles(ctx.io).project
  return findPlugin(files.filter((other) => other !== file)).predecessorIn.flatMap((other) => {
    const edit = removePredecessorFromConfig(readConfigFile(other))
    return edit.removed.length === 0 ? [] : [{ file: other, ...edit }]
  })
}

/**
 * The project config `init` edits: the first config from the working folder up to its repository's
 * root that loads the plugin already, else the root's (`opencode.jsonc` or `opencode.json`, made
 * when there is none); outside a repository, the working folder's.
 */
function projectConfigFile(ctx: CommandContext): string {
  const { project, folders } = openCodeConfigFiles(ctx.io)
  return findPlugin(project).configuredIn[0] ?? configFileIn(folders.at(-1) ?? ctx.io.cwd)
}

/**
 * `init --remove [--global]`: takes every entry of the plugin out of the OpenCode configs it
 * reads for this folder — each from the working folder up to its repository's root, or the global
 * ones — with the smallest edits, and says where else OpenCode still loads it. The database and
 * what it holds stay.
 */
function removePlugin(ctx: CommandContext, options: { global?: boolean; databasePath?: string; maxSize?: string }): void {
  if (options.databasePath !== undefined || options.maxSize !== undefined) {
    throw new CliError('USAGE', '--remove takes the plugin out with its options: give it no --database-path or --max-size.', EXIT.usage)
  }
  const folder = options.global === true ? globalConfigFolder(ctx.io) : ctx.io.cwd
  const files = options.global === true ? configFilesIn(folder, true) : openCodeConfigFiles(ctx.io).project
  const edits = files.map((file) => {
    const text = readConfigFile(file)
    checkedConfig(file, text)
    return { file, ...removePluginFromConfig(text) }
  })
  const removedFrom = edits.filter((edit) => edit.removed > 0)
  const written: string[] = []
  // A config left as init makes a new one, the plugin aside, holds nothing of the user's: it goes.
  const deleted = removedFrom.filter((edit) => isNewConfig(edit.text)).map((edit) => edit.file)
  for (const edit of removedFrom) {
    const write = { created: false, already: written, rerun: `agent-tracker init --remove${options.global === true ? ' --global' : ''}` }
    if (deleted.includes(edit.file)) removeConfig(edit.file, write)
    else writeConfig(edit.file, edit.text, write)
    written.push(edit.file)
  }
  const everywhere = openCodeConfigFiles(ctx.io)
  const elsewhere = findPlugin([...everywhere.global, ...everywhere.project]).configuredIn
  const none = options.global === true ? `${configFileIn(folder, true)} (there is no such file)` : `any OpenCode config from ${folder} up to its repository's root (there is none)`
  const looked = files.length === 0 ? none : files.join(', ')
  ctx.print({ removed: removedFrom.length > 0, removedFrom: removedFrom.map((edit) => edit.file), filesRemoved: deleted, stillConfiguredIn: elsewhere }, () => [
    removedFrom.length > 0
      ? `Removed ${PLUGIN_NAME} from ${removedFrom.map((edit) => edit.file).join(', ')}. OpenCode stops recording from its next start; what was recorded stays in the database.`
      : `${PLUGIN_NAME} is not in ${looked}; nothing changed.`,
    ...(deleted.length === 0 ? [] : [`Removed ${deleted.join(', ')}: ${deleted.length === 1 ? 'it' : 'each'} held nothing else, as agent-tracker init made it.`]),
    ...elsewhere.map((other) => `OpenCode still loads it from ${other}: ${other.startsWith(globalConfigFolder(ctx.io)) ? 'agent-tracker init --remove --global' : `agent-tracker init --remove in ${dirname(other)}`}.`),
  ].join('\n'))
}

/**
 * True for a config that is, byte for byte, what `init` writes into a new one ({@link NEW_CONFIG}):
 * it holds nothing of the user's (a `$schema` alone changes nothing OpenCode does), so `--remove`
 * takes it away rather than leave it behind. A file laid out otherwise is the user's, and stays.
 */
function isNewConfig(text: string): boolean {
  return text === NEW_CONFIG
}

/** Refuses a config `init` cannot edit: one that does not parse, or whose `plugin` is not a list. */
function checkedConfig(file: string, text: string): void {
  const parsed = parseConfig(text)
  if (!parsed.ok) throw new CliError('INVALID_CONFIG', `${file} is not a valid OpenCode config (${parsed.problem}); fix it first — nothing was changed.`)
  if (parsed.config.plugin !== undefined && !Array.isArray(parsed.config.plugin)) {
    throw new CliError('INVALID_CONFIG', `${file} has a "plugin" field that is not a list; fix it first — nothing was changed.`)
  }
}

/**
 * The `databasePath` to write: a relative path resolved against the working folder (the plugin
 * would resolve it against the home folder instead); `~/…`, absolute paths and `:memory:` as given.
 * @throws {CliError} USAGE for an empty or blank path; {NodeHostError} INVALID_DATABASE_PATH (a usage error) for a path no host accepts.
 */
function databasePathOption(given: string, ctx: CommandContext): string {
  const path = given.trim()
  // Resolved against the working folder, an empty path would name the project folder itself.
  if (path === '') throw new CliError('USAGE', `--database-path is ${given === '' ? 'empty' : 'blank'}: give the database file the plugin should use — an absolute path, ~/… (the home folder) or a path relative to this folder — or leave --database-path out to keep the shared default.`, EXIT.usage)
  const written = path.startsWith('~') || path === MEMORY_PATH || isAbsolute(path) ? path : resolve(ctx.io.cwd, path)
  locateDatabase({ databasePath: written, env: ctx.io.env, homeDir: ctx.io.homeDir, relativeTo: WORKING_FOLDER })
  return written
}

/**
 * The database the plugin will use after the edit (undefined when it takes the CLI's), the one the
 * CLI reads here without `--db`, and when they differ, how to make the CLI read the plugin's.
 */
function databasesAfter(ctx: CommandContext, text: string): { plugin?: string; cli: string; advice: string[] } {
  const cli = locateDatabase({ env: ctx.io.env, homeDir: ctx.io.homeDir })
  const parsed = parseConfig(text)
  const options = parsed.ok ? pluginOptionsIn(parsed.config) : undefined
  let plugin: string | undefined
  try {
    plugin = options === undefined ? undefined : pluginDatabase(options, ctx.io)
  } catch (error) {
    return { cli: cli.path, advice: ['', `The plugin's databasePath is not usable: ${describeFailure(error).message}`] }
  }
  if (plugin === undefined || plugin === cli.path) return { ...(plugin === undefined ? {} : { plugin }), cli: cli.path, advice: [] }
  const from = cli.origin === 'environment' ? `from ${DATABASE_PATH_VARIABLE}` : 'its default'
  return {
    plugin,
    cli: cli.path,
    advice: [
      '',
      `The plugin records into ${plugin}, but the CLI reads ${cli.path} (${from}). So that the CLI reads what the plugin records:`,
      `  export ${DATABASE_PATH_VARIABLE}=${shellWord(plugin)}   # in your shell profile; or give each command --db ${shellWord(plugin)}`,
    ],
  }
}

function describeChange(change: ConfigChange, file: string): string[] {
  const shown = (option: string, value: unknown): string => (option === 'maxDatabaseSize' && typeof value === 'number' ? formatBytes(value) : JSON.stringify(value))
  switch (change.kind) {
    case 'plugin-added': return []
    case 'plugin-replaced': return [`  replaced: ${change.from} (the predecessor's plugin: both loaded, it would write its own format at the same database path)`]
    case 'predecessor-removed': return [`  removed from ${file}: ${change.from} (the predecessor's plugin: both loaded, it would write its own format at the same database path)`]
    case 'option-added': return [`  ${change.option}: ${shown(change.option, change.value)} (added)`]
    case 'option-changed': return [`  ${change.option}: ${shown(change.option, change.from)} → ${shown(change.option, change.to)}`]
  }
}

const HOST_NAMES = { opencode: 'OpenCode', 'claude-code': 'Claude Code', codex: 'Codex' } as const

/** The agent hosts whose history is already on this machine: day one need not start empty. */
function historyFound(ctx: CommandContext): (keyof typeof HOST_NAMES)[] {
  return Object.values(historyLocations({ env: ctx.io.env, homeDir: ctx.io.homeDir })).filter((location) => location.paths.length > 0).map((location) => location.host)
}
