import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '../test/temp.js'
import { claudeCodeFolder } from './claude-code-folder.js'
import { installClaudeCodeHooks } from './install-hooks.js'

const COMMAND = 'agent-tracker hook claude-code'

describe('installClaudeCodeHooks', () => {
  it('adds a hook for each event to settings.json, keeping every other setting and hook, once', () => {
    const folder = join(tempFolder(), '.claude')
    mkdirSync(folder)
    const theirs = { matcher: 'Bash', hooks: [{ type: 'command', command: 'my-linter' }] }
    writeFileSync(join(folder, 'settings.json'), JSON.stringify({ model: 'opus', hooks: { PreToolUse: [theirs], Notification: [{ hooks: [{ type: 'command', command: 'notify' }] }] } }))
    const first = installClaudeCodeHooks({ folder, command: COMMAND })
    expect(first.changed).toBe(true)
    const settings = JSON.parse(readFileSync(first.settingsFile, 'utf8')) as { model: string; hooks: Record<string, unknown[]> }
    expect(settings.model).toBe('opus')
    expect(settings.hooks.PreToolUse).toEqual([theirs, { matcher: '*', hooks: [{ type: 'command', command: COMMAND }] }])
    expect(settings.hooks.Notification).toEqual([{ hooks: [{ type: 'command', command: 'notify' }] }])
    expect(settings.hooks.SessionEnd).toEqual([{ hooks: [{ type: 'command', command: COMMAND, timeout: 10 }] }])
    expect(Object.keys(settings.hooks).sort()).toEqual(['Notification', 'PostToolUse', 'PostToolUseFailure', 'PreToolUse', 'SessionEnd', 'Stop', 'SubagentStop', 'UserPromptSubmit'])
    expect(installClaudeCodeHooks({ folder, command: COMMAND }).changed).toBe(false)
    const moved = installClaudeCodeHooks({ folder, command: `${COMMAND} --db /x.lmdb` })
    expect(moved.changed).toBe(true)
    expect((JSON.parse(readFileSync(moved.settingsFile, 'utf8')) as typeof settings).hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: `${COMMAND} --db /x.lmdb` }] }])
  })

  it("writes the user commands so the model cannot invoke them, and leaves a user's own command file alone", () => {
    const folder = join(tempFolder(), '.claude')
    mkdirSync(join(folder, 'commands'), { recursive: true })
    writeFileSync(join(folder, 'commands', 'bug.md'), 'my own /bug\n')
    const { commandFiles } = installClaudeCodeHooks({ folder, command: COMMAND })
    expect(commandFiles.map((file) => file.slice(folder.length))).toEqual(['/commands/grade.md', '/commands/reinstate.md', '/commands/tracker.md'])
    expect(readFileSync(join(folder, 'commands', 'grade.md'), 'utf8')).toMatch(/^---\ndescription: agent-tracker — grade the latest commit\nargument-hint: "\[agent-grade\] <your-grade> \[note\]"\ndisable-model-invocation: true\n---\n/)
    expect(readFileSync(join(folder, 'commands', 'bug.md'), 'utf8')).toBe('my own /bug\n')
  })

  it('changes nothing in a settings.json that is not a JSON object', () => {
    const folder = tempFolder()
    writeFileSync(join(folder, 'settings.json'), '{ "hooks": ')
    expect(() => installClaudeCodeHooks({ folder, command: COMMAND })).toThrow(`${join(folder, 'settings.json')} is not a JSON object; fix it first — nothing was changed.`)
    expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toBe('{ "hooks": ')
  })

  it("finds the user's folder ($CLAUDE_CONFIG_DIR, else ~/.claude) and a project's", () => {
    expect(claudeCodeFolder({ global: true, env: {}, homeDir: '/home/me' })).toBe('/home/me/.claude')
    expect(claudeCodeFolder({ global: true, env: { CLAUDE_CONFIG_DIR: '/cfg/a,/cfg/b' }, homeDir: '/home/me' })).toBe('/cfg/a')
    expect(claudeCodeFolder({ global: false, project: '/work/shop' })).toBe('/work/shop/.claude')
  })
})
