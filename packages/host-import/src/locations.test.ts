import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { claudeCodeLocation, codexLocation, opencodeLocation } from './locations.js'

describe('where hosts keep their history', () => {
  it("finds OpenCode's databases of every channel (not their WAL files) and its old JSON storage, honouring XDG_DATA_HOME and OPENCODE_DB", () => {
    const home = tempFolder()
    const data = join(home, 'data', 'opencode')
    mkdirSync(join(data, 'storage', 'session'), { recursive: true })
    for (const name of ['opencode.db', 'opencode.db-wal', 'opencode-beta.db', 'opencode-beta.db-shm', 'auth.json']) writeFileSync(join(data, name), '')
    const env = { XDG_DATA_HOME: join(home, 'data') }
    expect(opencodeLocation({ env, homeDir: home }).paths).toEqual([join(data, 'opencode-beta.db'), join(data, 'opencode.db'), join(data, 'storage')])
    expect(opencodeLocation({ env: { ...env, OPENCODE_DB: 'opencode-beta.db' }, homeDir: home }).paths).toEqual([join(data, 'opencode-beta.db'), join(data, 'storage')])
    expect(opencodeLocation({ env: {}, homeDir: home })).toEqual({ host: 'opencode', paths: [], searched: [join(home, '.local', 'share', 'opencode', 'opencode*.db'), join(home, '.local', 'share', 'opencode', 'storage')] })
  })

  it("finds Claude Code's projects in ~/.claude and ~/.config/claude, or in each CLAUDE_CONFIG_DIR folder", () => {
    const home = tempFolder()
    mkdirSync(join(home, '.claude', 'projects'), { recursive: true })
    mkdirSync(join(home, 'a', 'projects'), { recursive: true })
    expect(claudeCodeLocation({ env: {}, homeDir: home }).paths).toEqual([join(home, '.claude', 'projects')])
    expect(claudeCodeLocation({ env: { CLAUDE_CONFIG_DIR: `${join(home, 'a')}, ${join(home, 'b')}` }, homeDir: home })).toEqual({ host: 'claude-code', paths: [join(home, 'a', 'projects')], searched: [join(home, 'a', 'projects'), join(home, 'b', 'projects')] })
  })

  it("finds Codex's sessions under CODEX_HOME, else ~/.codex", () => {
    const home = tempFolder()
    mkdirSync(join(home, '.codex', 'sessions'), { recursive: true })
    mkdirSync(join(home, 'cx', 'archived_sessions'), { recursive: true })
    expect(codexLocation({ env: {}, homeDir: home }).paths).toEqual([join(home, '.codex', 'sessions')])
    expect(codexLocation({ env: { CODEX_HOME: join(home, 'cx') }, homeDir: home }).paths).toEqual([join(home, 'cx', 'archived_sessions')])
  })
})
