import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { historyLocations } from '@agent-tracker/host-import'
import { formatBytes } from '@agent-tracker/lmdb-store'
import { CliError } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { listSteps, stepsAfterInit } from '../first-run.js'
import type { ConfigChange } from '../init/edit-config.js'
import { addPluginToConfig } from '../init/edit-config.js'
import { PLUGIN_NAME, configFileIn, globalConfigFolder, parseConfig } from '../opencode-config.js'
import { parseSizeLimit } from '../parse-size.js'

const NEW_CONFIG = '{\n  "$schema": "https://opencode.ai/config.json"\n}\n'

/**
 * `init [--global]`: adds the plugin to OpenCode's config — this project's, or the global one in
 * `$XDG_CONFIG_HOME/opencode` (else `~/.config/opencode`) — with the smallest edit: comments,
 * indentation and other entries stay as they were; options already set are kept unless given.
 */
export function initCommand(ctx: CommandContext, options: { global?: boolean; databasePath?: string; maxSize?: string }): void {
  const folder = options.global === true ? globalConfigFolder(ctx.io) : ctx.io.cwd
  const file = configFileIn(folder, options.global === true)
  const created = !existsSync(file)
  const text = created ? NEW_CONFIG : readFileSync(file, 'utf8')
  const parsed = parseConfig(text)
  if (!parsed.ok) throw new CliError('INVALID_CONFIG', `${file} is not a valid OpenCode config (${parsed.problem}); fix it first — nothing was changed.`)
  if (parsed.config.plugin !== undefined && !Array.isArray(parsed.config.plugin)) {
    throw new CliError('INVALID_CONFIG', `${file} has a "plugin" field that is not a list; fix it first — nothing was changed.`)
  }
  const pluginOptions = {
    ...(options.databasePath === undefined ? {} : { databasePath: options.databasePath }),
    ...(options.maxSize === undefined ? {} : { maxDatabaseSize: parseSizeLimit(options.maxSize, '--max-size') }),
  }
  const edit = addPluginToConfig(text, pluginOptions)
  const importable = historyFound(ctx)
  const nextSteps = stepsAfterInit(ctx.commands).map((step) => (step.command === 'agent-tracker import' && importable.length > 0
    ? { ...step, does: `bring in the ${importable.map((host) => HOST_NAMES[host]).join(', ')} history already on this machine (try --dry-run first)` }
    : step))
  const changed = edit.changes.length > 0
  if (changed) {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, edit.text)
  }
  ctx.print({ file, created, changed, changes: edit.changes, keptOptions: edit.keptOptions, nextSteps, importable }, () => {
    const head = !changed
      ? `${PLUGIN_NAME} is already in ${file}${Object.keys(pluginOptions).length > 0 ? ' with these options' : ''}; nothing changed.`
      : edit.changes.some((change) => change.kind === 'plugin-added')
        ? `Added ${PLUGIN_NAME} to ${file}${created ? ' (a new file)' : ''}. OpenCode installs it on its next start.`
        : `Updated the ${PLUGIN_NAME} options in ${file}.`
    const details = edit.changes.flatMap((change) => describeChange(change))
    const kept = edit.keptOptions.length === 0 || !changed ? [] : [`  kept as they were: ${edit.keptOptions.join(', ')}`]
    const next = nextSteps.length === 0 ? [] : ['', 'Next:', listSteps(nextSteps)]
    return [head, ...details, ...kept, ...next].join('\n')
  })
}

function describeChange(change: ConfigChange): string[] {
  const shown = (option: string, value: unknown): string => (option === 'maxDatabaseSize' && typeof value === 'number' ? formatBytes(value) : JSON.stringify(value))
  switch (change.kind) {
    case 'plugin-added': return []
    case 'option-added': return [`  ${change.option}: ${shown(change.option, change.value)} (added)`]
    case 'option-changed': return [`  ${change.option}: ${shown(change.option, change.from)} → ${shown(change.option, change.to)}`]
  }
}

const HOST_NAMES = { opencode: 'OpenCode', 'claude-code': 'Claude Code', codex: 'Codex' } as const

/** The agent hosts whose history is already on this machine: day one need not start empty. */
function historyFound(ctx: CommandContext): (keyof typeof HOST_NAMES)[] {
  return Object.values(historyLocations({ env: ctx.io.env, homeDir: ctx.io.homeDir })).filter((location) => location.paths.length > 0).map((location) => location.host)
}
