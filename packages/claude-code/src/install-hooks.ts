import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { USER_COMMANDS } from '@agent-tracker/core/host'
import { CLAUDE_CODE_HOOK_EVENTS } from './hook-input.js'

/** The events whose hooks take a tool matcher. */
const TOOL_EVENTS: ReadonlySet<string> = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure'])

/** Seconds the session-end hook may take: Claude Code cancels those hooks after 1.5 s unless a hook asks for more. */
const SESSION_END_TIMEOUT_S = 10

/** How `installClaudeCodeHooks` installs. */
export interface InstallOptions {
  /** Claude Code's folder: a project's `.claude`, or the user's (`~/.claude`, `$CLAUDE_CONFIG_DIR`). */
  readonly folder: string
  /** The hook command, e.g. `agent-tracker hook claude-code`. */
  readonly command: string
}

/** What an install changed. */
export interface InstallResult {
  readonly settingsFile: string
  /** False when the hooks were installed as they are already. */
  readonly changed: boolean
  /** The user command files written (`commands/grade.md`, …); files of the same name not written by agent-tracker are left alone. */
  readonly commandFiles: readonly string[]
}

type HookGroup = { matcher?: string; hooks?: { type?: string; command?: string; timeout?: number }[] }

/** True for a hook command agent-tracker installed. */
export function isTrackerHook(command: unknown): boolean {
  return typeof command === 'string' && /\bhook\s+claude-code\b/.test(command)
}

/**
 * Installs agent-tracker's hooks in Claude Code's `settings.json` in `folder`, keeping every other
 * setting and hook (an earlier agent-tracker hook is replaced), and the user commands `/grade`,
 * `/bug`, `/reinstate` and `/tracker` as command files the model may not invoke
 * (`disable-model-invocation`): so the prompt reaches the hook, and only from the user.
 * @throws {Error} when settings.json is not a JSON object (nothing is changed).
 */
export function installClaudeCodeHooks(options: InstallOptions): InstallResult {
  const settingsFile = join(options.folder, 'settings.json')
  const before = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined
  let settings: Record<string, unknown> = {}
  if (before !== undefined && before.trim() !== '') {
    const parsed = parseObject(before)
    if (parsed === undefined) throw new Error(`${settingsFile} is not a JSON object; fix it first — nothing was changed.`)
    settings = parsed
  }
  const hooks = typeof settings.hooks === 'object' && settings.hooks !== null && !Array.isArray(settings.hooks) ? { ...(settings.hooks as Record<string, unknown>) } : {}
  for (const event of CLAUDE_CODE_HOOK_EVENTS) {
    const groups = (Array.isArray(hooks[event]) ? (hooks[event] as HookGroup[]) : [])
      .map((group) => ({ ...group, hooks: (group.hooks ?? []).filter((hook) => !isTrackerHook(hook.command)) }))
      .filter((group) => group.hooks.length > 0)
    const hook = { type: 'command', command: options.command, ...(event === 'SessionEnd' ? { timeout: SESSION_END_TIMEOUT_S } : {}) }
    hooks[event] = [...groups, { ...(TOOL_EVENTS.has(event) ? { matcher: '*' } : {}), hooks: [hook] }]
  }
  const after = `${JSON.stringify({ ...settings, hooks }, null, 2)}\n`
  mkdirSync(options.folder, { recursive: true })
  if (after !== before) writeFileSync(settingsFile, after)
  return { settingsFile, changed: after !== before, commandFiles: writeCommandFiles(join(options.folder, 'commands')) }
}

const MARK = '<!-- agent-tracker -->'

function writeCommandFiles(folder: string): string[] {
  mkdirSync(folder, { recursive: true })
  return Object.entries(USER_COMMANDS).flatMap(([name, command]) => {
    const file = join(folder, `${name}.md`)
    if (existsSync(file) && !readFileSync(file, 'utf8').includes(MARK)) return []
    const hint = 'usage' in command ? `argument-hint: "${command.usage.replace(/^\/\S+\s*/, '')}"\n` : ''
    writeFileSync(file, `---\ndescription: agent-tracker — ${command.description}\n${hint}disable-model-invocation: true\n---\n${MARK}\nThis command is agent-tracker's: its UserPromptSubmit hook handles it, and it never reaches the model. If you read this, the hook is not installed — tell the user to run \`agent-tracker hooks install claude-code\`.\n`)
    return [file]
  })
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
