import { execFile, spawnSync } from 'node:child_process'
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { hostToolCallFact } from '@agent-tracker/core/host'
import { Transcript } from '@agent-tracker/host-import/testing'
import { KEPT_AT_EXIT, PendingFacts } from '@agent-tracker/node-host/pending-facts'
import { describe, expect, it } from 'vitest'
import { BUILT_BIN, factLine, jsonData, jsonError, runBuiltCli, runCli, tempFolder } from './run-cli.js'

type Settings = { hooks: Record<string, { matcher?: string; hooks: { type: string; command: string; timeout?: number }[] }[]> }

const settingsIn = (folder: string): Settings => JSON.parse(readFileSync(join(folder, 'settings.json'), 'utf8')) as Settings

/** A folder for a fake PATH, holding an `agent-tracker` file: executable, or not. */
function binFolder(executable: boolean, folder = tempFolder('bin-')): string {
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, 'agent-tracker'), '#!/bin/sh\nexit 0\n')
  chmodSync(join(folder, 'agent-tracker'), executable ? 0o755 : 0o644)
  return folder
}

/** This package's version. */
const OURS = (JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }).version

/** What JSON.parse says of the settings file the tests cut short. */
const CUT_JSON = ((): string => {
  try {
    JSON.parse('{ "hooks": ')
    return ''
  } catch (error) {
    return (error as Error).message
  }
})()

/** A folder for a fake PATH, holding an `agent-tracker` of a package whose version is `version`. */
function versionedBin(version: string): string {
  // As npm installs it globally: <prefix>/bin/agent-tracker, a link to the package's bin script.
  const prefix = tempFolder('prefix-')
  const pkg = join(prefix, 'lib', 'node_modules', '@agent-tracker', 'cli')
  mkdirSync(join(pkg, 'bin'), { recursive: true })
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@agent-tracker/cli', version }))
  writeFileSync(join(pkg, 'bin', 'agent-tracker.js'), '#!/usr/bin/env node\n')
  chmodSync(join(pkg, 'bin', 'agent-tracker.js'), 0o755)
  mkdirSync(join(prefix, 'bin'))
  symlinkSync(join(pkg, 'bin', 'agent-tracker.js'), join(prefix, 'bin', 'agent-tracker'))
  return join(prefix, 'bin')
}

/** A PATH of these folders. */
const pathOf = (...folders: string[]): string => folders.join(delimiter)

/** This Node and this package's bin, shell-quoted: the hook command's start when agent-tracker is not on PATH. */
const FULL_PATH = `'${process.execPath}' '${BUILT_BIN}'`

/** Runs a hook command as Claude Code does (through the shell), with an event on stdin. */
function runHookLine(command: string, event: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('/bin/sh', ['-c', command], { env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr })
    })
    child.stdin?.end(event)
  })
}

