import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { claudeCodeFolder } from './claude-code-folder.js'
import { FileChangeProblem, applyFileChanges } from './file-changes.js'
import { installClaudeCodeHooks, isTrackerHook } from './install-hooks.js'
import { installedClaudeCodeHooks } from './installed-hooks.js'
import { removeClaudeCodeHooks, uninstallClaudeCodeHooks } from './uninstall-hooks.js'

const COMMAND = 'agent-tracker hook claude-code'
const MARK = { statusMessage: 'agent-tracker' }

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
    expect(settings.hooks.PreToolUse).toEqual([theirs, { matcher: '*', hooks: [{ type: 'command', command: COMMAND, timeout: 10, ...MARK }] }])
    expect(settings.hooks.Notification).toEqual([{ hooks: [{ type: 'command', command: 'notify' }] }])
    expect(settings.hooks.SessionEnd).toEqual([{ hooks: [{ type: 'command', command: COMMAND, timeout: 10, ...MARK }] }])
    expect(Object.keys(settings.hooks).sort()).toEqual(['Notification', 'PostToolUse', 'PostToolUseFailure', 'PreToolUse', 'SessionEnd', 'Stop', 'SubagentStop', 'UserPromptSubmit'])
    expect(installClaudeCodeHooks({ folder, command: COMMAND }).changed).toBe(false)
    const moved = installClaudeCodeHooks({ folder, command: `${COMMAND} --db /x.lmdb` })
    expect(moved.changed).toBe(true)
    expect((JSON.parse(readFileSync(moved.settingsFile, 'utf8')) as typeof settings).hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: `${COMMAND} --db /x.lmdb`, timeout: 10, ...MARK }] }])
  })

  it('replaces its earlier hooks whatever command they ran, and keeps the indentation of the file', () => {
    const folder = join(tempFolder(), '.claude')
    mkdirSync(folder)
    const absolute = "'/opt/node/bin/node' '/home/me/shop/node_modules/@agent-tracker/cli/bin/agent-tracker.js' hook claude-code --db '/x.lmdb'"
    const theirs = { hooks: [{ type: 'command', command: 'notify-hook claude-code-ish' }] }
    writeFileSync(join(folder, 'settings.json'), `${JSON.stringify({ hooks: { Stop: [theirs, { hooks: [{ type: 'command', command: absolute }] }], PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: 'npx agent-tracker hook claude-code' }] }] } }, null, '\t')}\n`)
    installClaudeCodeHooks({ folder, command: COMMAND })
    const text = readFileSync(join(folder, 'settings.json'), 'utf8')
    expect(text).toMatch(/^\{\n\t"hooks": \{\n\t\t"Stop": \[/)
    const settings = JSON.parse(text) as { hooks: Record<string, unknown[]> }
    expect(settings.hooks.Stop).toEqual([theirs, { hooks: [{ type: 'command', command: COMMAND, timeout: 10, ...MARK }] }])
    expect(settings.hooks.PreToolUse).toEqual([{ matcher: '*', hooks: [{ type: 'command', command: COMMAND, timeout: 10, ...MARK }] }])
    expect(installedClaudeCodeHooks(folder)).toEqual({ settingsFile: join(folder, 'settings.json'), commands: [COMMAND], missingEvents: [], untimedEvents: [], lookalikes: [] })
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

  it('takes as its own the hooks it marks, whatever they run, and the unmarked ones of earlier versions whose command names agent-tracker and its hook claude-code, or runs nothing before it', () => {
    const hook = (command: unknown, more: object = {}): unknown => ({ type: 'command', command, ...more })
    for (const ours of ['agent-tracker hook claude-code', "npx agent-tracker hook claude-code --db '/x.lmdb'", "'/usr/bin/node' '/usr/lib/node_modules/@agent-tracker/cli/bin/agent-tracker.js' hook claude-code", ' hook claude-code', "   hook claude-code --db '/x.lmdb'"]) expect(isTrackerHook(hook(ours)), ours).toBe(true)
    for (const theirs of ['my-linter hook claude-code', 'agent-tracker-dashboard --hook claude-code-style', 'say done', 42]) expect(isTrackerHook(hook(theirs)), String(theirs)).toBe(false)
    expect(isTrackerHook(hook('~/bin/track hook claude-code', MARK))).toBe(true)
    expect(isTrackerHook(hook('my-linter hook claude-code', { statusMessage: 'linting' }))).toBe(false)
    for (const odd of [null, 'agent-tracker hook claude-code', hook(undefined, MARK)]) expect(isTrackerHook(odd), String(odd)).toBe(false)
  })

  it('knows the hooks of a --command that does not name agent-tracker as its own: installing again replaces them, and uninstalling removes them', () => {
    const folder = join(tempFolder(), '.claude')
    const wrapper = '~/bin/track hook claude-code'
    installClaudeCodeHooks({ folder, command: wrapper })
    expect(installedClaudeCodeHooks(folder)).toEqual({ settingsFile: join(folder, 'settings.json'), commands: [wrapper], missingEvents: [], untimedEvents: [], lookalikes: [] })
    expect(installClaudeCodeHooks({ folder, command: wrapper }).changed).toBe(false)
    installClaudeCodeHooks({ folder, command: COMMAND })
    expect(installedClaudeCodeHooks(folder).commands).toEqual([COMMAND])
    installClaudeCodeHooks({ folder, command: wrapper })
    expect(uninstallClaudeCodeHooks({ folder, settingsFileNames: ['settings.json'] })).toMatchObject({ changed: true, removedHooks: 7 })
    expect(existsSync(join(folder, 'settings.json'))).toBe(false)
  })

  it("names the unmarked hooks an earlier version wrote for such a --command, and installing that command again marks them instead of adding a second set", () => {
    const folder = join(tempFolder(), '.claude')
    mkdirSync(folder)
    const wrapper = '~/bin/track hook claude-code'
    const theirs = { hooks: [{ type: 'command', command: 'notify' }] }
    writeFileSync(join(folder, 'settings.json'), JSON.stringify({ hooks: { Stop: [theirs, { hooks: [{ type: 'command', command: wrapper }] }], PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: wrapper }] }] } }))
    expect(installedClaudeCodeHooks(folder)).toMatchObject({ commands: [], lookalikes: [wrapper] })
    installClaudeCodeHooks({ folder, command: wrapper })
    const settings = JSON.parse(readFileSync(join(folder, 'settings.json'), 'utf8')) as { hooks: Record<string, unknown[]> }
    expect(settings.hooks.Stop).toEqual([theirs, { hooks: [{ type: 'command', command: wrapper, timeout: 10, ...MARK }] }])
    expect(settings.hooks.PreToolUse).toEqual([{ matcher: '*', hooks: [{ type: 'command', command: wrapper, timeout: 10, ...MARK }] }])
    expect(installedClaudeCodeHooks(folder)).toMatchObject({ commands: [wrapper], lookalikes: [] })
  })

  it('names the events whose hooks an earlier release wrote without a timeout, and installing again gives each one', () => {
    const folder = join(tempFolder(), '.claude')
    mkdirSync(folder)
    const earlier = { type: 'command', command: COMMAND, ...MARK }
    const theirs = { type: 'command', command: 'notify' }
    writeFileSync(join(folder, 'settings.json'), JSON.stringify({ hooks: { Stop: [{ hooks: [theirs, earlier] }], PreToolUse: [{ matcher: '*', hooks: [earlier] }], SessionEnd: [{ hooks: [{ ...earlier, timeout: 10 }] }] } }))
    // Another tool's hook without a timeout is none of agent-tracker's business.
    expect(installedClaudeCodeHooks(folder).untimedEvents).toEqual(['PreToolUse', 'Stop'])
    installClaudeCodeHooks({ folder, command: COMMAND })
    expect(installedClaudeCodeHooks(folder)).toMatchObject({ untimedEvents: [], missingEvents: [] })
  })

  it('changes nothing in a settings.json that is not JSON, or not a JSON object, and says which', () => {
    const folder = tempFolder()
    writeFileSync(join(folder, 'settings.json'), '{ "hooks": ')
    expect(() => installClaudeCodeHooks({ folder, command: COMMAND })).toThrow(new RegExp(`^${join(folder, 'settings.json')} is not valid JSON \\(.+\\); fix it first — nothing was changed\\.$`))
    expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toBe('{ "hooks": ')
    writeFileSync(join(folder, 'settings.json'), '["hooks"]')
    expect(() => installClaudeCodeHooks({ folder, command: COMMAND })).toThrow(`${join(folder, 'settings.json')} is not a JSON object; fix it first — nothing was changed.`)
    expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toBe('["hooks"]')
  })

  it('changes nothing in settings whose hooks are not laid out as Claude Code reads them, says where, and reports it when asked', () => {
    const folder = tempFolder()
    for (const [text, where] of [
      ['{"hooks": "nope"}', 'hooks is not an object of events'],
      ['{"hooks": {"PreToolUse": [5, "keep-me"]}}', 'hooks.PreToolUse[0] is not a hook group (an object with matcher and hooks)'],
      ['{"hooks": {"Stop": {"a": 1}}}', 'hooks.Stop is not a list of hook groups'],
      ['{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": "y"}]}}', 'hooks.PreToolUse[0].hooks is not a list'],
      ['{"hooks": {"Stop": [{"hooks": [null]}]}}', 'hooks.Stop[0].hooks[0] is not a hook (an object with type and command)'],
    ] as const) {
      writeFileSync(join(folder, 'settings.json'), text)
      const message = `${join(folder, 'settings.json')} is not valid Claude Code settings (${where}); fix it first — nothing was changed.`
      expect(() => installClaudeCodeHooks({ folder, command: COMMAND })).toThrow(message)
      expect(() => uninstallClaudeCodeHooks({ folder })).toThrow(message)
      expect(installedClaudeCodeHooks(folder).problem).toBe(`it is not valid Claude Code settings (${where})`)
      expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toBe(text)
    }
  })

  it('says what is wrong with JSON on one line, whatever the parser quotes of the file', () => {
    const folder = tempFolder()
    writeFileSync(join(folder, 'settings.json'), '{\n  "hooks": {\n    x\n  }\n}\n')
    expect(installedClaudeCodeHooks(folder).problem).toMatch(/^it is not valid JSON \([^\n]+\)$/)
  })

  it("uninstalls only its own hooks and command files, keeping every other setting, hook, command file and the file's layout", () => {
    const folder = join(tempFolder(), '.claude')
    mkdirSync(join(folder, 'commands'), { recursive: true })
    writeFileSync(join(folder, 'commands', 'bug.md'), 'my own /bug\n')
    const theirs = { matcher: 'Bash', hooks: [{ type: 'command', command: 'my-linter' }] }
    const before = { model: 'opus', hooks: { PreToolUse: [theirs], Notification: [{ hooks: [{ type: 'command', command: 'notify' }] }] } }
    writeFileSync(join(folder, 'settings.json'), `${JSON.stringify(before, null, 4)}\n`)
    installClaudeCodeHooks({ folder, command: "'/usr/bin/node' '/opt/at/bin/agent-tracker.js' hook claude-code" })
    const removed = uninstallClaudeCodeHooks({ folder })
    expect(removed).toEqual({ settingsFiles: [{ settingsFile: join(folder, 'settings.json'), changed: true, removedHooks: 7 }, { settingsFile: join(folder, 'settings.local.json'), changed: false, removedHooks: 0 }], changed: true, removedHooks: 7, commandFiles: ['grade', 'reinstate', 'tracker'].map((name) => join(folder, 'commands', `${name}.md`)) })
    expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toBe(`${JSON.stringify(before, null, 4)}\n`)
    expect(readFileSync(join(folder, 'commands', 'bug.md'), 'utf8')).toBe('my own /bug\n')
    expect(installedClaudeCodeHooks(folder)).toMatchObject({ commands: [], missingEvents: expect.arrayContaining(['Stop', 'PreToolUse']) as unknown })
    expect(uninstallClaudeCodeHooks({ folder })).toMatchObject({ changed: false, removedHooks: 0, commandFiles: [] })
  })

  it('uninstalling removes what install made in an empty folder: the settings file left holding nothing, and the folder', () => {
    const folder = join(tempFolder(), '.claude')
    installClaudeCodeHooks({ folder, command: COMMAND })
    expect(uninstallClaudeCodeHooks({ folder })).toMatchObject({ changed: true, folderRemoved: true, settingsFiles: [{ settingsFile: join(folder, 'settings.json'), fileRemoved: true, removedHooks: 7 }, { changed: false }] })
    expect(existsSync(folder)).toBe(false)
  })

  it('uninstalling drops the hooks object it emptied and the commands folder it emptied, and writes no settings.json where there was none', () => {
    const folder = join(tempFolder(), '.claude')
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'settings.json'), '{ "model": "opus" }\n')
    installClaudeCodeHooks({ folder, command: COMMAND })
    expect(uninstallClaudeCodeHooks({ folder }).changed).toBe(true)
    expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toBe('{\n  "model": "opus"\n}\n')
    expect(existsSync(join(folder, 'commands'))).toBe(false)
    const empty = join(tempFolder(), '.claude')
    expect(uninstallClaudeCodeHooks({ folder: empty, settingsFileNames: ['settings.json'] })).toEqual({ settingsFiles: [{ settingsFile: join(empty, 'settings.json'), changed: false, removedHooks: 0 }], changed: false, removedHooks: 0, commandFiles: [] })
    expect(existsSync(empty)).toBe(false)
  })

  it("installs into a project's personal settings.local.json when asked, and uninstalling takes them out of both files, changing nothing when one is bad", () => {
    const folder = join(tempFolder(), '.claude')
    mkdirSync(folder)
    const shared = `${JSON.stringify({ permissions: { allow: ['Bash(ls:*)'] } }, null, 4)}\n`
    writeFileSync(join(folder, 'settings.json'), shared)
    const local = installClaudeCodeHooks({ folder, command: `${COMMAND} --db '/home/me/x.lmdb'`, settingsFileName: 'settings.local.json' })
    expect(local).toMatchObject({ settingsFile: join(folder, 'settings.local.json'), changed: true })
    expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toBe(shared)
    expect(installedClaudeCodeHooks(folder, 'settings.local.json')).toEqual({ settingsFile: join(folder, 'settings.local.json'), commands: [`${COMMAND} --db '/home/me/x.lmdb'`], missingEvents: [], untimedEvents: [], lookalikes: [] })
    expect(installedClaudeCodeHooks(folder)).toMatchObject({ settingsFile: join(folder, 'settings.json'), commands: [] })
    // Moving them back to the shared file: the personal one loses only agent-tracker's hooks.
    installClaudeCodeHooks({ folder, command: COMMAND })
    writeFileSync(join(folder, 'settings.local.json'), JSON.stringify({ model: 'opus', ...(JSON.parse(readFileSync(join(folder, 'settings.local.json'), 'utf8')) as object) }))
    expect(removeClaudeCodeHooks({ folder, settingsFileName: 'settings.local.json' })).toEqual({ settingsFile: join(folder, 'settings.local.json'), changed: true, removedHooks: 7 })
    expect(JSON.parse(readFileSync(join(folder, 'settings.local.json'), 'utf8'))).toEqual({ model: 'opus' })
    expect(existsSync(join(folder, 'commands', 'grade.md'))).toBe(true)
    installClaudeCodeHooks({ folder, command: COMMAND, settingsFileName: 'settings.local.json' })
    writeFileSync(join(folder, 'settings.json'), '{ "hooks": ')
    expect(() => uninstallClaudeCodeHooks({ folder })).toThrow(`${join(folder, 'settings.json')} is not valid JSON (`)
    expect(installedClaudeCodeHooks(folder, 'settings.local.json').commands).toEqual([COMMAND])
    writeFileSync(join(folder, 'settings.json'), shared)
    installClaudeCodeHooks({ folder, command: COMMAND })
    expect(uninstallClaudeCodeHooks({ folder })).toMatchObject({ settingsFiles: [{ changed: true, removedHooks: 7 }, { changed: true, removedHooks: 7 }], removedHooks: 14 })
    expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toBe(shared)
    expect(JSON.parse(readFileSync(join(folder, 'settings.local.json'), 'utf8'))).toEqual({ model: 'opus' })
  })

  it('says which file it could not read instead of throwing, when asked what is installed', () => {
    const folder = tempFolder()
    writeFileSync(join(folder, 'settings.json'), '[1, 2]')
    expect(installedClaudeCodeHooks(folder)).toMatchObject({ settingsFile: join(folder, 'settings.json'), problem: 'it is not a JSON object', commands: [] })
    expect(() => uninstallClaudeCodeHooks({ folder })).toThrow('is not a JSON object; fix it first — nothing was changed.')
    expect(installedClaudeCodeHooks(join(folder, 'none'))).toMatchObject({ commands: [], missingEvents: expect.arrayContaining(['UserPromptSubmit']) as unknown })
    writeFileSync(join(folder, 'settings.json'), '{ "hooks": {}, }')
    expect(installedClaudeCodeHooks(folder).problem).toMatch(/^it is not valid JSON \(.+\)$/)
  })

  it("finds the user's folder ($CLAUDE_CONFIG_DIR, else ~/.claude) and a project's", () => {
    expect(claudeCodeFolder({ global: true, env: {}, homeDir: '/home/me' })).toBe('/home/me/.claude')
    expect(claudeCodeFolder({ global: true, env: { CLAUDE_CONFIG_DIR: '/cfg/a,/cfg/b' }, homeDir: '/home/me' })).toBe('/cfg/a')
    expect(claudeCodeFolder({ global: false, project: '/work/shop' })).toBe('/work/shop/.claude')
  })
})

describe('applyFileChanges', () => {
  it('undoes the changes made before one that fails, leaving every file and folder as it was', () => {
    const folder = tempFolder()
    const kept = join(folder, 'settings.json')
    writeFileSync(kept, '{ "model": "opus" }\n')
    const made = join(folder, 'commands', 'deeper', 'grade.md')
    let failure: unknown
    try {
      // The last change passes the check (its folder is writable), then fails: the file is not there.
      applyFileChanges([{ kind: 'write', file: kept, text: '{}\n' }, { kind: 'write', file: made, text: 'x' }, { kind: 'remove', file: join(folder, 'gone.md') }])
    } catch (error) {
      failure = error
    }
    expect(failure).toBeInstanceOf(FileChangeProblem)
    expect(failure).toMatchObject({ path: join(folder, 'gone.md'), action: 'remove', code: 'ENOENT', undone: true })
    expect(readFileSync(kept, 'utf8')).toBe('{ "model": "opus" }\n')
    expect(existsSync(join(folder, 'commands'))).toBe(false)
  })
})
