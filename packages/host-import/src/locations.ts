import { existsSync, readdirSync, statSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import type { HostName } from '@agent-tracker/core'
import { isFolder } from './files/find-files.js'
import type { HistoryLocation } from './history-events.js'

/** What the location rules read: the environment and the home folder. */
export interface LocationSources {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly homeDir: string
}

/**
 * Where OpenCode keeps its history: its SQLite databases in its data folder
 * (`$XDG_DATA_HOME/opencode`, else `~/.local/share/opencode`) — `opencode.db` and the
 * `opencode-<channel>.db` of other release channels, or the one `OPENCODE_DB` names — and the JSON
 * storage of versions before 1.2 (`storage/`), which OpenCode leaves in place.
 */
export function opencodeLocation(sources: LocationSources): HistoryLocation {
  const dataHome = nonEmpty(sources.env.XDG_DATA_HOME) ?? join(sources.homeDir, '.local', 'share')
  const data = join(dataHome, 'opencode')
  const named = nonEmpty(sources.env.OPENCODE_DB)
  const databases = named !== undefined && named !== ':memory:'
    ? [isAbsolute(named) ? named : resolve(data, named)]
    : listFiles(data).filter((name) => /^opencode(?:-[\w.-]+)?\.db$/.test(name)).map((name) => join(data, name))
  const storage = join(data, 'storage')
  const paths = [...databases.filter(isFile), ...(isFolder(join(storage, 'session')) ? [storage] : [])]
  return { host: 'opencode', paths, searched: [...(named === undefined ? [join(data, 'opencode*.db')] : databases), storage] }
}

/**
 * Where Claude Code keeps its transcripts: `<config>/projects`, for each folder of
 * `CLAUDE_CONFIG_DIR` (comma-separated), else for `~/.config/claude` and `~/.claude`.
 */
export function claudeCodeLocation(sources: LocationSources): HistoryLocation {
  const configured = nonEmpty(sources.env.CLAUDE_CONFIG_DIR)?.split(',').map((folder) => folder.trim()).filter((folder) => folder !== '')
  const roots = configured ?? [join(sources.homeDir, '.config', 'claude'), join(sources.homeDir, '.claude')]
  const searched = roots.map((root) => join(resolve(sources.homeDir, root), 'projects'))
  return { host: 'claude-code', paths: searched.filter(isFolder), searched }
}

/** Where Codex keeps its rollouts: `$CODEX_HOME/sessions` (else `~/.codex/sessions`), and `archived_sessions` beside it. */
export function codexLocation(sources: LocationSources): HistoryLocation {
  const home = resolve(sources.homeDir, nonEmpty(sources.env.CODEX_HOME) ?? join(sources.homeDir, '.codex'))
  const searched = [join(home, 'sessions'), join(home, 'archived_sessions')]
  return { host: 'codex', paths: searched.filter(isFolder), searched }
}

/** Where each host keeps its history on this machine. */
export function historyLocations(sources: LocationSources): Record<HostName, HistoryLocation> {
  return { opencode: opencodeLocation(sources), 'claude-code': claudeCodeLocation(sources), codex: codexLocation(sources) }
}

/** A history at a path the user named: a file or folder of the given host's. */
export function givenLocation(host: HostName, path: string): HistoryLocation {
  return { host, paths: existsSync(path) ? [path] : [], searched: [path] }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}

function listFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
  } catch {
    return []
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