describe('agent-tracker hooks install claude-code', () => {
  it("writes the hooks into the project's .claude/settings.json, or the user's with --global, naming the database given", async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    const env = { PATH: pathOf(binFolder(true)) }
    const installed = await runCli(['hooks', 'install', 'claude-code', '--json'], { home, cwd: project, env })
    expect(installed.code).toBe(0)
    expect(jsonData(installed.stdout, 'install')).toMatchObject({ settingsFile: join(project, '.claude', 'settings.json'), changed: true, command: 'agent-tracker hook claude-code', commandSource: 'on-path' })
    const global = await runCli(['hooks', 'install', 'claude-code', '--global', '--db', 'tracker.lmdb', '--command', 'npx agent-tracker'], { home, cwd: project, env })
    const command = `npx agent-tracker hook claude-code --db '${join(project, 'tracker.lmdb')}'`
    expect(global.stdout).toContain(`Installed agent-tracker's Claude Code hooks in ${join(home, '.claude', 'settings.json')}.\nThey run: ${command}\n  as given with --command.\n  Warning: npx is not on your PATH, so these hooks would fail without a word and nothing would be tracked.\n`)
    expect(settingsIn(join(home, '.claude')).hooks.PostToolUse?.[0]?.hooks[0]?.command).toBe(command)
    expect(await runCli(['hooks', 'install', 'cursor'], { home })).toMatchObject({ code: 2, stderr: expect.stringContaining('agent-tracker installs hooks for claude-code, not "cursor".') as unknown })
  })

  it('writes the short command when agent-tracker is on the PATH the hooks will see, and says where it found it', async () => {
    const home = tempFolder('home-')
    const found = binFolder(true)
    const run = await runCli(['hooks', 'install', 'claude-code', '--global'], { home, env: { PATH: pathOf(tempFolder('empty-'), found) } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`They run: agent-tracker hook claude-code\n  agent-tracker is on your PATH (${join(found, 'agent-tracker')}).`)
    expect(settingsIn(join(home, '.claude')).hooks.Stop).toEqual([{ hooks: [{ type: 'command', command: 'agent-tracker hook claude-code', timeout: 10, statusMessage: 'agent-tracker' }] }])
  })

  it("keeps the user's own /grade and says that it stays theirs, with the command that does what agent-tracker's would", async () => {
    const home = tempFolder('home-')
    const commands = join(home, '.claude', 'commands')
    mkdirSync(commands, { recursive: true })
    writeFileSync(join(commands, 'grade.md'), 'Grade the homework in $ARGUMENTS.\n')
    const run = await runCli(['hooks', 'install', 'claude-code', '--global'], { home, env: { PATH: pathOf(binFolder(true)) } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('User commands /grade, /bug, /reinstate and /tracker: bug.md, reinstate.md, tracker.md.')
    expect(run.stdout).toContain(`Your own /grade (${join(commands, 'grade.md')}) stays yours: Claude Code runs it, and agent-tracker's /grade does not there — \`agent-tracker grade\` does what it would.`)
    expect(readFileSync(join(commands, 'grade.md'), 'utf8')).toBe('Grade the homework in $ARGUMENTS.\n')
    const json = await runCli(['hooks', 'install', 'claude-code', '--global', '--json'], { home, env: { PATH: pathOf(binFolder(true)) } })
    expect(jsonData(json.stdout, 'install')).toMatchObject({ keptCommands: ['grade'] })
  })

  it('warns when the agent-tracker on that PATH is another version than the one installing the hooks', async () => {
    const home = tempFolder('home-')
    const old = versionedBin('0.0.1')
    const run = await runCli(['hooks', 'install', 'claude-code', '--global'], { home, env: { PATH: pathOf(old) } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`  Warning: they start agent-tracker 0.0.1 (${join(old, 'agent-tracker')}), not this ${OURS}: an older agent-tracker cannot open a database a newer one has upgraded, and then every hook fails without a word. Update that one (npm i -g @agent-tracker/cli).\n`)
    const json = await runCli(['hooks', 'install', 'claude-code', '--global', '--json'], { home, env: { PATH: pathOf(old) } })
    expect(jsonData(json.stdout, 'install')).toMatchObject({ commandSource: 'on-path', warning: `they start agent-tracker 0.0.1 (${join(old, 'agent-tracker')}), not this ${OURS}` })
    const same = await runCli(['hooks', 'install', 'claude-code', '--global'], { home, env: { PATH: pathOf(versionedBin(OURS)) } })
    expect(same.stdout).not.toContain('Warning')
  })

  it("runs this Node and this CLI's bin by full paths when agent-tracker is not on that PATH — and that command works from a shell", async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    // A file that may not be run, one only in a node_modules/.bin folder (npx puts those on PATH for one command), a relative folder.
    const env = { PATH: pathOf(binFolder(false), binFolder(true, join(tempFolder('npx-'), 'node_modules', '.bin')), 'bin') }
    const run = await runCli(['hooks', 'install', 'claude-code', '--global', '--json'], { home, cwd: project, env })
    expect(run.code).toBe(0)
    const command = `${FULL_PATH} hook claude-code`
    expect(jsonData(run.stdout, 'install')).toMatchObject({ command, commandSource: 'full-path' })
    expect(settingsIn(join(home, '.claude')).hooks.SessionEnd).toEqual([{ hooks: [{ type: 'command', command, timeout: 10, statusMessage: 'agent-tracker' }] }])
    const text = await runCli(['hooks', 'install', 'claude-code', '--global'], { home, cwd: project, env })
    expect(text.stdout).toContain(`They run: ${command}\n  agent-tracker is not on your PATH (not counting the node_modules/.bin folders npx and npm scripts add for one command), so the hooks start this copy by its full path, with this Node.`)
    expect(text.stdout).toContain('install agent-tracker for good (npm i -g @agent-tracker/cli) and run this again for the short command.')

    const transcript = new Transcript('s1', project).response('msg_1', [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '.env' } }]).write(join(home, 't.jsonl'))
    const event = JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: join(project, '.env') }, tool_use_id: 'toolu_1' })
    const hook = await runHookLine(command, event, { HOME: home, PATH: '/nonexistent' })
    expect(hook.stderr).toBe('')
    expect(JSON.parse(hook.stdout)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } })
  })

  it("refuses to point the hooks into npx's cache, which npm may delete, and says how to install agent-tracker for good", async () => {
    const home = tempFolder('home-')
    const launcher = { node: process.execPath, bin: join(home, '.npm', '_npx', '6a9f', 'node_modules', '@agent-tracker', 'cli', 'bin', 'agent-tracker.js') }
    const refused = await runCli(['hooks', 'install', 'claude-code', '--global'], { home, launcher, env: { PATH: pathOf(binFolder(false)) } })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`agent-tracker is not on your PATH, and this copy runs from npx's cache (${launcher.bin}), which may be deleted at any time`)
    expect(refused.stderr).toContain('Nothing was written.\nInstall agent-tracker for good, then run this again:\n  npm i -g @agent-tracker/cli\n  agent-tracker hooks install claude-code --global\n')
    expect(existsSync(join(home, '.claude'))).toBe(false)
    const json = await runCli(['hooks', 'install', 'claude-code', '--db', '~/x.lmdb', '--json'], { home, launcher, cwd: tempFolder('project-') })
    expect(jsonError(json.stdout)).toMatchObject({ code: 'NOT_INSTALLED', message: expect.stringContaining('  agent-tracker hooks install claude-code --db \'~/x.lmdb\'\n') as unknown })
    const found = await runCli(['hooks', 'install', 'claude-code', '--global'], { home, launcher, env: { PATH: pathOf(binFolder(true)) } })
    expect(found.code).toBe(0)
    expect(settingsIn(join(home, '.claude')).hooks.Stop?.[0]?.hooks[0]?.command).toBe('agent-tracker hook claude-code')
  })

  it('refuses an empty or blank --command as a usage error, writing nothing', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    for (const given of ['', '   ']) {
      const refused = await runCli(['hooks', 'install', 'claude-code', '--command', given], { home, cwd: project, env: { PATH: pathOf(binFolder(true)) } })
      expect(refused.code, JSON.stringify(given)).toBe(2)
      expect(refused.stderr).toContain(`error: --command is ${given === '' ? 'empty' : 'blank'}: give the command that starts agent-tracker (such as --command agent-tracker or --command "npx agent-tracker"`)
    }
    expect(existsSync(join(project, '.claude'))).toBe(false)
  })

  it('refuses a --db the hooks could never open — empty, blank, or a folder of other files — writing nothing', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    writeFileSync(join(project, 'file.txt'), 'mine')
    const env = { PATH: pathOf(binFolder(true)) }
    for (const given of ['', '   ']) {
      const refused = await runCli(['hooks', 'install', 'claude-code', '--db', given], { home, cwd: project, env })
      expect([refused.code, refused.stderr], JSON.stringify(given)).toEqual([2, expect.stringContaining(`error: --db is ${given === '' ? 'empty' : 'blank'}: give the database's path`) as unknown])
    }
    for (const given of ['.', project]) {
      const refused = await runCli(['hooks', 'install', 'claude-code', '--db', given], { home, cwd: project, env })
      expect([refused.code, refused.stderr], given).toEqual([2, expect.stringContaining(`Invalid --db ${project}: it is a folder with other files in it and no agent-tracker database. Give a file path in it instead, e.g. ${join(project, 'agent-tracker.lmdb')}. Or leave --db out, for the default database; a database in a project's folder could be committed with it. Nothing was installed.`) as unknown])
    }
    expect(existsSync(join(project, '.claude'))).toBe(false)
    // Every other command refuses an empty --db too, rather than taking the working folder for it.
    const report = await runCli(['report', '--db', ''], { home, cwd: project, env })
    expect([report.code, report.stderr]).toEqual([2, expect.stringContaining('error: --db is empty') as unknown])
    // A file path in the folder is what it takes.
    expect((await runCli(['hooks', 'install', 'claude-code', '--db', join(project, 'agent-tracker.lmdb')], { home, cwd: project, env })).code).toBe(0)
  })

  it('refuses a --command with words after the program, which would land before `hook` and fail every hook, saying what is accepted and where the database goes', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    const env = { PATH: pathOf(binFolder(true)) }
    const refused = await runCli(['hooks', 'install', 'claude-code', '--global', '--command', 'agent-tracker --db /x.lmdb'], { home, cwd: project, env })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('error: --command "agent-tracker --db /x.lmdb" has --db /x.lmdb after the program that starts agent-tracker, and names only that program')
    expect(refused.stderr).toContain('Accepted: a path or a name on PATH (agent-tracker, /usr/local/bin/agent-tracker), optionally after an interpreter or a wrapper (node /abs/bin/agent-tracker.js')
    expect(refused.stderr).toContain("The database goes with hooks install's own --db, which puts it after `hook claude-code`: agent-tracker hooks install claude-code --global --db /x.lmdb --command agent-tracker\n")
    const options = await runCli(['hooks', 'install', 'claude-code', '--command', `node ${BUILT_BIN} --json`], { home, cwd: project, env })
    expect(options.code).toBe(2)
    expect(options.stderr).toContain(`Options of agent-tracker do not go there: agent-tracker hooks install claude-code --command 'node ${BUILT_BIN}'`)
    // A wrapper of the user's may take options of its own, but a --db only agent-tracker takes.
    expect((await runCli(['hooks', 'install', 'claude-code', '--command', 'my-wrapper --db=/x.lmdb'], { home, cwd: project, env })).code).toBe(2)
    expect(existsSync(join(home, '.claude'))).toBe(false)
    expect(existsSync(join(project, '.claude'))).toBe(false)
    for (const given of ['env -u NODE_EXTRA_CA_CERTS agent-tracker', 'npx -y @agent-tracker/cli@1', 'npx --package @agent-tracker/cli agent-tracker', `'${process.execPath}' '${BUILT_BIN}'`, 'my-wrapper --quiet']) {
      expect((await runCli(['hooks', 'install', 'claude-code', '--global', '--command', given], { home, cwd: project, env })).code, given).toBe(0)
    }
  })

  it("replaces its own earlier hooks, whatever command they ran, and keeps everyone else's", async () => {
    const home = tempFolder('home-')
    const folder = join(home, '.claude')
    mkdirSync(folder)
    const theirs = { matcher: 'Bash', hooks: [{ type: 'command', command: 'my-linter --hook claude-code-style' }] }
    const old = (command: string): { hooks: { type: string; command: string }[] } => ({ hooks: [{ type: 'command', command }] })
    writeFileSync(join(folder, 'settings.json'), JSON.stringify({ model: 'opus', hooks: {
      PreToolUse: [theirs, { matcher: '*', ...old('agent-tracker hook claude-code') }],
      Stop: [old("'/old/node' '/old/lib/node_modules/@agent-tracker/cli/bin/agent-tracker.js' hook claude-code --db '/old.lmdb'")],
      SessionEnd: [old('npx agent-tracker hook claude-code')],
    } }))
    const env = { PATH: pathOf(binFolder(true)) }
    expect((await runCli(['hooks', 'install', 'claude-code', '--global'], { home, env })).code).toBe(0)
    const settings = settingsIn(folder) as Settings & { model: string }
    expect(settings.model).toBe('opus')
    expect(settings.hooks.PreToolUse).toEqual([theirs, { matcher: '*', hooks: [{ type: 'command', command: 'agent-tracker hook claude-code', timeout: 10, statusMessage: 'agent-tracker' }] }])
    const ours = Object.values(settings.hooks).flat().flatMap((group) => group.hooks.map((hook) => hook.command)).filter((command) => command !== theirs.hooks[0]?.command)
    expect(new Set(ours)).toEqual(new Set(['agent-tracker hook claude-code']))
    expect(ours).toHaveLength(7)
  })
})

describe('a hook command with options the hook cannot read', () => {
  it('still guards: a bad or unknown option is named and its default stands in, so .env stays unread; doctor names the options as a problem', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    writeFileSync(join(project, '.env'), 'API_KEY=sk-live-secret\n')
    const database = join(home, 'tracker.lmdb')
    const transcript = new Transcript('s1', project).response('msg_1', [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'cat .env' } }]).write(join(home, 't.jsonl'))
    const event = JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'cat .env' }, tool_use_id: 'toolu_1' })
    for (const options of [['--enforce-halt', 'maybe'], ['--identity', 'nonsense'], ['--bogus'], ['--enforce-halt'], ['--db='], [`--db=${database}`, '--enforce-halt=warn']]) {
      const hook = await runCli(['hook', 'claude-code', ...options], { home, cwd: home, input: event })
      expect(hook.code, options.join(' ')).toBe(0)
      expect(JSON.parse(hook.stdout), options.join(' ')).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } })
      if (options.length === 2 && options[1] === '--enforce-halt=warn') expect(hook.stderr).toBe('')
      else expect(hook.stderr, options.join(' ')).toMatch(/^agent-tracker: (Invalid|Unknown option|--enforce-halt needs a value|--db needs a value)/)
    }
    const env = { PATH: pathOf(binFolder(true)) }
    mkdirSync(join(project, '.claude'))
    writeFileSync(SHARED(project), JSON.stringify({ hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: 'agent-tracker hook claude-code --enforce-halt maybe', statusMessage: 'agent-tracker' }] }] } }))
    const doctor = jsonData((await runCli(['doctor', '--json'], { home, cwd: project, env })).stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }
    expect(doctor.checks.find((check) => check.name === 'Claude Code')).toMatchObject({ level: 'problem', detail: expect.stringContaining('whose options are wrong (Invalid --enforce-halt "maybe": accepted are block, warn, off; the default (block) is used.)') as unknown })
  })
})

