import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runnerCacheOf, thisCliLauncher } from './cli-launcher.js'
import { findExecutable, lastingSearchPath } from './find-executable.js'
import { checkHookCommand } from './hook-command-check.js'
import { chooseHookCommand } from './hook-command-choice.js'
import { shellQuote, shellWord } from './shell-quote.js'

const root = mkdtempSync(join(tmpdir(), 'hook-command-'))
afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

/** A folder with an `agent-tracker` file that may be run, one whose file may not, and one with a space in its name. */
const runnable = join(root, 'run')
const notRunnable = join(root, 'plain')
const spaced = join(root, 'with space')
for (const [folder, mode] of [[runnable, 0o755], [notRunnable, 0o644]] as const) {
  mkdirSync(folder)
  writeFileSync(join(folder, 'agent-tracker'), '#!/bin/sh\n')
  chmodSync(join(folder, 'agent-tracker'), mode)
}
mkdirSync(spaced)
writeFileSync(join(spaced, 'agent-tracker.js'), '')

describe('the PATH hooks will see', () => {
  it('drops relative folders and the node_modules/.bin folders package runners add for one command', () => {
    expect(lastingSearchPath({ PATH: ['/usr/bin', '', 'bin', '/home/me/.npm/_npx/1f/node_modules/.bin', '/w/shop/node_modules/.bin/', '/opt/bin'].join(delimiter) })).toEqual(['/usr/bin', '/opt/bin'])
    expect(lastingSearchPath({})).toEqual([])
  })

  it('finds only an executable file', () => {
    expect(findExecutable('agent-tracker', { PATH: [notRunnable, runnable].join(delimiter) })).toBe(join(runnable, 'agent-tracker'))
    expect(findExecutable('agent-tracker', { PATH: notRunnable })).toBeUndefined()
    expect(findExecutable('run', { PATH: root })).toBeUndefined()
  })
})

describe('choosing the hook command', () => {
  const launcher = { node: '/opt/node 20/bin/node', bin: "/home/me/it's/node_modules/@agent-tracker/cli/bin/agent-tracker.js" }
  const rerun = 'agent-tracker hooks install claude-code'

  it('quotes the full paths and the database for the shell', () => {
    expect(chooseHookCommand({ env: { PATH: notRunnable }, launcher: () => launcher, rerun, databasePath: '/db/$HOME.lmdb' })).toEqual({
      kind: 'full-path',
      command: `'/opt/node 20/bin/node' '/home/me/it'\\''s/node_modules/@agent-tracker/cli/bin/agent-tracker.js' hook claude-code --db '/db/$HOME.lmdb'`,
    })
    expect(chooseHookCommand({ env: { PATH: runnable }, launcher: () => launcher, rerun })).toEqual({ kind: 'on-path', command: 'agent-tracker hook claude-code', executable: join(runnable, 'agent-tracker') })
    expect(chooseHookCommand({ env: {}, launcher: () => launcher, rerun, given: 'bunx agent-tracker' })).toEqual({ kind: 'given', command: 'bunx agent-tracker hook claude-code' })
  })

  it("knows the package runners' caches", () => {
    expect(runnerCacheOf('/home/me/.npm/_npx/6a9f/node_modules/@agent-tracker/cli/bin/agent-tracker.js')).toBe('npx')
    expect(runnerCacheOf('C:\\Users\\me\\AppData\\Local\\npm-cache\\_npx\\6a9f\\node_modules\\@agent-tracker\\cli\\bin\\agent-tracker.js')).toBe('npx')
    expect(runnerCacheOf('/home/me/.cache/pnpm/dlx/abc/19a/node_modules/@agent-tracker/cli/bin/agent-tracker.js')).toBe('pnpm dlx')
    expect(runnerCacheOf('/tmp/bunx-0-agent-tracker@latest/node_modules/agent-tracker/bin/agent-tracker.js')).toBe('bunx')
    expect(runnerCacheOf('/usr/lib/node_modules/@agent-tracker/cli/bin/agent-tracker.js')).toBeUndefined()
    expect(() => chooseHookCommand({ env: {}, launcher: () => ({ node: '/n', bin: '/home/me/.npm/_npx/1/node_modules/@agent-tracker/cli/bin/agent-tracker.js' }), rerun })).toThrow(/runs from npx's cache/)
  })

  it("finds this package's own bin script", () => {
    expect(thisCliLauncher()).toEqual({ node: process.execPath, bin: join(import.meta.dirname, '..', '..', 'bin', 'agent-tracker.js') })
  })
})

describe('checking a hook command', () => {
  const io = { env: { PATH: runnable }, homeDir: root }

  it('finds the program on PATH, or at the path it names, the --db it passes, and what starts agent-tracker', () => {
    const onPath = join(runnable, 'agent-tracker')
    expect(checkHookCommand("agent-tracker hook claude-code --db '/x y.lmdb'", io)).toEqual({ program: onPath, databasePath: '/x y.lmdb', launch: [onPath] })
    expect(checkHookCommand(`${shellQuote(process.execPath)} ${shellQuote(join(spaced, 'agent-tracker.js'))} hook claude-code`, io)).toEqual({ program: process.execPath, launch: [process.execPath, join(spaced, 'agent-tracker.js')] })
    expect(checkHookCommand(`~/run/agent-tracker hook claude-code --db ~/t.lmdb`, io)).toEqual({ program: onPath, databasePath: '~/t.lmdb', launch: [onPath] })
    // Installed as agent-tracker's hook, it would handle no event: its words never reach `hook claude-code`.
    expect(checkHookCommand('agent-tracker status', io)).toEqual({ program: onPath, malformed: true, trouble: '`status` stands where `hook claude-code` should, so agent-tracker handles no hook event (a word that is none of its commands, it refuses before any hook runs)' })
    expect(checkHookCommand('agent-tracker --db /x.lmdb hook claude-code', io)).toMatchObject({ program: onPath, malformed: true, trouble: expect.stringContaining('`--db /x.lmdb` comes between agent-tracker and `hook claude-code`') as unknown })
    expect(checkHookCommand('env AGENT_TRACKER_DB=/y.lmdb agent-tracker hook claude-code', io)).toMatchObject({ databaseVariable: '/y.lmdb' })
    expect(checkHookCommand('"$AT_BIN" hook claude-code', io)).toEqual({})
  })

  it('says why it would not start', () => {
    expect(checkHookCommand('agent-tracker hook claude-code', { ...io, env: { PATH: notRunnable } })).toEqual({ trouble: 'agent-tracker is not on your PATH' })
    expect(checkHookCommand(`${join(notRunnable, 'agent-tracker')} hook claude-code`, io)).toMatchObject({ trouble: `${join(notRunnable, 'agent-tracker')} is not an executable file` })
    expect(checkHookCommand(`${shellQuote(process.execPath)} '/gone/bin/agent-tracker.js' hook claude-code`, io)).toEqual({ program: process.execPath, trouble: '/gone/bin/agent-tracker.js does not exist' })
    expect(checkHookCommand('/nowhere/node /x.js hook claude-code', io)).toMatchObject({ trouble: '/nowhere/node does not exist' })
  })

  it('writes words as a person would type them', () => {
    expect(shellWord('/home/me/tracker.lmdb')).toBe('/home/me/tracker.lmdb')
    expect(shellWord('/home/me/my tracker.lmdb')).toBe("'/home/me/my tracker.lmdb'")
  })
})
