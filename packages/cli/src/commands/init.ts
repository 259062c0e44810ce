import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { historyLocations } from '@agent-tracker/host-import'
import type { ParseError } from 'jsonc-parser'
import { applyEdits, modify, parse, printParseErrorCode } from 'jsonc-parser'
import { CliError, EXIT } from '../cli-error.js'
import type { CommandContext } from '../context.js'
import { parseSizeLimit } from '../parse-size.js'

/** The package name OpenCode loads the plugin by. */
export const PLUGIN_NAME = '@agent-tracker/opencode-plugin'

const NEW_CONFIG = '{\n  "$schema": "https://opencode.ai/config.json"\n}\n'

/** `init [--global]`: adds the plugin to opencode.json, keeping the rest of the file (comments too). */
export function initCommand(ctx: CommandContext, options: { global?: boolean; databasePath?: string; maxSize?: string }): void {
  const folder = options.global === true ? join(ctx.io.homeDir, '.config', 'opencode') : ctx.io.cwd
  const file = [join(folder, 'opencode.jsonc'), join(folder, 'opencode.json')].find((candidate) => existsSync(candidate)) ?? join(folder, 'opencode.json')
  const text = existsSync(file) ? readFileSync(file, 'utf8') : NEW_CONFIG
  const errors: ParseError[] = []
  const config: unknown = parse(text, errors, { allowTrailingComma: true })
  if (errors.length > 0 || typeof config !== 'object' || config === null || Array.isArray(config)) {
    const first = errors[0]
    const where = first === undefined ? '' : ` (${printParseErrorCode(first.error)} at offset ${String(first.offset)})`
    throw new CliError('INVALID_CONFIG', `${file} is not a valid OpenCode config${where}; fix it first — nothing was changed.`)
  }
  const pluginOptions = {
    ...(options.databasePath === undefined ? {} : { databasePath: options.databasePath }),
    ...(options.maxSize === undefined ? {} : { maxDatabaseSize: parseSizeLimit(options.maxSize, '--max-size') }),
  }
  const entry = Object.keys(pluginOptions).length === 0 ? PLUGIN_NAME : [PLUGIN_NAME, pluginOptions]
  const plugins: unknown = (config as { plugin?: unknown }).plugin
  if (plugins !== undefined && !Array.isArray(plugins)) throw new CliError('INVALID_CONFIG', `${file} has a "plugin" field that is not a list; fix it first — nothing was changed.`, EXIT.failure)
  const list = (plugins ?? []) as unknown[]
  const index = list.findIndex((item) => item === PLUGIN_NAME || (Array.isArray(item) && item[0] === PLUGIN_NAME))
  const offer = importOffer(ctx)
  if (index !== -1 && entry === PLUGIN_NAME) {
    ctx.print({ file, changed: false, importable: offer.sources }, () => [`${PLUGIN_NAME} is already in ${file}; nothing changed.`, ...offer.lines].join('\n'))
    return
  }
  const path = index === -1 ? ['plugin', list.length] : ['plugin', index]
  const edits = modify(text, plugins === undefined ? ['plugin'] : path, plugins === undefined ? [entry] : entry, { formattingOptions: { insertSpaces: true, tabSize: 2 } })
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, applyEdits(text, edits))
  ctx.print({ file, changed: true, entry, importable: offer.sources }, () => [`Added ${PLUGIN_NAME} to ${file}. OpenCode installs it on its next start.`, ...offer.lines].join('\n'))
}

/** The agent history already on this machine, and how to bring it in: day one need not start empty. */
function importOffer(ctx: CommandContext): { sources: string[]; lines: string[] } {
  const names = { opencode: 'OpenCode', 'claude-code': 'Claude Code', codex: 'Codex' }
  const found = Object.values(historyLocations({ env: ctx.io.env, homeDir: ctx.io.homeDir })).filter((location) => location.paths.length > 0)
  if (found.length === 0) return { sources: [], lines: [] }
  return {
    sources: found.map((location) => location.host),
    lines: [`This machine already holds ${found.map((location) => names[location.host]).join(', ')} history: bring it in with \`agent-tracker import\` (try --dry-run first).`],
  }
}