describe('hooks of a --command that does not name agent-tracker (a wrapper script)', () => {
  /** A folder for a fake PATH holding `track`, a wrapper script that starts agent-tracker. */
  function wrapperFolder(): string {
    const folder = tempFolder('wrapper-')
    writeFileSync(join(folder, 'track'), '#!/bin/sh\nexec agent-tracker "$@"\n')
    chmodSync(join(folder, 'track'), 0o755)
    return folder
  }

  it('are known as agent-tracker\'s: doctor shows them, installing again changes nothing, uninstall removes them', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    const wrappers = wrapperFolder()
    const env = { PATH: pathOf(wrappers, binFolder(true)) }
    expect((await runCli(['hooks', 'install', 'claude-code', '--command', 'track'], { home, cwd: project, env })).code).toBe(0)
    expect(commandsIn(SHARED(project))).toEqual(['track hook claude-code'])
    const doctor = jsonData((await runCli(['doctor', '--json'], { home, cwd: project, env })).stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }
    expect(doctor.checks.find((check) => check.name === 'Claude Code')).toMatchObject({ level: 'ok', detail: `hooks installed in ${SHARED(project)} (they run ${join(wrappers, 'track')})` })
    expect((await runCli(['hooks', 'install', 'claude-code', '--command', 'track'], { home, cwd: project, env })).stdout).toContain(`agent-tracker's Claude Code hooks are already in ${SHARED(project)}; nothing changed.`)
    const removed = await runCli(['hooks', 'uninstall', 'claude-code'], { home, cwd: project, env })
    expect(removed.stdout).toContain(`Removed ${SHARED(project)}: it held nothing but agent-tracker's Claude Code hooks (7 hooks).`)
    expect(existsSync(SHARED(project))).toBe(false)
  })

  it('an earlier version wrote unmarked: doctor names them, and installing that --command again marks them instead of adding a second set', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    const env = { PATH: pathOf(wrapperFolder(), binFolder(true)) }
    mkdirSync(join(project, '.claude'))
    const unmarked = { type: 'command', command: 'track hook claude-code' }
    writeFileSync(SHARED(project), JSON.stringify({ hooks: { Stop: [{ hooks: [unmarked] }], PreToolUse: [{ matcher: '*', hooks: [unmarked] }] } }))
    const doctor = jsonData((await runCli(['doctor', '--json'], { home, cwd: project, env })).stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }
    expect(doctor.checks.find((check) => check.name === 'Claude Code')).toMatchObject({ level: 'finding', detail: `hooks in ${SHARED(project)} run \`track hook claude-code\`, not marked as agent-tracker's — if they are (an earlier version wrote them so for a --command that does not name agent-tracker), run agent-tracker hooks install claude-code (in ${project}) again with that --command to mark them, so hooks uninstall and doctor know them` })
    expect((await runCli(['hooks', 'install', 'claude-code', '--command', 'track'], { home, cwd: project, env })).code).toBe(0)
    const settings = settingsIn(join(project, '.claude'))
    expect(settings.hooks.Stop).toEqual([{ hooks: [{ ...unmarked, timeout: 10, statusMessage: 'agent-tracker' }] }])
    expect(settings.hooks.PreToolUse).toEqual([{ matcher: '*', hooks: [{ ...unmarked, timeout: 10, statusMessage: 'agent-tracker' }] }])
  })

  it('an earlier version wrote unmarked: uninstall names them and says how to take them out, and takes them out given that --command', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    const env = { PATH: pathOf(wrapperFolder(), binFolder(true)) }
    mkdirSync(join(project, '.claude'))
    const unmarked = { type: 'command', command: "track hook claude-code --db '/data/t.lmdb'" }
    const mine = { type: 'command', command: 'my-linter hook claude-code' }
    writeFileSync(SHARED(project), JSON.stringify({ hooks: { Stop: [{ hooks: [unmarked, mine] }], PreToolUse: [{ matcher: '*', hooks: [unmarked] }] } }))
    const plain = await runCli(['hooks', 'uninstall', 'claude-code'], { home, cwd: project, env })
    expect(plain.stdout).toContain(`No agent-tracker hooks in ${SHARED(project)} or ${LOCAL(project)}; nothing changed.`)
    expect(plain.stdout).toContain(`Hooks in ${SHARED(project)} run \`${unmarked.command}\`, not marked as agent-tracker's: if they are (an earlier version wrote them so for a --command that does not name agent-tracker), take them out with agent-tracker hooks uninstall claude-code --command track.`)
    expect(settingsIn(join(project, '.claude')).hooks.Stop).toEqual([{ hooks: [unmarked, mine] }])
    const given = await runCli(['hooks', 'uninstall', 'claude-code', '--command', 'track'], { home, cwd: project, env })
    expect(given.stdout).toContain(`Removed agent-tracker's Claude Code hooks from ${SHARED(project)} (2 hooks); everything else in it stays.`)
    // Another tool's hook that runs `… hook claude-code` is named, never removed.
    expect(settingsIn(join(project, '.claude')).hooks).toEqual({ Stop: [{ hooks: [mine] }] })
    expect(given.stdout).toContain('run `my-linter hook claude-code`, not marked as agent-tracker')
  })
})

/** A real git repository (`git init`) with a tracked .gitignore, and the project folder in it (the top, or a subfolder). */
function gitProject(subfolder?: string): { top: string; project: string; git: (...args: string[]) => { code: number; stdout: string } } {
  const top = tempFolder('repo-')
  const git = (...args: string[]): { code: number; stdout: string } => {
    const run = spawnSync('git', args, { cwd: top, encoding: 'utf8' })
    return { code: run.status ?? 1, stdout: run.stdout }
  }
  git('init', '-q')
  writeFileSync(join(top, '.gitignore'), 'node_modules\n')
  const project = subfolder === undefined ? top : join(top, subfolder)
  mkdirSync(project, { recursive: true })
  return { top, project, git }
}

const LOCAL = (project: string): string => join(project, '.claude', 'settings.local.json')
const SHARED = (project: string): string => join(project, '.claude', 'settings.json')
const commandsIn = (file: string): string[] => [...new Set(Object.values((JSON.parse(readFileSync(file, 'utf8')) as Settings).hooks).flat().flatMap((group) => group.hooks.map((hook) => hook.command)))]

describe("hooks that hold this machine's paths go into the project's personal settings.local.json", () => {
  it('writes the full-path command there, says why, and keeps it out of git through .git/info/exclude (run as the built binary)', async () => {
    const home = tempFolder('home-')
    const { top, project, git } = gitProject()
    // No agent-tracker on this PATH (git is there): the hooks must run this copy by its full paths.
    const env = { PATH: pathOf('/usr/bin', '/bin') }
    const run = await runBuiltCli(['hooks', 'install', 'claude-code'], { home, cwd: project, env })
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(run.stdout).toContain(`Installed agent-tracker's Claude Code hooks in ${LOCAL(project)}.\nThey run: ${FULL_PATH} hook claude-code\n`)
    expect(run.stdout).toContain("That is the project's settings.local.json, your personal settings for it, not the shared settings.json the project commits: the command starts this copy by its paths on this machine, which would not start on a teammate's once settings.json is committed.")
    expect(run.stdout).toContain(`Added /.claude/settings.local.json to ${join(top, '.git', 'info', 'exclude')}, so git leaves ${LOCAL(project)} out (the project's .gitignore is not touched).`)
    expect(existsSync(SHARED(project))).toBe(false)
    expect(commandsIn(LOCAL(project))).toEqual([`${FULL_PATH} hook claude-code`])
    expect(git('check-ignore', '-q', '.claude/settings.local.json').code).toBe(0)
    expect(git('status', '--porcelain', '--untracked-files=all').stdout).not.toContain('settings.local.json')
    // The user commands hold no machine paths: they stay in .claude/commands, for the project to share.
    expect(git('status', '--porcelain', '--untracked-files=all').stdout).toContain('.claude/commands/grade.md')
    expect(readFileSync(join(project, '.claude', 'commands', 'grade.md'), 'utf8')).not.toContain(home)
    expect(readFileSync(join(top, '.gitignore'), 'utf8')).toBe('node_modules\n')
    // Run again: ignored already, so the exclude file gains nothing.
    const exclude = readFileSync(join(top, '.git', 'info', 'exclude'), 'utf8')
    const again = await runCli(['hooks', 'install', 'claude-code', '--json'], { home, cwd: project, env })
    expect(jsonData(again.stdout, 'install')).toMatchObject({ settingsFile: LOCAL(project), changed: false, settingsFileReason: 'full-path-command', git: { kind: 'ignored' } })
    expect(readFileSync(join(top, '.git', 'info', 'exclude'), 'utf8')).toBe(exclude)
  })

  it('writes there for a --db or --local, in a project in a subfolder of a repository too; --command alone goes to the shared file', async () => {
    const home = tempFolder('home-')
    const { top, project, git } = gitProject('apps/web shop')
    const env = { PATH: pathOf(binFolder(true), '/usr/bin') }
    const db = await runCli(['hooks', 'install', 'claude-code', '--db', 'tracker.lmdb', '--json'], { home, cwd: project, env })
    expect(jsonData(db.stdout, 'install')).toMatchObject({
      settingsFile: LOCAL(project), settingsFileReason: 'database-path', commandSource: 'on-path', command: `agent-tracker hook claude-code --db '${join(project, 'tracker.lmdb')}'`,
      git: { kind: 'excluded', excludeFile: join(top, '.git', 'info', 'exclude'), pattern: '/apps/web shop/.claude/settings.local.json' },
    })
    expect(git('check-ignore', '-q', 'apps/web shop/.claude/settings.local.json').code).toBe(0)
    expect(existsSync(SHARED(project))).toBe(false)

    const shared = await runCli(['hooks', 'install', 'claude-code', '--command', 'npx agent-tracker', '--json'], { home, cwd: project, env })
    const excludeFile = join(top, '.git', 'info', 'exclude')
    expect(jsonData(shared.stdout, 'install')).toMatchObject({ settingsFile: SHARED(project), settingsFileReason: 'shared', removedFrom: { settingsFile: LOCAL(project), removedHooks: 7 }, gitReleased: { kind: 'released', excludeFile, pattern: '/apps/web shop/.claude/settings.local.json' } })
    expect(jsonData(shared.stdout, 'install')).not.toHaveProperty('git')
    expect(commandsIn(SHARED(project))).toEqual(['npx agent-tracker hook claude-code'])
    // It held nothing but the hooks install had put there: it goes with them, and so do its lines in the exclude file.
    expect(existsSync(LOCAL(project))).toBe(false)
    expect(readFileSync(excludeFile, 'utf8')).not.toContain('settings.local.json')

    const local = await runCli(['hooks', 'install', 'claude-code', '--local'], { home, cwd: project, env })
    expect(local.stdout).toContain(`Installed agent-tracker's Claude Code hooks in ${LOCAL(project)}.\nThey run: agent-tracker hook claude-code\n`)
    expect(local.stdout).toContain('not the shared settings.json the project commits: as asked with --local.')
    // The shared file's portable hooks are the team's: they stay, and the output says both would run.
    expect(local.stdout).toContain(`Warning: ${SHARED(project)} has agent-tracker's hooks too, running \`npx agent-tracker hook claude-code\`: Claude Code runs both, so every event would be recorded twice.`)
    expect(commandsIn(SHARED(project))).toEqual(['npx agent-tracker hook claude-code'])
  })

  it('installs the hooks and warns when the exclude file cannot be written', async () => {
    const home = tempFolder('home-')
    const { top, project } = gitProject()
    // The exclude file points into a folder that is not there: git reads it as empty, and it cannot be written.
    rmSync(join(top, '.git', 'info', 'exclude'), { force: true })
    symlinkSync(join(top, 'gone', 'exclude'), join(top, '.git', 'info', 'exclude'))
    const run = await runCli(['hooks', 'install', 'claude-code', '--local'], { home, cwd: project, env: { PATH: pathOf(binFolder(true), '/usr/bin') } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`Warning: ${join(top, '.git', 'info', 'exclude')} could not be written (`)
    expect(run.stdout).toContain(`so git does not leave ${LOCAL(project)} out: add /.claude/settings.local.json to it, or to your .gitignore.`)
    expect(commandsIn(LOCAL(project))).toEqual(['agent-tracker hook claude-code'])
  })

  it('takes its machine-specific hooks out of a shared settings.json an earlier version wrote them to, keeping the rest of it', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    mkdirSync(join(project, '.claude'))
    const theirs = { matcher: 'Bash', hooks: [{ type: 'command', command: 'my-linter' }] }
    writeFileSync(SHARED(project), JSON.stringify({ model: 'opus', hooks: { PreToolUse: [theirs, { matcher: '*', hooks: [{ type: 'command', command: "'/old/node' '/home/me/at/bin/agent-tracker.js' hook claude-code" }] }] } }))
    const run = await runCli(['hooks', 'install', 'claude-code', '--json'], { home, cwd: project, env: { PATH: pathOf(binFolder(false)) } })
    // No git on this PATH (and no work tree either): nothing to exclude, and nothing said about git.
    expect(jsonData(run.stdout, 'install')).toMatchObject({ settingsFile: LOCAL(project), settingsFileReason: 'full-path-command', removedFrom: { settingsFile: SHARED(project), changed: true, removedHooks: 1 }, git: { kind: 'no-repository' } })
    expect(JSON.parse(readFileSync(SHARED(project), 'utf8'))).toEqual({ model: 'opus', hooks: { PreToolUse: [theirs] } })
    const text = await runCli(['hooks', 'install', 'claude-code'], { home, cwd: project, env: { PATH: pathOf(binFolder(false)) } })
    expect(text.stdout).not.toContain('.git')
    expect(text.stdout).not.toContain('Removed')
  })

  it('warns when git tracks settings.local.json already, and refuses --local with --global as a usage error', async () => {
    const home = tempFolder('home-')
    const { project, git } = gitProject()
    mkdirSync(join(project, '.claude'))
    writeFileSync(LOCAL(project), '{}\n')
    git('add', '.claude/settings.local.json')
    const run = await runCli(['hooks', 'install', 'claude-code', '--local', '--json'], { home, cwd: project, env: { PATH: pathOf(binFolder(true), '/usr/bin') } })
    expect(jsonData(run.stdout, 'install')).toMatchObject({ settingsFile: LOCAL(project), git: { kind: 'tracked' } })
    const text = await runCli(['hooks', 'install', 'claude-code', '--local'], { home, cwd: project, env: { PATH: pathOf(binFolder(true), '/usr/bin') } })
    expect(text.stdout).toContain(`Warning: git tracks ${LOCAL(project)}, so these hooks would be committed with it: untrack it (git rm --cached ${LOCAL(project)}) and ignore it.`)

    const both = await runCli(['hooks', 'install', 'claude-code', '--local', '--global'], { home, cwd: project })
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('--local and --global do not go together')
    expect(jsonError((await runCli(['hooks', 'install', 'claude-code', '--global', '--local', '--json'], { home, cwd: project })).stdout)).toMatchObject({ code: 'USAGE', message: expect.stringContaining('--local and --global do not go together') as unknown })
  })

  it('uninstall takes them out of both project files and names each one it changed', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    await runCli(['hooks', 'install', 'claude-code', '--local', '--db', '~/mine.lmdb'], { home, cwd: project, env: { PATH: pathOf(binFolder(true)) } })
    mkdirSync(join(project, '.claude'), { recursive: true })
    writeFileSync(SHARED(project), JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'agent-tracker hook claude-code' }] }] } }))
    const removed = await runCli(['hooks', 'uninstall', 'claude-code'], { home, cwd: project })
    expect(removed.stdout).toContain(`Removed ${SHARED(project)}: it held nothing but agent-tracker's Claude Code hooks (1 hooks).\nRemoved ${LOCAL(project)}: it held nothing but agent-tracker's Claude Code hooks (7 hooks).\n`)
    expect(existsSync(join(project, '.claude'))).toBe(false)
  })

  it('uninstall leaves the project as install found it: the settings file it made, the folder and its lines in .git/info/exclude go', async () => {
    const home = tempFolder('home-')
    const { top, project, git } = gitProject()
    const exclude = join(top, '.git', 'info', 'exclude')
    const before = readFileSync(exclude, 'utf8')
    expect((await runCli(['hooks', 'install', 'claude-code', '--db', 'tracker.lmdb'], { home, cwd: project, env: { PATH: pathOf(binFolder(true), '/usr/bin') } })).code).toBe(0)
    expect(readFileSync(exclude, 'utf8')).not.toBe(before)
    const removed = await runCli(['hooks', 'uninstall', 'claude-code', '--json'], { home, cwd: project, env: { PATH: pathOf('/usr/bin') } })
    expect(jsonData(removed.stdout, 'uninstall')).toMatchObject({ folderRemoved: true, git: { kind: 'released', excludeFile: exclude, pattern: '/.claude/settings.local.json' }, settingsFiles: [{ settingsFile: SHARED(project), changed: false }, { settingsFile: LOCAL(project), changed: true, fileRemoved: true, removedHooks: 7 }] })
    expect(existsSync(join(project, '.claude'))).toBe(false)
    expect(readFileSync(exclude, 'utf8')).toBe(before)
    expect(git('status', '--porcelain', '--untracked-files=all').stdout).toBe('?? .gitignore\n')
  })

  it('uninstall keeps a settings.local.json that holds settings of the user\'s, and with it the line that keeps it out of git', async () => {
    const home = tempFolder('home-')
    const { top, project } = gitProject()
    const env = { PATH: pathOf(binFolder(true), '/usr/bin') }
    expect((await runCli(['hooks', 'install', 'claude-code', '--local'], { home, cwd: project, env })).code).toBe(0)
    const installed = readFileSync(join(top, '.git', 'info', 'exclude'), 'utf8')
    writeFileSync(LOCAL(project), JSON.stringify({ ...JSON.parse(readFileSync(LOCAL(project), 'utf8')) as object, model: 'opus' }))
    const removed = await runCli(['hooks', 'uninstall', 'claude-code'], { home, cwd: project, env })
    expect(removed.stdout).toContain(`Removed agent-tracker's Claude Code hooks from ${LOCAL(project)} (7 hooks); everything else in it stays.`)
    expect(JSON.parse(readFileSync(LOCAL(project), 'utf8'))).toEqual({ model: 'opus' })
    expect(readFileSync(join(top, '.git', 'info', 'exclude'), 'utf8')).toBe(installed)
  })
})

describe('agent-tracker hooks uninstall claude-code', () => {
  it('removes only its hooks and command files, keeping the rest of the file and its formatting', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    const folder = join(project, '.claude')
    mkdirSync(join(folder, 'commands'), { recursive: true })
    writeFileSync(join(folder, 'commands', 'grade.md'), 'my own /grade\n')
    const before = `${JSON.stringify({ permissions: { allow: ['Bash(ls:*)'] }, hooks: { Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }] } }, null, 4)}\n`
    writeFileSync(join(folder, 'settings.json'), before)
    expect((await runCli(['hooks', 'install', 'claude-code'], { home, cwd: project, env: { PATH: pathOf(binFolder(true)) } })).code).toBe(0)
    expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toMatch(/^\{\n {4}"permissions": \{/)
    const removed = await runCli(['hooks', 'uninstall', 'claude-code', '--json'], { home, cwd: project })
    expect(jsonData(removed.stdout, 'uninstall')).toEqual({ settingsFiles: [{ settingsFile: join(folder, 'settings.json'), changed: true, removedHooks: 7 }, { settingsFile: join(folder, 'settings.local.json'), changed: false, removedHooks: 0 }], changed: true, removedHooks: 7, commandFiles: ['bug', 'reinstate', 'tracker'].map((name) => join(folder, 'commands', `${name}.md`)), unmarkedHooks: [] })
    expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toBe(before)
    expect(readFileSync(join(folder, 'commands', 'grade.md'), 'utf8')).toBe('my own /grade\n')
    const again = await runCli(['hooks', 'uninstall', 'claude-code'], { home, cwd: project })
    expect(again).toMatchObject({ code: 0, stdout: `No agent-tracker hooks in ${join(folder, 'settings.json')} or ${join(folder, 'settings.local.json')}; nothing changed.\n` })
  })

  it('removes them from the user\'s settings with --global ($CLAUDE_CONFIG_DIR), and says what it removed', async () => {
    const home = tempFolder('home-')
    const config = join(home, 'claude-config')
    const env = { CLAUDE_CONFIG_DIR: config, PATH: pathOf(binFolder(true)) }
    expect((await runCli(['hooks', 'install', 'claude-code', '--global'], { home, env })).code).toBe(0)
    const removed = await runCli(['hooks', 'uninstall', 'claude-code', '--global'], { home, env })
    expect(removed.stdout).toContain(`Removed ${join(config, 'settings.json')}: it held nothing but agent-tracker's Claude Code hooks (7 hooks).\nRemoved the user commands grade.md, bug.md, reinstate.md, tracker.md.\nRemoved ${config}, left empty.`)
    // What install made in an empty home is gone: no settings.json holding {}, no empty folder.
    expect(existsSync(config)).toBe(false)
    expect(await runCli(['hooks', 'uninstall', 'codex'], { home })).toMatchObject({ code: 2, stderr: expect.stringContaining('agent-tracker installs hooks for claude-code, not "codex".') as unknown })
  })
})

describe('a settings file that starts with a byte order mark (as some Windows editors write it)', () => {
  it('is read as Claude Code reads it: install, doctor and uninstall take it, and the mark stays', async () => {
    const home = tempFolder('home-')
    const folder = join(home, '.claude')
    mkdirSync(folder, { recursive: true })
    const before = `\uFEFF${JSON.stringify({ model: 'opus' }, null, 4)}\n`
    writeFileSync(join(folder, 'settings.json'), before)
    const env = { PATH: pathOf(binFolder(true)) }
    const installed = await runCli(['hooks', 'install', 'claude-code', '--global'], { home, env })
    expect(installed).toMatchObject({ code: 0, stderr: '' })
    const text = readFileSync(join(folder, 'settings.json'), 'utf8')
    expect(text.startsWith('\uFEFF{\n    "model": "opus",\n    "hooks": {')).toBe(true)
    const doctor = await runCli(['doctor', '--json'], { home, env })
    const check = (jsonData(doctor.stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }).checks.find((entry) => entry.name === 'Claude Code')
    expect(check).toMatchObject({ level: 'ok', detail: expect.stringContaining(`hooks installed in ${join(folder, 'settings.json')}`) as unknown })
    expect((await runCli(['hooks', 'uninstall', 'claude-code', '--global'], { home, env })).code).toBe(0)
    expect(readFileSync(join(folder, 'settings.json'), 'utf8')).toBe(before)
  })
})

describe('doctor on Claude Code', () => {
  type Check = { name: string; level: string; detail: string }
  const claudeCheck = async (options: Parameters<typeof runCli>[1]): Promise<{ code: number; check: Check | undefined }> => {
    const run = await runCli(['doctor', '--json'], options)
    return { code: run.code, check: (jsonData(run.stdout, 'doctor') as { checks: Check[] }).checks.find((entry) => entry.name === 'Claude Code') }
  }

  it('shows when the end of a turn, recorded in a detached process, last failed — until one succeeds', async () => {
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    const database = join(home, 'x.lmdb')
    const transcript = join(home, 's1.jsonl')
    writeFileSync(transcript, new Transcript('s1', cwd).prompt('Start.').response('msg_1', [{ type: 'text', text: 'one' }]).lines.map((line) => `${JSON.stringify(line)}\n`).join(''))
    const stop = JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd, hook_event_name: 'Stop', stop_hook_active: false })
    // A file that is no database where the database should be: the detached worker cannot write.
    writeFileSync(database, 'not a database')
    expect((await runCli(['hook', 'claude-code', '--db', database, '--detached'], { home, input: stop })).code).toBe(1)
    const failed = (await runCli(['doctor', '--db', database, '--json'], { home, cwd })).stdout
    const check = (jsonData(failed, 'doctor') as { checks: Check[] }).checks.find((entry) => entry.name === 'Claude Code')
    expect(check).toMatchObject({ level: 'problem', detail: expect.stringMatching(/the end of a turn \(Stop, \d{4}-.*\) could not be recorded: .*what it read waits for the next turn's end/) as unknown })
    expect(check?.detail).toMatch(new RegExp(`1 fact the hooks read \\(1 session, the oldest from \\d{4}-[^)]*\\) is not in the database yet — a write to the database failed: it waits in ${database}\\.pending and goes in with the next write`))
    rmSync(database)
    expect((await runCli(['hook', 'claude-code', '--db', database, '--detached'], { home, input: stop })).code).toBe(0)
    const cleared = (jsonData((await runCli(['doctor', '--db', database, '--json'], { home, cwd })).stdout, 'doctor') as { checks: Check[] }).checks.find((entry) => entry.name === 'Claude Code')
    expect(cleared?.detail).not.toContain('could not be recorded')
    expect(cleared?.detail).not.toContain('not in the database yet')
  })

  it('says which sessions ran without a transcript, so their work went untracked, and what waits for a turn under way', async () => {
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    const database = join(home, 'x.lmdb')
    const post = (session: string, id: string, transcript: string): string => JSON.stringify({ session_id: session, transcript_path: transcript, cwd, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: id, tool_response: { stdout: '' } })
    // claude -p --no-session-persistence: the transcript named in the input is never written.
    expect((await runCli(['hook', 'claude-code', '--db', database], { home, input: post('np', 'toolu_1', join(home, 'never.jsonl')) })).code).toBe(0)
    const untracked = await claudeCheck({ home, cwd, env: { AGENT_TRACKER_DB: database } })
    expect(untracked.check).toMatchObject({ level: 'finding', detail: expect.stringMatching(new RegExp(`^1 session in the last 30 days \\(the latest \\d{4}-[^,]*, in ${cwd}\\) ran without a transcript \\(claude --no-session-persistence\\)`)) as unknown })
    // A session with a transcript, mid-turn: its call waits for the turn's end, which is no finding.
    const transcript = join(home, 's1.jsonl')
    writeFileSync(transcript, new Transcript('s1', cwd).prompt('Start.').response('msg_1', [{ type: 'tool_use', id: 'toolu_2', name: 'Bash', input: { command: 'ls' } }]).lines.map((line) => `${JSON.stringify(line)}\n`).join(''))
    expect((await runCli(['hook', 'claude-code', '--db', database], { home, input: post('s1', 'toolu_2', transcript) })).code).toBe(0)
    expect((await claudeCheck({ home, cwd, env: { AGENT_TRACKER_DB: database } })).check?.detail).toMatch(/^1 fact of a turn under way waits for its end; 1 session in the last 30 days/)
  })

  it('tells facts a tracker kept at its exit (the OpenCode plugin, the CLI) from those the hooks read: a Pending line of their own, not the Claude Code line', async () => {
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    const database = join(home, 'x.lmdb')
    const doctorChecks = async (): Promise<Check[]> => (jsonData((await runCli(['doctor', '--json'], { home, cwd, env: { AGENT_TRACKER_DB: database } })).stdout, 'doctor') as { checks: Check[] }).checks
    // What the OpenCode plugin's tracker keeps when its write at exit cannot be made.
    const context = { host: 'opencode' as const, session: 'ses_1', setup: 'build@anthropic/claude-sonnet-4-5', project: cwd, at: new Date().toISOString() }
    new PendingFacts(database).add(KEPT_AT_EXIT, [hostToolCallFact(context, { callId: 'call_1', tool: 'bash', ok: true }), hostToolCallFact(context, { callId: 'call_2', tool: 'bash', ok: true })])
    const keptOnly = await doctorChecks()
    // Claude Code is not installed, and nothing of it waits.
    expect(keptOnly.find((entry) => entry.name === 'Claude Code')).toMatchObject({ level: 'ok', detail: expect.stringMatching(/^hooks not installed/) as unknown })
    expect(keptOnly.find((entry) => entry.name === 'Pending')).toMatchObject({ level: 'finding', detail: expect.stringMatching(new RegExp(`^2 facts that an agent-tracker process \\(the OpenCode plugin, or the CLI\\) could not write at its exit \\(the oldest from \\d{4}-[^)]*\\) are not in the database yet — .*: they wait in ${database}\\.pending and go in with the next write`)) as unknown })
    // A hook's fact beside them: the Claude Code line counts it alone.
    const transcript = join(home, 's1.jsonl')
    writeFileSync(transcript, new Transcript('s1', cwd).prompt('Start.').response('msg_1', [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } }]).lines.map((line) => `${JSON.stringify(line)}\n`).join(''))
    const post = JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_1', tool_response: { stdout: '' } })
    expect((await runCli(['hook', 'claude-code', '--db', database], { home, input: post })).code).toBe(0)
    const both = await doctorChecks()
    expect(both.find((entry) => entry.name === 'Claude Code')?.detail).toMatch(/^1 fact of a turn under way waits for its end$/)
    expect(both.find((entry) => entry.name === 'Pending')?.detail).toMatch(/^2 facts that an agent-tracker process/)
  })

  it("says where the hooks are installed (the user's settings under $CLAUDE_CONFIG_DIR, the project's) and what they run", async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    const config = join(home, 'cfg')
    const found = binFolder(true)
    const env = { CLAUDE_CONFIG_DIR: config, PATH: pathOf(found) }
    expect((await claudeCheck({ home, cwd: project, env })).check).toMatchObject({ level: 'ok', detail: expect.stringMatching(/^hooks not installed \(looked in .+\), so Claude Code is not tracked live/) as unknown })
    await runCli(['hooks', 'install', 'claude-code', '--global'], { home, cwd: project, env })
    expect((await claudeCheck({ home, cwd: project, env })).check).toEqual({ name: 'Claude Code', ok: true, level: 'ok', detail: `hooks installed in ${join(config, 'settings.json')} (they run ${join(found, 'agent-tracker')})` })
    await runCli(['hooks', 'install', 'claude-code'], { home, cwd: project, env: { CLAUDE_CONFIG_DIR: config } })
    const both = await claudeCheck({ home, cwd: project, env })
    // Not on that PATH, the project's hooks run this copy by its full paths: they went into the personal settings.local.json.
    expect(both.check?.detail).toBe([
      `hooks installed in ${join(config, 'settings.json')} (they run ${join(found, 'agent-tracker')})`,
      `hooks installed in ${join(project, '.claude', 'settings.local.json')} (they run ${process.execPath})`,
      `agent-tracker's hooks run 2 different commands (\`agent-tracker hook claude-code\` in ${join(config, 'settings.json')}, \`${FULL_PATH} hook claude-code\` in ${join(project, '.claude', 'settings.local.json')}), and Claude Code runs each of them, so agent-tracker's hooks run more than once for every event — keep one: agent-tracker hooks uninstall claude-code takes them out of the project's files (--global: out of yours)`,
    ].join('; '))
    expect(both.check?.level).toBe('finding')
    const text = await runCli(['doctor'], { home, cwd: project, env })
    expect(text.stdout).toMatch(/! Claude Code +hooks installed in /)
  })

  it("run from a subfolder of a repository, looks at the repository root's settings and the subfolder's, and says which folders it looked in", async () => {
    const home = tempFolder('home-')
    const { top, project: web } = gitProject('web')
    const env = { PATH: pathOf(binFolder(true)) }
    expect((await claudeCheck({ home, cwd: web, env })).check?.detail).toBe(`hooks not installed (looked in ${join(home, '.claude')}, ${join(top, '.claude')}, ${join(web, '.claude')}), so Claude Code is not tracked live (to track it: agent-tracker hooks install claude-code --global; agent-tracker import claude-code brings in its history)`)
    await runCli(['hooks', 'install', 'claude-code'], { home, cwd: top, env })
    // Claude Code reads a project's settings.json in the folder it starts in: started in web, it would not run them.
    const atRoot = await claudeCheck({ home, cwd: web, env })
    expect(atRoot.check).toMatchObject({ level: 'finding', detail: `hooks installed in ${SHARED(top)} (they run ${join(env.PATH, 'agent-tracker')}); Claude Code started in ${web} does not read ${SHARED(top)} (it reads a project's .claude settings only in the folder it is started in), so these hooks run only when it is started in ${top} — to track it started anywhere: agent-tracker hooks install claude-code --global` })
    expect((await claudeCheck({ home, cwd: top, env })).check).toMatchObject({ level: 'ok', detail: `hooks installed in ${SHARED(top)} (they run ${join(env.PATH, 'agent-tracker')})` })
    // Nor the root's personal settings.local.json (where install puts hooks that run it by full paths).
    await runCli(['hooks', 'uninstall', 'claude-code'], { home, cwd: top, env })
    await runCli(['hooks', 'install', 'claude-code', '--local'], { home, cwd: top, env })
    expect((await claudeCheck({ home, cwd: web, env })).check).toMatchObject({ level: 'finding', detail: expect.stringContaining(`Claude Code started in ${web} does not read ${LOCAL(top)} (`) as unknown })
    await runCli(['hooks', 'uninstall', 'claude-code'], { home, cwd: top, env })
    await runCli(['hooks', 'install', 'claude-code'], { home, cwd: top, env })
    await runCli(['hooks', 'install', 'claude-code'], { home, cwd: web, env })
    expect((await claudeCheck({ home, cwd: web, env })).check).toMatchObject({ level: 'ok', detail: `hooks installed in ${SHARED(top)} and ${SHARED(web)} (they run ${join(env.PATH, 'agent-tracker')})` })
    const plugin = (jsonData((await runCli(['doctor', '--json'], { home, cwd: web, env })).stdout, 'doctor') as { checks: { name: string; detail: string }[] }).checks.find((check) => check.name === 'Plugin')
    expect(plugin?.detail).toBe(`no OpenCode config (looked in ${web} up to its repository's root ${top}, and globally) — so OpenCode records nothing: run agent-tracker init (this project) or agent-tracker init --global`)
  })

  it("reads the project's settings.local.json too: the same command in both files counts once, different ones are a finding, a bad file is named", async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    const found = binFolder(true)
    const env = { PATH: pathOf(found) }
    await runCli(['hooks', 'install', 'claude-code', '--local'], { home, cwd: project, env })
    expect((await claudeCheck({ home, cwd: project, env })).check).toMatchObject({ level: 'ok', detail: `hooks installed in ${LOCAL(project)} (they run ${join(found, 'agent-tracker')})` })
    // A teammate's identical shared hooks: Claude Code runs that command once.
    writeFileSync(SHARED(project), readFileSync(LOCAL(project), 'utf8'))
    expect((await claudeCheck({ home, cwd: project, env })).check).toMatchObject({ level: 'ok', detail: `hooks installed in ${SHARED(project)} and ${LOCAL(project)} (they run ${join(found, 'agent-tracker')})` })
    await runCli(['hooks', 'install', 'claude-code', '--local', '--db', '~/mine.lmdb'], { home, cwd: project, env })
    const twice = await claudeCheck({ home, cwd: project, env: { ...env, AGENT_TRACKER_DB: '~/mine.lmdb' } })
    expect(twice.code).toBe(0)
    expect(twice.check?.level).toBe('finding')
    expect(twice.check?.detail).toContain(`agent-tracker's hooks run 2 different commands (\`agent-tracker hook claude-code\` in ${SHARED(project)}, \`agent-tracker hook claude-code --db '~/mine.lmdb'\` in ${LOCAL(project)}), and Claude Code runs each of them, so agent-tracker's hooks run more than once for every event`)
    writeFileSync(LOCAL(project), '{ "hooks": ')
    expect((await claudeCheck({ home, cwd: project, env })).check).toMatchObject({ level: 'finding', detail: `hooks installed in ${SHARED(project)} (they run ${join(found, 'agent-tracker')}); ${LOCAL(project)} cannot be read (it is not valid JSON (${CUT_JSON})), so Claude Code ignores it` })
  })

  it('finds hooks that start another version of agent-tracker (an old one left on PATH), reading its package, and runs nothing to ask', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    const old = versionedBin('0.0.1')
    await runCli(['hooks', 'install', 'claude-code', '--global'], { home, cwd: project, env: { PATH: pathOf(old) } })
    const stale = await claudeCheck({ home, cwd: project, env: { PATH: pathOf(old) } })
    expect(stale.check?.level).toBe('finding')
    expect(stale.check?.detail).toContain(`they start agent-tracker 0.0.1, older than this ${OURS}: an older agent-tracker cannot open a database a newer one has upgraded, and then every hook fails without a word — update the one they start (npm i -g @agent-tracker/cli`)
    expect((await claudeCheck({ home, cwd: project, env: { PATH: pathOf(versionedBin(OURS)) } })).check).toMatchObject({ level: 'ok', detail: expect.not.stringContaining('they start agent-tracker') as unknown })
    expect((await claudeCheck({ home, cwd: project, env: { PATH: pathOf(versionedBin('99.0.0')) } })).check?.detail).toContain(`they start agent-tracker 99.0.0, newer than this ${OURS}`)

    // npx would fetch the package to answer: the hooks' npx is found, and left unasked.
    const runner = tempFolder('runner-')
    const asked = join(runner, 'asked')
    writeFileSync(join(runner, 'npx'), `#!/bin/sh\ntouch '${asked}'\necho 0.0.1\n`)
    chmodSync(join(runner, 'npx'), 0o755)
    writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: 'npx agent-tracker hook claude-code' }] }] } }))
    const npx = await claudeCheck({ home, cwd: project, env: { PATH: pathOf(runner) } })
    expect(npx.check?.detail).toContain(`(they run ${join(runner, 'npx')})`)
    expect(npx.check?.detail).not.toContain('they start agent-tracker')
    expect(existsSync(asked)).toBe(false)

    // A cloned repository's settings name what its hooks run: doctor must never run it.
    const clone = tempFolder('clone-')
    const pwned = join(clone, 'pwned')
    mkdirSync(join(clone, '.claude'))
    writeFileSync(join(clone, 'agent-tracker.js'), `require('fs').writeFileSync(${JSON.stringify(pwned)}, 'ran'); console.log('9.9.9')\n`)
    writeFileSync(join(clone, '.claude', 'settings.json'), JSON.stringify({ hooks: {
      PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: `node ${join(clone, 'agent-tracker.js')} hook claude-code` }] }],
      PostToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: `sh -c 'touch ${pwned}' agent-tracker hook claude-code` }] }],
    } }))
    const cloned = await claudeCheck({ home, cwd: clone, env: { PATH: process.env.PATH ?? '' } })
    expect(cloned.check?.detail).not.toContain('9.9.9')
    expect(existsSync(pwned)).toBe(false)
  })

  it('finds a problem when the command the hooks run would not start: not on PATH, or a file it names is gone', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    await runCli(['hooks', 'install', 'claude-code', '--global'], { home, cwd: project, env: { PATH: pathOf(binFolder(true)) } })
    const missing = await claudeCheck({ home, cwd: project, env: { PATH: pathOf(binFolder(false)) } })
    expect(missing.code).toBe(1)
    expect(missing.check).toMatchObject({ level: 'problem', detail: `hooks in ${join(home, '.claude', 'settings.json')} run \`agent-tracker hook claude-code\`, but agent-tracker is not on your PATH: every hook fails without a word and nothing is tracked — install agent-tracker for good (npm i -g @agent-tracker/cli), then run agent-tracker hooks install claude-code --global` })
    const text = await runCli(['doctor'], { home, cwd: project })
    expect(text.stdout).toMatch(/✗ Claude Code +hooks in .* run `agent-tracker hook claude-code`, but agent-tracker is not on your PATH/)

    const gone = join(tempFolder('npx-'), '_npx', 'ab12', 'node_modules', '@agent-tracker', 'cli', 'bin', 'agent-tracker.js')
    mkdirSync(join(project, '.claude'))
    writeFileSync(join(project, '.claude', 'settings.json'), JSON.stringify({ hooks: { Stop: [{ hooks: [{ type: 'command', command: `'${process.execPath}' '${gone}' hook claude-code` }] }] } }))
    const deleted = await claudeCheck({ home, cwd: project, env: { PATH: pathOf(binFolder(true)) } })
    expect(deleted.check?.level).toBe('problem')
    expect(deleted.check?.detail).toContain(`hooks in ${join(project, '.claude', 'settings.json')} run \`'${process.execPath}' '${gone}' hook claude-code\`, but ${gone} does not exist`)
    expect(deleted.check?.detail).toContain(`no hook for UserPromptSubmit, PreToolUse, PostToolUse, PostToolUseFailure, SubagentStop, SessionEnd in ${join(project, '.claude', 'settings.json')}`)
  })

  it('notes the hooks an earlier release installed without a timeout, until installing again gives each one', async () => {
    const home = tempFolder('home-')
    const env = { PATH: pathOf(binFolder(true)) }
    const settings = join(home, '.claude', 'settings.json')
    await runCli(['hooks', 'install', 'claude-code', '--global'], { home, env })
    expect((await claudeCheck({ home, env })).check).toMatchObject({ level: 'ok' })
    // As an earlier release wrote them: a timeout on SessionEnd's only.
    const written = JSON.parse(readFileSync(settings, 'utf8')) as { hooks: Record<string, { hooks: { timeout?: number }[] }[]> }
    for (const [event, groups] of Object.entries(written.hooks)) if (event !== 'SessionEnd') for (const group of groups) for (const hook of group.hooks) delete hook.timeout
    writeFileSync(settings, JSON.stringify(written))
    const untimed = await claudeCheck({ home, env })
    expect(untimed.check).toMatchObject({ level: 'finding', detail: expect.stringContaining(`agent-tracker's hooks for UserPromptSubmit, PreToolUse, PostToolUse, PostToolUseFailure, Stop, SubagentStop in ${settings} set no timeout, so Claude Code would wait up to its default (600 s) for one that is stuck — run agent-tracker hooks install claude-code --global again to give each 10 s`) as unknown })
    await runCli(['hooks', 'install', 'claude-code', '--global'], { home, env })
    expect((await claudeCheck({ home, env })).check).toMatchObject({ level: 'ok' })
  })

  it('finds hooks whose words would not reach `hook claude-code` (an option before it, a misspelled command), naming the right fix, and an AGENT_TRACKER_DB they set', async () => {
    const home = tempFolder('home-')
    const env = { PATH: pathOf(binFolder(true)) }
    const settings = join(home, '.claude', 'settings.json')
    const installWith = (command: string): void => {
      mkdirSync(join(home, '.claude'), { recursive: true })
      writeFileSync(settings, JSON.stringify({ hooks: Object.fromEntries(['UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'PostToolUseFailure', 'Stop', 'SubagentStop', 'SessionEnd'].map((event) => [event, [{ hooks: [{ type: 'command', command, timeout: 10, statusMessage: 'agent-tracker' }] }]])) }))
    }
    installWith('agent-tracker --db /x.lmdb hook claude-code')
    const before = await claudeCheck({ home, env })
    expect(before.code).toBe(1)
    expect(before.check).toMatchObject({ level: 'problem', detail: `hooks in ${settings} run \`agent-tracker --db /x.lmdb hook claude-code\`, but \`--db /x.lmdb\` comes between agent-tracker and \`hook claude-code\`, where agent-tracker refuses it before the hook runs (options of the hook go after \`hook claude-code\`): every hook fails without a word and nothing is tracked — run agent-tracker hooks install claude-code --global to write the command afresh (a database goes with its --db, which puts it after \`hook claude-code\`; --command names only the program)` })
    // The path is the database's, not a program's: it is not said to be missing.
    expect(before.check?.detail).not.toContain('does not exist')
    installWith(`'${process.execPath}' '${BUILT_BIN}' hok claude-code`)
    expect((await claudeCheck({ home, env })).check).toMatchObject({ level: 'problem', detail: expect.stringContaining('but `hok` stands where `hook claude-code` should, so agent-tracker handles no hook event (a word that is none of its commands, it refuses before any hook runs)') as unknown })
    installWith('agent-tracker hook claude')
    expect((await claudeCheck({ home, env })).check?.detail).toContain("but it runs `hook claude`, but agent-tracker's hook serves claude-code")
    installWith('AGENT_TRACKER_DB=/elsewhere.lmdb agent-tracker hook claude-code')
    expect((await claudeCheck({ home, env })).check).toMatchObject({ level: 'finding', detail: expect.stringContaining(`they set AGENT_TRACKER_DB=/elsewhere.lmdb, so they record into /elsewhere.lmdb, not ${join(home, '.config', 'opencode', 'agent-tracker.lmdb')} checked here`) as unknown })
  })

  it('finds, and uninstall removes, the hooks an earlier version wrote for an empty --command, which run no program', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    mkdirSync(join(project, '.claude'))
    const broken = { type: 'command', command: ' hook claude-code' }
    writeFileSync(SHARED(project), JSON.stringify({ model: 'opus', hooks: { Stop: [{ hooks: [broken] }], PreToolUse: [{ matcher: '*', hooks: [broken, { type: 'command', command: 'my-linter hook claude-code' }] }] } }))
    const found = await claudeCheck({ home, cwd: project, env: { PATH: pathOf(binFolder(true)) } })
    expect(found.code).toBe(1)
    expect(found.check).toMatchObject({ level: 'problem', detail: expect.stringContaining(`hooks in ${SHARED(project)} run \` hook claude-code\`, but it names no program before \`hook claude-code\`: every hook fails without a word`) as unknown })
    const removed = await runCli(['hooks', 'uninstall', 'claude-code'], { home, cwd: project })
    expect(removed.stdout).toContain(`Removed agent-tracker's Claude Code hooks from ${SHARED(project)} (2 hooks); everything else in it stays.`)
    expect(JSON.parse(readFileSync(SHARED(project), 'utf8'))).toEqual({ model: 'opus', hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: 'my-linter hook claude-code' }] }] } })
  })

  it('calls hooks that record into a folder of other files a problem, naming a file path to install them with', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    writeFileSync(join(project, 'file.txt'), 'mine')
    const env = { PATH: pathOf(binFolder(true)) }
    // As an earlier release installed them for `--db .`, which it took as the project folder.
    expect((await runCli(['hooks', 'install', 'claude-code', '--db', join(project, 'agent-tracker.lmdb')], { home, cwd: project, env })).code).toBe(0)
    const local = join(project, '.claude', 'settings.local.json')
    writeFileSync(local, readFileSync(local, 'utf8').replaceAll(join(project, 'agent-tracker.lmdb'), project))
    const found = await claudeCheck({ home, cwd: project, env })
    expect(found.code).toBe(1)
    expect(found.check).toMatchObject({ level: 'problem', detail: expect.stringContaining(`record into ${project}, which cannot be a database: it is a folder with other files in it and no agent-tracker database. Give a file path in it instead, e.g. ${join(project, 'agent-tracker.lmdb')}. Every write of theirs fails and nothing reaches a database — run agent-tracker hooks install claude-code (in ${project}) again without --db, for the default database, or with --db naming a file outside any project (a database inside one could be committed with it)`) as unknown })
  })

  it('notes hooks that record into another database than the one doctor checks, and a settings file Claude Code cannot read', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    const env = { PATH: pathOf(binFolder(true)) }
    await runCli(['hooks', 'install', 'claude-code', '--global', '--db', '~/other.lmdb'], { home, cwd: project, env })
    const other = await claudeCheck({ home, cwd: project, env })
    expect(other.code).toBe(0)
    expect(other.check).toMatchObject({ level: 'finding', detail: expect.stringContaining(`they record into ${join(home, 'other.lmdb')}, not ${join(home, '.config', 'opencode', 'agent-tracker.lmdb')} checked here — to read theirs: export AGENT_TRACKER_DB=${join(home, 'other.lmdb')} (or --db)`) as unknown })
    expect((await claudeCheck({ home, cwd: project, env: { ...env, AGENT_TRACKER_DB: '~/other.lmdb' } })).check?.level).toBe('ok')
    mkdirSync(join(project, '.claude'))
    writeFileSync(join(project, '.claude', 'settings.json'), '{ "hooks": ')
    const broken = await claudeCheck({ home, cwd: project, env: { ...env, AGENT_TRACKER_DB: '~/other.lmdb' } })
    expect(broken.check).toMatchObject({ level: 'finding', detail: expect.stringContaining(`${join(project, '.claude', 'settings.json')} cannot be read (it is not valid JSON (${CUT_JSON})), so Claude Code ignores it`) as unknown })
    rmSync(join(project, '.claude'), { recursive: true })
  })
})

describe('agent-tracker hook claude-code', () => {
  it('answers a prompt that is no command, and records a tool call as pending, without loading the database library', async () => {
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    // Reports, as the process exits, whether Node ever loaded lmdb.
    const probe = join(tempFolder(), 'probe.cjs')
    writeFileSync(probe, "process.on('exit', () => { require('node:fs').writeSync(2, Object.keys(require.cache).some((file) => /[\\\\/]lmdb[\\\\/]/.test(file)) ? 'lmdb loaded' : 'no lmdb') })\n")
    const transcript = new Transcript('s1', cwd).prompt('Work.').write(join(home, 't.jsonl'))
    const base = { session_id: 's1', transcript_path: transcript, cwd }
    const env = { NODE_OPTIONS: `--require ${probe}` }
    const prompt = await runBuiltCli(['hook', 'claude-code'], { home, env, input: JSON.stringify({ ...base, hook_event_name: 'UserPromptSubmit', prompt: 'Carry on.' }) })
    expect(prompt).toMatchObject({ code: 0, stderr: 'no lmdb' })
    const tool = await runBuiltCli(['hook', 'claude-code'], { home, env, input: JSON.stringify({ ...base, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_1', tool_response: {} }) })
    expect(tool).toMatchObject({ code: 0, stderr: 'no lmdb' })
    // The probe tells: a command that reads the database loads it.
    expect((await runBuiltCli(['agents'], { home, env })).stderr).toBe('lmdb loaded')
  })

  it('keeps a character whole that straddles two chunks of a large event on stdin', async () => {
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    const database = join(home, 'x.lmdb')
    expect((await runCli(['ingest', '--db', database], { home, input: factLine({ kind: 'commit', setup: 'build@openai/gpt-5', project: cwd, hash: 'abcdef1', message: 'x' }) })).code).toBe(0)
    // 90 KB of three-byte characters: a pipe gives it in 64 KiB chunks, whose edge cuts one of them.
    const note = '€'.repeat(30_000)
    const event = JSON.stringify({ session_id: 's1', cwd, hook_event_name: 'UserPromptSubmit', prompt: `/bug ${note}` })
    expect(await runBuiltCli(['hook', 'claude-code', '--db', database], { home, input: event })).toMatchObject({ code: 0 })
    const exported = JSON.parse((await runCli(['export', '--format', 'json', '--db', database], { home })).stdout) as { collections: { bugs: { note?: string }[] } }
    expect(exported.collections.bugs.map((bug) => bug.note)).toEqual([note])
  })

  it('handles an event given on stdin, in process and as the built binary (which loads only the hook)', async () => {
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    const transcript = new Transcript('s1', cwd).response('msg_1', [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '.env' } }]).write(join(home, 't.jsonl'))
    const event = JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: join(cwd, '.env') }, tool_use_id: 'toolu_1' })
    const inProcess = await runCli(['hook', 'claude-code'], { home, input: event })
    expect(inProcess.code).toBe(0)
    expect(JSON.parse(inProcess.stdout)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } })
    const built = await runBuiltCli(['hook', 'claude-code'], { home, input: event })
    expect(built.stdout).toBe(inProcess.stdout)
    const recorded = await runBuiltCli(['hook', 'claude-code', '--db', join(home, 'x.lmdb')], { home, input: JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd, hook_event_name: 'PostToolUse', tool_name: 'Read', tool_input: {}, tool_use_id: 'toolu_1', tool_response: {} }) })
    expect(recorded).toMatchObject({ code: 0, stdout: '', stderr: '' })
    expect(existsSync(join(home, 'x.lmdb'))).toBe(false)
    // Stop answers at once; its work — the turn's usage, the pending call, the flush — goes on in a detached process.
    const stopped = await runBuiltCli(['hook', 'claude-code', '--db', join(home, 'x.lmdb')], { home, input: JSON.stringify({ session_id: 's1', transcript_path: transcript, cwd, hook_event_name: 'Stop', stop_hook_active: false }) })
    expect(stopped).toMatchObject({ code: 0, stdout: '', stderr: '' })
    const status = async (): Promise<unknown> => existsSync(join(home, 'x.lmdb')) ? jsonData((await runCli(['status', '--db', join(home, 'x.lmdb'), '--json'], { home })).stdout, 'status') : []
    await expect.poll(status, { timeout: 20_000, interval: 100 }).toEqual([expect.objectContaining({ setup: 'claude-code@anthropic/claude-opus-4-8', state: expect.objectContaining({ toolCalls: 1, messages: 1 }) as unknown })])
  })

  it('reads at each Stop, a process of its own, only what the transcript gained since the last, counting each response once', async () => {
    const home = tempFolder('home-')
    const cwd = tempFolder('project-')
    const database = join(home, 'x.lmdb')
    const file = join(home, 's1.jsonl')
    const lines = (transcript: Transcript): string => transcript.lines.map((line) => `${JSON.stringify(line)}\n`).join('')
    const stop = async (): Promise<object> => {
      // In the foreground, so that each Stop has finished before the next line is written.
      expect(await runBuiltCli(['hook', 'claude-code', '--db', database, '--foreground'], { home, input: JSON.stringify({ session_id: 's1', transcript_path: file, cwd, hook_event_name: 'Stop', stop_hook_active: false }) })).toMatchObject({ code: 0, stderr: '' })
      const [row] = jsonData((await runCli(['status', '--db', database, '--json'], { home })).stdout, 'status') as { state: { messages: number; tokens: object } }[]
      return { messages: row?.state.messages, tokens: row?.state.tokens }
    }
    writeFileSync(file, lines(new Transcript('s1', cwd).prompt('Start.').response('msg_1', [{ type: 'text', text: 'one' }]).response('msg_2', [{ type: 'thinking', thinking: 'hm' }])))
    expect(await stop()).toEqual({ messages: 2, tokens: expect.objectContaining({ input: 200, output: 40 }) as unknown })
    // msg_2's second content block lands after that Stop; a response counted already is changed in place.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"id":"msg_1"', '"id":"msg_X"'))
    appendFileSync(file, lines(new Transcript('s1', cwd).response('msg_2', [{ type: 'text', text: 'two' }]).prompt('Go on.').response('msg_3', [{ type: 'text', text: 'three' }])))
    expect(await stop()).toEqual({ messages: 3, tokens: expect.objectContaining({ input: 300, output: 60 }) as unknown })
    expect(await stop()).toEqual({ messages: 3, tokens: expect.objectContaining({ input: 300, output: 60 }) as unknown })
  })

  it('exits 1, never 2 (which Claude Code takes as a block), when the hook command line cannot be read, and says how to fix it', async () => {
    const home = tempFolder('home-')
    const event = JSON.stringify({ hook_event_name: 'UserPromptSubmit', session_id: 's1', cwd: home, prompt: 'hi' })
    const inProcess = await runCli(['--db', '/x.lmdb', 'hook', 'claude-code'], { home, input: event })
    expect(inProcess.code).toBe(1)
    expect(inProcess.stderr).toContain("error: unknown option '--db'")
    expect(inProcess.stderr).toContain('agent-tracker: this hook command cannot be read, so the hook did not run. agent-tracker doctor says what is wrong with it')
    // As Claude Code runs it: through the shell, the built binary.
    const shell = await runHookLine(`'${process.execPath}' '${BUILT_BIN}' --db /x.lmdb hook claude-code`, event, { HOME: home, PATH: process.env.PATH ?? '' })
    expect(shell.code).toBe(1)
    // Any other command's usage error stays exit 2.
    expect((await runCli(['--db', '/x.lmdb', 'status'], { home })).code).toBe(2)
  })

  it('says what is wrong with its arguments or input, as a hook error that never stops Claude Code', async () => {
    expect(await runCli(['hook', 'cursor'], { input: '{}' })).toMatchObject({ code: 1, stderr: expect.stringContaining('agent-tracker hook serves claude-code, got "cursor"') as unknown })
    // A team URL is no database for the hooks, and its password must not land in settings.json.
    const team = await runCli(['hooks', 'install', 'claude-code', '--db', 'postgres://me:s3cret@db.example.com/tracker?password=s3cret'], { home: tempFolder('home-') })
    expect(team.code).toBe(2)
    expect(team.stderr).toContain('hooks install takes a local database for --db')
    expect(team.stderr).not.toContain('s3cret')
    const write = await runCli(['activity', 'build@x/y', '--task', 't', '--db', 'postgres://me@db.example.com/tracker?password=s3cret'])
    expect(write.code).toBe(2)
    expect(write.stderr).toContain('password=***')
    expect(write.stderr).not.toContain('s3cret')
    // No way to hand it a file to read (and remove): the event comes on stdin only.
    expect(await runCli(['hook', 'claude-code', '--event-file', '/etc/hostname'], { input: '{}' })).toMatchObject({ code: 1, stderr: expect.stringContaining('Unknown option "--event-file"') as unknown })
    expect(await runCli(['hook', 'claude-code', '--enforce-halt', 'maybe'], { input: '{}' })).toMatchObject({ code: 1, stderr: expect.stringContaining('Invalid --enforce-halt "maybe": accepted are block, warn, off; the default (block) is used.') as unknown })
    expect(await runCli(['hook', 'claude-code'], { input: '{"session_id":"s"}' })).toMatchObject({ code: 1, stderr: expect.stringContaining('has no "hook_event_name"') as unknown })
  })
})
