import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { locateDatabase } from '@agent-tracker/node-host'
import stringWidth from 'string-width'
import { beforeAll, describe, expect, it } from 'vitest'
import { BUILT_BIN, factLine, jsonData, jsonError, runBuiltCli, runCli, runCliAtTerminal, tempFolder } from './run-cli.js'
import type { Seeded } from './seed.js'
import { GPT, SONNET, seedHistory } from './seed.js'

let seeded: Seeded
beforeAll(async () => {
  seeded = await seedHistory()
}, 60_000)

describe('first run: no database yet', () => {
  it.each([['agents'], ['report'], ['status'], ['projects'], ['history', SONNET], ['status', SONNET], ['retro'], ['search', 'webhooks']])('%s says there is no data yet and how to start, exit 0', async (...args) => {
    const home = tempFolder('fresh-')
    const { code, stdout, stderr } = await runCli(args, { home })
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(stdout).toContain(`No data yet: there is no agent-tracker database at ${join(home, '.config', 'opencode', 'agent-tracker.lmdb')}.`)
    expect(stdout).toContain('agent-tracker init --global')
    expect(stdout).toContain('agent-tracker demo')
    expect(existsSync(join(home, '.config', 'opencode', 'agent-tracker.lmdb'))).toBe(false)
  })

  it('recommend and export say the same, and write nothing', async () => {
    const home = tempFolder('fresh-')
    const project = tempFolder('app-')
    writeFileSync(join(project, 'package.json'), '{"dependencies":{"react":"19"}}')
    const recommend = await runCli(['recommend', project], { home })
    expect(recommend.code).toBe(0)
    expect(recommend.stdout).toContain('No data yet')
    const exported = await runCli(['export', '--format', 'html'], { home, cwd: project })
    expect(exported.code).toBe(0)
    expect(exported.stdout).toContain('No data yet')
    expect(readdirSync(project)).toEqual(['package.json'])
  })

  it('a data export with no database is an empty export, and says why on stderr', async () => {
    const home = tempFolder('fresh-')
    const json = await runCli(['export', '--format', 'json'], { home })
    expect(json.code).toBe(0)
    expect((JSON.parse(json.stdout) as { collections: Record<string, unknown[]> }).collections.commits).toEqual([])
    expect(json.stderr).toContain('No data yet: there is no agent-tracker database at')
    const csv = await runCli(['export', '--format', 'csv', '--table', 'commits'], { home })
    expect(csv.stdout.trim().split('\n')).toHaveLength(1)
    expect(existsSync(join(home, '.config', 'opencode', 'agent-tracker.lmdb'))).toBe(false)
  })

  it('doctor reports the missing database and the plugin missing from OpenCode\'s config as findings, not "All good."', async () => {
    const home = tempFolder('fresh-')
    const { code, stdout } = await runCli(['doctor'], { home, cwd: home })
    expect(code).toBe(0)
    expect(stdout).toMatch(/! File +no database yet, so nothing is recorded/)
    // demo plays into a folder of its own: it is not offered as a way to make this database.
    const file = (jsonData((await runCli(['doctor', '--json'], { home, cwd: home })).stdout, 'doctor') as { checks: { name: string; detail: string }[] }).checks.find((entry) => entry.name === 'File')
    expect(file?.detail).toBe('no database yet, so nothing is recorded: it is created when the plugin records its first session (after agent-tracker init), or by agent-tracker import, which brings in the sessions you already had; agent-tracker demo shows the tracker on a sample history in a folder of its own, without making it')
    expect(stdout).toContain(`! Plugin       no OpenCode config (looked in ${home}, and globally) — so OpenCode records nothing`)
    expect(stdout).toContain(`✓ Claude Code  hooks not installed (looked in ${join(home, '.claude')}), so Claude Code is not tracked live`)
    expect(stdout).toContain('Nothing is broken; 2 things to look at (! above).')
    expect(stdout).not.toContain('All good.')
  })

  it('doctor finds the plugin in the global config under XDG_CONFIG_HOME, and in a project\'s opencode.jsonc up to the repository root', async () => {
    const home = tempFolder('home-')
    const xdg = join(home, 'xdg')
    mkdirSync(join(xdg, 'opencode'), { recursive: true })
    writeFileSync(join(xdg, 'opencode', 'opencode.json'), '{ "plugin": ["@agent-tracker/opencode-plugin@0.1.0"] }')
    const global = await runCli(['doctor', '--db', seeded.db], { home, env: { XDG_CONFIG_HOME: xdg } })
    expect(global.stdout).toMatch(new RegExp(`✓ Plugin +configured in ${join(xdg, 'opencode', 'opencode.json')} \\(looked in .+, and globally\\)\n`))
    expect((await runCli(['doctor', '--db', seeded.db], { home })).stdout).toContain('! Plugin')
    const repo = tempFolder('repo-')
    mkdirSync(join(repo, '.git'))
    mkdirSync(join(repo, 'src'))
    writeFileSync(join(repo, 'opencode.jsonc'), '{\n  // ours\n  "plugin": [["@agent-tracker/opencode-plugin", { "exportStatusFile": "always" }]]\n}\n')
    const project = await runCli(['doctor', '--db', seeded.db], { home, cwd: join(repo, 'src') })
    expect(project.stdout).toContain(`✓ Plugin       configured in ${join(repo, 'opencode.jsonc')} (looked in ${join(repo, 'src')} up to its repository's root ${repo}, and globally)\n`)
    // A local copy of the plugin, loaded by file URL from a checkout whose path names neither agent-tracker nor the plugin.
    const checkout = join(tempFolder('work-'), 'plugins', 'tracking')
    mkdirSync(join(checkout, 'bundle'), { recursive: true })
    writeFileSync(join(checkout, 'package.json'), JSON.stringify({ name: '@agent-tracker/opencode-plugin', version: '0.0.0' }))
    writeFileSync(join(checkout, 'bundle', 'index.js'), 'export {}\n')
    writeFileSync(join(repo, 'opencode.jsonc'), JSON.stringify({ plugin: [[pathToFileURL(join(checkout, 'bundle', 'index.js')).href, {}]] }))
    expect((await runCli(['doctor', '--db', seeded.db], { home, cwd: repo })).stdout).toContain(`✓ Plugin       configured in ${join(repo, 'opencode.jsonc')}`)
    writeFileSync(join(checkout, 'package.json'), JSON.stringify({ name: 'some-other-plugin' }))
    expect((await runCli(['doctor', '--db', seeded.db], { home, cwd: repo })).stdout).toContain('! Plugin')
    writeFileSync(join(repo, 'opencode.jsonc'), '{ "plugin": [ "other" // no closing')
    expect((await runCli(['doctor', '--db', seeded.db], { home, cwd: repo })).stdout).toContain(`${join(repo, 'opencode.jsonc')} cannot be read (`)
  })
})

describe('init', () => {
  it('leaves a config as it was when the disk cannot take the edited one (never cut short)', async () => {
    const project = tempFolder('oc-')
    const config = join(project, 'opencode.json')
    // A config over 2 KiB, and a process that may write files of at most 2 KiB (as a full disk would stop it).
    const original = `{\n  "instructions": ${JSON.stringify(['x'.repeat(3000)])}\n}\n`
    writeFileSync(config, original)
    const home = tempFolder('home-')
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile('bash', ['-c', 'trap "" XFSZ; ulimit -f 2; exec "$0" "$@"', process.execPath, BUILT_BIN, 'init'], { cwd: project, env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1' } }, (error, _stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stderr })
      })
      child.stdin?.end()
    })
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(`Cannot write ${config}:`)
    expect(readFileSync(config, 'utf8')).toBe(original)
    expect(readdirSync(project)).toEqual(['opencode.json'])
  })

  it('keeps a comment after an existing plugin on its line', async () => {
    const project = tempFolder('oc-')
    writeFileSync(join(project, 'opencode.jsonc'), '{\n  "plugin": [\n    "opencode-wakatime", // keep this one\n  ],\n}\n')
    expect((await runCli(['init'], { cwd: project })).code).toBe(0)
    expect(readFileSync(join(project, 'opencode.jsonc'), 'utf8')).toBe('{\n  "plugin": [\n    "opencode-wakatime", // keep this one\n    "@agent-tracker/opencode-plugin",\n  ],\n}\n')
  })

  it("puts the plugin in the place of the predecessor's, which doctor names while both are loaded", async () => {
    const project = tempFolder('oc-')
    const file = join(project, 'opencode.json')
    const pluginCheck = async (): Promise<{ level: string; detail: string } | undefined> => (jsonData((await runCli(['doctor', '--json'], { cwd: project })).stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }).checks.find((check) => check.name === 'Plugin')
    writeFileSync(file, '{ "plugin": ["opencode-agent-tracker", "@agent-tracker/opencode-plugin"] }\n')
    expect(await pluginCheck()).toMatchObject({ level: 'finding', detail: expect.stringContaining(`${file} loads the predecessor's opencode-agent-tracker, which writes its own format at the same database path`) as unknown })
    writeFileSync(file, '{ "plugin": ["opencode-agent-tracker"] }\n')
    const init = await runCli(['init', '--json'], { cwd: project })
    expect(jsonData(init.stdout, 'init')).toMatchObject({ changed: true, changes: [{ kind: 'plugin-replaced', from: '"opencode-agent-tracker"' }] })
    expect(readFileSync(file, 'utf8')).toBe('{ "plugin": ["@agent-tracker/opencode-plugin"] }\n')
    expect(await pluginCheck()).toMatchObject({ level: 'ok' })
  })

  it("takes the predecessor's plugin out wherever OpenCode would load it beside this one, as doctor advises", async () => {
    const home = tempFolder('home-')
    const project = tempFolder('oc-')
    mkdirSync(join(project, '.git'))
    const sub = join(project, 'web')
    mkdirSync(sub)
    const file = join(project, 'opencode.jsonc')
    const inSub = join(sub, 'opencode.json')
    const global = join(home, '.config', 'opencode', 'opencode.json')
    mkdirSync(join(home, '.config', 'opencode'), { recursive: true })
    writeFileSync(file, '{\n  // mine\n  "plugin": [\n    "@agent-tracker/opencode-plugin",\n    "opencode-agent-tracker", // the old one\n    "opencode-wakatime"\n  ]\n}\n')
    writeFileSync(inSub, '{ "plugin": ["opencode-agent-tracker@0.0.9"], "theme": "dark" }\n')
    writeFileSync(global, '{ "plugin": ["opencode-agent-tracker"] }\n')
    const pluginCheck = async (cwd: string): Promise<{ level: string; detail: string } | undefined> => (jsonData((await runCli(['doctor', '--json'], { home, cwd })).stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }).checks.find((check) => check.name === 'Plugin')
    const before = await pluginCheck(sub)
    expect(before?.detail).toContain(`${inSub} loads the predecessor's opencode-agent-tracker, which writes its own format at the same database path: take it out: agent-tracker init does (and adds agent-tracker, if missing)`)
    expect(before?.detail).toContain(`${file} loads the predecessor's opencode-agent-tracker, which writes its own format at the same database path: take it out: agent-tracker init does`)
    expect(before?.detail).toContain(`${global} loads the predecessor's opencode-agent-tracker, which writes its own format at the same database path: take it out: agent-tracker init --global does`)
    const init = await runCli(['init'], { home, cwd: sub })
    expect(init.code).toBe(0)
    expect(init.stdout).toContain(`@agent-tracker/opencode-plugin is already in ${file}; took the predecessor's plugin out.`)
    expect(init.stdout).toContain(`  removed from ${file}: "opencode-agent-tracker" (the predecessor's plugin`)
    expect(init.stdout).toContain(`  removed from ${inSub}: "opencode-agent-tracker@0.0.9" (the predecessor's plugin`)
    expect(readFileSync(file, 'utf8')).toBe('{\n  // mine\n  "plugin": [\n    "@agent-tracker/opencode-plugin",\n    "opencode-wakatime"\n  ]\n}\n')
    expect(readFileSync(inSub, 'utf8')).toBe('{ "theme": "dark" }\n')
    expect((await pluginCheck(sub))?.detail).not.toContain(`${file} loads the predecessor's`)
    const globally = await runCli(['init', '--global', '--json'], { home, cwd: sub })
    expect(jsonData(globally.stdout, 'init')).toMatchObject({ changed: true, changes: [{ kind: 'plugin-replaced', from: '"opencode-agent-tracker"' }], predecessorRemovedFrom: [] })
    expect(await pluginCheck(sub)).toMatchObject({ level: 'ok' })
    const again = await runCli(['init', '--json'], { home, cwd: sub })
    expect(jsonData(again.stdout, 'init')).toMatchObject({ changed: false, changes: [], predecessorRemovedFrom: [] })
  })

  it('keeps a trailing comment after "model" on its line, and the file\'s indentation', async () => {
    const project = tempFolder('oc-')
    writeFileSync(join(project, 'opencode.json'), '{\n    "$schema": "https://opencode.ai/config.json",\n    "model": "anthropic/claude-sonnet-4-5" // the default\n}\n')
    const { stdout } = await runCli(['init'], { cwd: project })
    expect(stdout).toContain(`Added @agent-tracker/opencode-plugin to ${join(project, 'opencode.json')}. OpenCode installs it on its next start.`)
    expect(readFileSync(join(project, 'opencode.json'), 'utf8')).toBe('{\n    "$schema": "https://opencode.ai/config.json",\n    "model": "anthropic/claude-sonnet-4-5", // the default\n    "plugin": ["@agent-tracker/opencode-plugin"]\n}\n')
  })

  it('keeps existing plugin options when given new ones, and says what changed', async () => {
    const project = tempFolder('oc-')
    writeFileSync(join(project, 'opencode.json'), '{\n  "plugin": [["@agent-tracker/opencode-plugin", { "exportStatus": "always", "databasePath": "~/old.lmdb" }]]\n}\n')
    const { code, stdout } = await runCli(['init', '--database-path', '~/new.lmdb', '--max-size', '1GiB'], { cwd: project })
    expect(code).toBe(0)
    expect(stdout).toContain(`Updated the @agent-tracker/opencode-plugin options in ${join(project, 'opencode.json')}.`)
    expect(stdout).toContain('  databasePath: "~/old.lmdb" → "~/new.lmdb"')
    expect(stdout).toContain('  maxDatabaseSize: 1.0 GiB (added)')
    expect(stdout).toContain('  kept as they were: exportStatus')
    expect(stdout).not.toContain('Added')
    expect(JSON.parse(readFileSync(join(project, 'opencode.json'), 'utf8'))).toEqual({ plugin: [['@agent-tracker/opencode-plugin', { exportStatus: 'always', databasePath: '~/new.lmdb', maxDatabaseSize: 1073741824 }]] })
  })

  it('init --remove takes the plugin out again, leaving the rest, and says where OpenCode still loads it', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('oc-')
    const before = '{\n  // mine\n  "plugin": [\n    "opencode-wakatime", // keep this one\n  ],\n  "model": "anthropic/claude-sonnet-4-5"\n}\n'
    writeFileSync(join(project, 'opencode.jsonc'), before)
    expect((await runCli(['init', '--database-path', '/data/tracker.lmdb'], { home, cwd: project })).code).toBe(0)
    expect((await runCli(['init', '--global'], { home, cwd: project })).code).toBe(0)
    const removed = await runCli(['init', '--remove'], { home, cwd: project })
    expect(removed.code).toBe(0)
    expect(readFileSync(join(project, 'opencode.jsonc'), 'utf8')).toBe(before)
    const global = join(home, '.config', 'opencode', 'opencode.json')
    expect(removed.stdout).toBe([
      `Removed @agent-tracker/opencode-plugin from ${join(project, 'opencode.jsonc')}. OpenCode stops recording from its next start; what was recorded stays in the database.`,
      `OpenCode still loads it from ${global}: agent-tracker init --remove --global.`,
      '',
    ].join('\n'))
    const again = await runCli(['init', '--remove', '--json'], { home, cwd: project })
    expect(jsonData(again.stdout, 'init')).toEqual({ removed: false, removedFrom: [], filesRemoved: [], stillConfiguredIn: [global] })
    expect((await runCli(['init', '--remove', '--global'], { home, cwd: project })).code).toBe(0)
    // init --global made the file, and it holds nothing else: --remove takes it away, as init found none.
    expect(existsSync(global)).toBe(false)
    const doctor = await runCli(['doctor', '--db', join(home, 'none.lmdb')], { home, cwd: project })
    expect(doctor.stdout).toMatch(/! Plugin +not in /)
    expect((await runCli(['init', '--remove', '--max-size', '1GiB'], { home, cwd: project })).code).toBe(2)
  })

  it('init --remove takes the plugin out of every config file OpenCode reads in the folder', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('oc-')
    writeFileSync(join(project, 'opencode.jsonc'), '{\n  "model": "anthropic/claude-sonnet-4-5"\n}\n')
    writeFileSync(join(project, 'opencode.json'), '{\n  "plugin": ["@agent-tracker/opencode-plugin", "a", "@agent-tracker/opencode-plugin@0.1.0"]\n}\n')
    const removed = await runCli(['init', '--remove', '--json'], { home, cwd: project })
    expect(jsonData(removed.stdout, 'init')).toEqual({ removed: true, removedFrom: [join(project, 'opencode.json')], filesRemoved: [], stillConfiguredIn: [] })
    expect(readFileSync(join(project, 'opencode.json'), 'utf8')).toBe('{\n  "plugin": ["a"]\n}\n')
    expect(readFileSync(join(project, 'opencode.jsonc'), 'utf8')).toBe('{\n  "model": "anthropic/claude-sonnet-4-5"\n}\n')
  })

  it('from a subfolder of a repository writes the root\'s config, which OpenCode reads wherever in the repository it starts; --remove takes it out of every config up to the root', async () => {
    const home = tempFolder('home-')
    const repo = tempFolder('oc-repo-')
    mkdirSync(join(repo, '.git'))
    const sub = join(repo, 'packages', 'api')
    mkdirSync(sub, { recursive: true })
    const made = await runCli(['init'], { home, cwd: sub })
    expect(made.code).toBe(0)
    expect(made.stdout).toContain(`Added @agent-tracker/opencode-plugin to ${join(repo, 'opencode.json')} (a new file), the config of the repository holding ${sub}, which OpenCode reads wherever in it it starts.`)
    expect(existsSync(join(sub, 'opencode.json'))).toBe(false)
    expect(JSON.parse(readFileSync(join(repo, 'opencode.json'), 'utf8'))).toMatchObject({ plugin: ['@agent-tracker/opencode-plugin'] })
    // A subfolder config that loads the plugin already is the one edited: the plugin is never listed twice.
    writeFileSync(join(sub, 'opencode.json'), '{ "plugin": [["@agent-tracker/opencode-plugin", { "exportStatusFile": "always" }]] }\n')
    writeFileSync(join(repo, 'opencode.json'), '{ "model": "anthropic/claude-sonnet-4-5" }\n')
    const updated = await runCli(['init', '--max-size', '1GiB'], { home, cwd: sub })
    expect(updated.stdout).toContain(`Updated the @agent-tracker/opencode-plugin options in ${join(sub, 'opencode.json')}.`)
    expect(readFileSync(join(repo, 'opencode.json'), 'utf8')).toBe('{ "model": "anthropic/claude-sonnet-4-5" }\n')
    writeFileSync(join(repo, 'opencode.json'), '{ "plugin": ["@agent-tracker/opencode-plugin"] }\n')
    const removed = await runCli(['init', '--remove', '--json'], { home, cwd: sub })
    expect(jsonData(removed.stdout, 'init')).toEqual({ removed: true, removedFrom: [join(sub, 'opencode.json'), join(repo, 'opencode.json')], filesRemoved: [], stillConfiguredIn: [] })
    const none = await runCli(['init', '--remove'], { home, cwd: sub })
    expect(none.stdout).toContain('is not in ')
  })

  it('--global writes to $XDG_CONFIG_HOME/opencode when it is set, else ~/.config/opencode', async () => {
    const home = tempFolder('home-')
    const xdg = join(home, 'elsewhere')
    expect((await runCli(['init', '--global'], { home, env: { XDG_CONFIG_HOME: xdg } })).code).toBe(0)
    expect(JSON.parse(readFileSync(join(xdg, 'opencode', 'opencode.json'), 'utf8'))).toMatchObject({ plugin: ['@agent-tracker/opencode-plugin'] })
    expect(existsSync(join(home, '.config', 'opencode'))).toBe(false)
    expect((await runCli(['init', '--global'], { home })).code).toBe(0)
    expect(existsSync(join(home, '.config', 'opencode', 'opencode.json'))).toBe(true)
  })

  it('init --database-path takes a relative path from the working folder, writes it absolute, and says how to make the CLI read that database', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('oc-')
    const mine = join(project, 'mine.lmdb')
    const made = await runCli(['init', '--database-path', './mine.lmdb'], { home, cwd: project })
    expect(made.code).toBe(0)
    expect(JSON.parse(readFileSync(join(project, 'opencode.json'), 'utf8'))).toMatchObject({ plugin: [['@agent-tracker/opencode-plugin', { databasePath: mine }]] })
    expect(locateDatabase({ databasePath: mine, env: {}, homeDir: home }).path).toBe(mine)
    expect(made.stdout).toContain(`  databasePath: "${mine}" (added)`)
    expect(made.stdout).toContain(`The plugin records into ${mine}, but the CLI reads ${join(home, '.config', 'opencode', 'agent-tracker.lmdb')} (its default). So that the CLI reads what the plugin records:\n  export AGENT_TRACKER_DB=${mine}   # in your shell profile; or give each command --db ${mine}\n`)
    const exported = await runCli(['init', '--json'], { home, cwd: project, env: { AGENT_TRACKER_DB: mine } })
    expect(jsonData(exported.stdout, 'init')).toMatchObject({ changed: false, pluginDatabase: mine, cliDatabase: mine })
    expect(exported.stdout).not.toContain('export AGENT_TRACKER_DB')
    const elsewhere = await runCli(['init'], { home, cwd: project, env: { AGENT_TRACKER_DB: '~/else.lmdb' } })
    expect(elsewhere.stdout).toContain(`but the CLI reads ${join(home, 'else.lmdb')} (from AGENT_TRACKER_DB)`)
  })

  it('init --database-path keeps ~/ as written, and refuses an empty one or a path no host accepts, writing nothing', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('oc-')
    const tilde = await runCli(['init', '--database-path', '~/tracker.lmdb', '--json'], { home, cwd: project })
    expect(jsonData(tilde.stdout, 'init')).toMatchObject({ changes: [{ kind: 'plugin-added' }, { kind: 'option-added', option: 'databasePath', value: '~/tracker.lmdb' }], pluginDatabase: join(home, 'tracker.lmdb'), cliDatabase: join(home, '.config', 'opencode', 'agent-tracker.lmdb') })
    const before = readFileSync(join(project, 'opencode.json'), 'utf8')
    const refused = await runCli(['init', '--database-path', '~bob/tracker.lmdb'], { home, cwd: project })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('Invalid database path "~bob/tracker.lmdb": "~user" paths are not supported.')
    expect(readFileSync(join(project, 'opencode.json'), 'utf8')).toBe(before)
    for (const empty of ['', '  ']) {
      const blank = await runCli(['init', '--database-path', empty], { home, cwd: project })
      expect(blank.code).toBe(2)
      expect(blank.stderr).toContain(`error: --database-path is ${empty === '' ? 'empty' : 'blank'}: give the database file the plugin should use`)
      expect(readFileSync(join(project, 'opencode.json'), 'utf8')).toBe(before)
    }
    const fresh = tempFolder('oc-')
    expect((await runCli(['init', '--database-path', ''], { home, cwd: fresh })).code).toBe(2)
    expect(existsSync(join(fresh, 'opencode.json'))).toBe(false)
  })

  it('doctor notes a plugin databasePath that is not the database it checks, resolved as the plugin resolves it', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('oc-')
    writeFileSync(join(project, 'opencode.json'), '{ "plugin": [["@agent-tracker/opencode-plugin", { "databasePath": "mine.lmdb" }]] }')
    const doctor = async (env: Record<string, string> = {}): Promise<{ level: string; detail: string } | undefined> =>
      (jsonData((await runCli(['doctor', '--json'], { home, cwd: project, env })).stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }).checks.find((check) => check.name === 'Plugin')
    expect(await doctor()).toEqual({
      name: 'Plugin',
      ok: true,
      level: 'finding',
      detail: `configured in ${join(project, 'opencode.json')} (looked in ${project}, and globally); ${join(project, 'opencode.json')} sets databasePath "mine.lmdb", so the plugin records into ${join(home, 'mine.lmdb')}, not ${join(home, '.config', 'opencode', 'agent-tracker.lmdb')} checked here — to read it: export AGENT_TRACKER_DB=${join(home, 'mine.lmdb')} (or --db)`,
    })
    expect(await doctor({ AGENT_TRACKER_DB: join(home, 'mine.lmdb') })).toEqual({ name: 'Plugin', ok: true, level: 'ok', detail: `configured in ${join(project, 'opencode.json')} (looked in ${project}, and globally)` })
    const text = await runCli(['doctor', '--db', '~/mine.lmdb'], { home, cwd: project })
    expect(text.stdout).toContain(`✓ Plugin       configured in ${join(project, 'opencode.json')} (looked in ${project}, and globally)\n`)
    writeFileSync(join(project, 'opencode.json'), '{ "plugin": [["@agent-tracker/opencode-plugin", { "databasePath": "~bob/x.lmdb" }]] }')
    expect(await doctor()).toMatchObject({ level: 'finding', detail: expect.stringContaining('sets databasePath "~bob/x.lmdb", which the plugin refuses (Invalid database path "~bob/x.lmdb"') as unknown })
  })

  it('doctor names plugin options the plugin refuses (it then pauses tracking), as the plugin words them', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('oc-')
    const config = join(project, 'opencode.json')
    const plugin = async (options: unknown): Promise<{ level: string; detail: string } | undefined> => {
      writeFileSync(config, JSON.stringify({ plugin: [['@agent-tracker/opencode-plugin', options]] }))
      return (jsonData((await runCli(['doctor', '--json'], { home, cwd: project })).stdout, 'doctor') as { checks: { name: string; level: string; detail: string }[] }).checks.find((check) => check.name === 'Plugin')
    }
    const refused = `configured in ${config} (looked in ${project}, and globally); ${config} gives the plugin options it refuses, so it pauses tracking: `
    expect(await plugin({ enforceHalt: 'nope' })).toMatchObject({ level: 'finding', detail: `${refused}Invalid agent-tracker option enforceHalt: "nope"; accepted: "block" or "warn" or "off".` })
    expect(await plugin({ flush: { maxPending: 0 } })).toMatchObject({ level: 'finding', detail: expect.stringContaining(`${refused}Invalid agent-tracker option flush.maxPending: 0; accepted: a whole number ≥`) as unknown })
    expect(await plugin({ unknownOpt: 1 })).toMatchObject({ level: 'finding', detail: expect.stringContaining(`${refused}Unknown agent-tracker option "unknownOpt"; known options are databasePath,`) as unknown })
    expect(await plugin({ enforceHalt: 'warn', gitEvidence: false })).toMatchObject({ level: 'ok' })
  })

  it('offers the next steps', async () => {
    const { stdout } = await runCli(['init'], { cwd: tempFolder('oc-') })
    expect(stdout).toMatch(/Next:\n {2}agent-tracker import +bring in the agent sessions you already had\n {2}agent-tracker doctor +check the database and the plugin configuration/)
  })
})

describe('time windows', () => {
  let db: string
  // Commits at 23:30 UTC on three days: in Berlin they fall on the next day.
  beforeAll(async () => {
    db = join(tempFolder(), 'days.lmdb')
    const lines = ['2026-10-12', '2026-10-14', '2026-10-15'].flatMap((day, index) => [
      factLine({ kind: 'commit', setup: SONNET, project: '/w/shop', hash: `c0ffee0${String(index)}`, at: `${day}T23:30:00Z` }),
      factLine({ kind: 'grade', setup: SONNET, project: '/w/shop', commit: `c0ffee0${String(index)}`, by: 'user', userGrade: 'good', agentGrade: 'good', at: `${day}T23:40:00Z` }),
    ])
    expect((await runCli(['ingest', '--trust', '--db', db], { input: lines.join('\n') })).code).toBe(0)
  })
  const now = new Date('2026-10-16T12:00:00Z')
  const commits = async (...args: string[]): Promise<number> => {
    const { code, stdout, stderr } = await runCli(['report', '--db', db, '--json', ...args], { now })
    expect(code, stderr).toBe(0)
    return (jsonData(stdout, 'report') as { setups: { commits: number }[] }).setups[0]?.commits ?? 0
  }

  it('accepts ISO dates, YYYYMMDD, today, yesterday, 7d, 4w and --days', async () => {
    expect(await commits('--since', '2026-10-14')).toBe(2)
    expect(await commits('--since', '20261014', '--until', '20261014')).toBe(1)
    expect(await commits('--since', 'yesterday')).toBe(1)
    expect(await commits('--since', 'today')).toBe(0)
    expect(await commits('--since', '3d')).toBe(2)
    expect(await commits('--days', '5')).toBe(3)
    expect(await commits('--since', '4w')).toBe(3)
    expect(await commits('--since', '2026-10-14T23:00', '--until', '2026-10-15T00:00')).toBe(1)
  })

  it('counts days in --timezone (default: TZ, else the machine\'s)', async () => {
    expect(await commits('--since', '2026-10-15', '--until', '2026-10-15')).toBe(1)
    expect(await commits('--since', '2026-10-15', '--until', '2026-10-15', '--timezone', 'Europe/Berlin')).toBe(1)
    expect(await commits('--since', '2026-10-16', '--timezone', 'Europe/Berlin')).toBe(1)
    expect(await commits('--since', '2026-10-16')).toBe(0)
    const byEnv = await runCli(['report', '--db', db, '--json', '--since', '2026-10-16'], { now, env: { TZ: 'Europe/Berlin' } })
    expect((jsonData(byEnv.stdout, 'report') as { setups: unknown[]; timeZone: string })).toMatchObject({ timeZone: 'Europe/Berlin', setups: [{ commits: 1 }] })
    // A fixed offset works as a zone too (Berlin is UTC+2 in October), spelled canonically.
    const byOffset = await runCli(['report', '--db', db, '--json', '--since', '2026-10-16', '--timezone', '+02:00'], { now })
    expect((jsonData(byOffset.stdout, 'report') as { setups: unknown[]; timeZone: string })).toMatchObject({ timeZone: 'UTC+02:00', setups: [{ commits: 1 }] })
    const days = async (zone: string) => (jsonData((await runCli(['report', '--db', db, '--json', '--by', 'day', '--timezone', zone], { now })).stdout, 'report') as { groups: { key: string }[] }).groups.map((group) => group.key)
    expect(await days('UTC+2')).toEqual(await days('Europe/Berlin'))
    // By local days, weeks or months, the report says how the counters kept per UTC day are placed; in UTC, or by project, it need not.
    const note = 'each UTC day counts whole in the day of Europe/Berlin its noon (UTC) falls in'
    expect((await runCli(['report', '--db', db, '--by', 'day', '--timezone', 'Europe/Berlin'], { now })).stdout.replace(/\s+/g, ' ')).toContain(note)
    expect((await runCli(['report', '--db', db, '--by', 'week', '--timezone', 'Europe/Berlin'], { now })).stdout.replace(/\s+/g, ' ')).toContain('in the week of Europe/Berlin its noon (UTC)')
    for (const args of [['--by', 'day', '--timezone', 'UTC'], ['--by', 'project', '--timezone', 'Europe/Berlin']]) {
      expect((await runCli(['report', '--db', db, ...args], { now })).stdout, args.join(' ')).not.toContain('its noon (UTC) falls in, so')
    }
  })

  it('takes the zone of a TZ that is a zoneinfo path, and UTC for a TZ naming no zone, where Intl names none', async () => {
    // Intl reports no zone in a process started so; the built CLI runs in one of its own.
    const zoneUnder = async (tz: string) => (jsonData((await runBuiltCli(['report', '--db', db, '--json', '--since', '2026-10-16'], { env: { TZ: tz } })).stdout, 'report') as { timeZone?: string }).timeZone
    expect(await zoneUnder(':/usr/share/zoneinfo/Europe/Berlin')).toBe('Europe/Berlin')
    expect(await zoneUnder('Foo/Bar')).toBe('UTC')
  })

  it('warns once of a TZ that names no zone it reads, naming it and the zone used instead, rather than silently counting in UTC', async () => {
    const odd = 'XXX-1:17YYY,M3.5.0,M10.5.0/3'
    const text = await runCli(['report', '--db', db, '--by', 'day', '--since', '2026-10-16'], { now, env: { TZ: odd } })
    const warning = `TZ=${odd} names no time zone agent-tracker reads (a POSIX rule whose clock changes no IANA zone keeps in the years around now): days are counted and dates read in UTC instead. Set TZ to an IANA name (TZ=Europe/Berlin) or give --timezone`
    expect(text.code).toBe(0)
    expect(text.stderr.split(warning)).toHaveLength(2)
    const json = await runCli(['report', '--db', db, '--json', '--since', '2026-10-16'], { now, env: { TZ: 'Mars/Olympus' } })
    expect(JSON.parse(json.stdout)).toMatchObject({ data: { timeZone: 'UTC' }, notices: [{ code: 'TIME_ZONE_NOT_READ', message: expect.stringContaining('TZ=Mars/Olympus names no time zone agent-tracker reads: days are counted and dates read in UTC instead.') as unknown }] })
    // A TZ it reads, or --timezone given, says nothing.
    for (const options of [{ env: { TZ: 'Europe/Berlin' } }, { env: { TZ: 'UTC-5' } }]) expect((await runCli(['report', '--db', db, '--since', '2026-10-16'], { now, ...options })).stderr).not.toContain('names no time zone')
    expect((await runCli(['report', '--db', db, '--since', '2026-10-16', '--timezone', 'Europe/Berlin'], { now, env: { TZ: odd } })).stderr).not.toContain('names no time zone')
  })

  it('counts days in the zone a POSIX TZ rule with daylight saving describes, as date does, and says which zone it read it as', async () => {
    const cet = 'CET-1CEST,M3.5.0,M10.5.0/3'
    const byRule = await runCli(['report', '--db', db, '--json', '--since', '2026-10-16'], { now, env: { TZ: cet } })
    const { timeZone, setups } = jsonData(byRule.stdout, 'report') as { setups: unknown[]; timeZone: string }
    expect(timeZone).toMatch(/^Europe\//)
    // As in Berlin (TZ=Europe/Berlin above): the commit of 2026-10-15 23:30 UTC is on the 16th there.
    expect(setups).toMatchObject([{ commits: 1 }])
    const text = await runCli(['report', '--db', db, '--since', '2026-10-16'], { now, env: { TZ: cet } })
    expect(text.stderr).toContain(`TZ=${cet} is read as ${timeZone}, which changes its clocks at the same times in the years around now`)
    expect(text.stderr).not.toContain('names no time zone')
  })

  it.each([
    [['--since', '2026-10-20', '--until', '2026-10-15'], 'The window is empty: --since 2026-10-20 is not before --until 2026-10-15'],
    [['--since', 'next tuesday'], 'Invalid --since "next tuesday": use a date (2026-10-15 or 20261015)'],
    [['--until', '2026-02-30'], 'Invalid --until "2026-02-30"'],
    [['--since', '20261301'], 'Invalid --since "20261301"'],
    [['--days', '0'], 'Invalid --days "0": a whole number of days from 1'],
    [['--days', '7', '--since', '2026-10-01'], '--days and --since both set where the window starts'],
    [['--timezone', 'Mars/Olympus'], 'Invalid --timezone "Mars/Olympus": use an IANA name such as Europe/Stockholm or America/New_York, UTC, or an offset such as +01:00.'],
    [['--by', 'year'], 'Invalid --by "year": accepted are day, week, month, project, agent.'],
    [['--by', 'member'], '--by member is not supported yet: on a team database, narrow the report to one member with --team --member <name>'],
  ])('rejects %j as a usage error (exit 2)', async (args, message) => {
    const { code, stdout, stderr } = await runCli(['report', '--db', db, ...args], { now })
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' })
    expect(stderr).toContain(`error: ${message}`)
  })

  it.each([['0x10'], ['1e1'], [' 7'], ['99999999999999999999'], ['0'], ['-3']])('refuses --limit %j: plain digits, ≥ 1 (exit 2)', async (value) => {
    const { code, stdout, stderr } = await runCli(['activity', '--limit', value, '--db', db], { now })
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' })
    expect(stderr).toContain(`"${value}" is not a whole number ≥ 1 in plain digits`)
  })

  it('report --by day, week, month, project and agent, days in the time zone', async () => {
    const groups = async (...args: string[]) => (jsonData((await runCli(['report', '--db', db, '--json', ...args], { now })).stdout, 'report') as { groups: { key: string; setups: { commits: number }[] }[] }).groups.map((group) => [group.key, group.setups.reduce((sum, row) => sum + row.commits, 0)])
    expect(await groups('--by', 'day')).toEqual([['2026-10-12', 1], ['2026-10-14', 1], ['2026-10-15', 1]])
    // Each commit on its day in Berlin; the UTC days of their rollups, which hold nothing but the commits, open no group of their own.
    expect(await groups('--by', 'day', '--timezone', 'Europe/Berlin')).toEqual([['2026-10-13', 1], ['2026-10-15', 1], ['2026-10-16', 1]])
    expect(await groups('--by', 'week')).toEqual([['2026-10-12', 3]])
    expect(await groups('--by', 'month')).toEqual([['2026-10', 3]])
    expect(await groups('--by', 'project')).toEqual([['/w/shop', 3]])
    expect(await groups('--by', 'agent')).toEqual([['build', 3]])
    const text = await runCli(['report', '--db', db, '--by', 'week', '--since', '7d'], { now })
    expect(text.stdout).toContain('Window: 2026-10-10 – now (UTC)')
    expect(text.stdout).toContain('Week of 2026-10-12 (UTC)')
  })

  it('shows what a window earned (XP+, CS±) beside the current SP, labelled, instead of all-time totals', async () => {
    const windowed = await runCli(['report', '--db', db, '--since', '2026-10-14'], { now })
    expect(windowed.stdout).toMatch(/SETUP +COMMITS +BUGS\/C +USER⌀ +AGENT⌀ +CS± +XP\+ +SP NOW/)
    // Two commits (2 XP) and two graded commits (2 XP); two grades of good + good (+8 CS).
    expect(windowed.stdout).toMatch(/build@anthropic\/claude-sonnet-4-5 +2 +0\.00 +2\.0 \(2\) +2\.0 +\+8\.0 +\+4\.0 +1\.0 Probation/)
    expect(windowed.stdout).toContain('XP+ and CS± are what the work shown earned; SP NOW is the current total.')
    const all = await runCli(['report', '--db', db], { now })
    expect(all.stdout).toMatch(/SETUP +COMMITS +BUGS\/C +USER⌀ +AGENT⌀ +CS +XP +SP /)
    const agents = await runCli(['agents', '--db', db, '--since', '2026-10-14'], { now })
    expect(agents.stdout).toMatch(/# {2}SETUP +SP NOW +TRUST +XP NOW +CS NOW/)
  })
})

describe('one voice', () => {
  it('every error reads "error: …" on stderr', async () => {
    const failures = await Promise.all([
      runCli(['status', 'nobody', '--db', seeded.db]),
      runCli(['report', '--since', 'soon', '--db', seeded.db]),
      runCli(['report', '--bogus']),
      runCli(['grade', SONNET, 'abc', '--user', 'great', '--db', seeded.db]),
    ])
    for (const { stderr } of failures) expect(stderr).toMatch(/^error: \S/)
  })

  it('suggests the setup or project that was probably meant', async () => {
    const setup = await runCli(['history', 'gpt5', '--db', seeded.db])
    expect(setup.code).toBe(1)
    expect(setup.stderr).toBe(`error: Unknown setup "gpt5". Did you mean ${GPT}? Run \`agent-tracker agents\` to list them.\n`)
    const sonnet = await runCli(['status', 'claude-sonet', '--db', seeded.db])
    expect(sonnet.stderr).toContain(`Did you mean ${SONNET}?`)
    const project = await runCli(['report', '--project', 'shpo', '--db', seeded.db])
    expect(project.stderr).toContain('No recorded project matches "shpo" (as a path or a name). Did you mean shop?')
  })

  it('calls what cannot be a setup id bad input (exit 2), and a well-formed one it does not know not found (exit 1)', async () => {
    for (const command of [['status', 'bad@'], ['history', 'build@openai'], ['status', '@x/y']]) {
      const { code, stdout, stderr } = await runCli([...command, '--db', seeded.db])
      expect({ code, stdout }, command.join(' ')).toEqual({ code: 2, stdout: '' })
      expect(stderr).toContain(`error: Invalid setup id "${String(command[1])}": expected "<agent>@<provider>/<model>"`)
    }
    expect((await runCli(['status', 'build@nobody/nothing', '--db', seeded.db])).code).toBe(1)
  })

  it('refuses an inverted window on every windowed read, relative or absolute, as bad input (exit 2)', async () => {
    for (const command of [['agents'], ['report'], ['history', SONNET]]) {
      for (const window of [['--since', '7d', '--until', '30d'], ['--since', 'today', '--until', 'yesterday']]) {
        const { code, stdout, stderr } = await runCli([...command, ...window, '--db', seeded.db])
        expect({ code, stdout }, [...command, ...window].join(' ')).toEqual({ code: 2, stdout: '' })
        expect(stderr).toMatch(/^error: The window is empty: --since \S+ is not before --until \S+ .*Swap them, or widen the window\.\n$/)
      }
    }
  })

  it('agrees in number: 1 bug, 1 push, 1 project', async () => {
    const db = join(tempFolder(), 'one.lmdb')
    await runCli(['ingest', '--db', db], { input: [factLine({ kind: 'commit', setup: SONNET, project: '/w/app', hash: 'abcd1234' }), factLine({ kind: 'push', setup: SONNET, project: '/w/app' })].join('\n') })
    const bug = await runCli(['bug', SONNET, '--db', db])
    expect(bug.stdout).toContain('1 bug.')
    expect((await runCli(['status', SONNET, '--db', db])).stdout).toMatch(/Commits +1 \(1 push\), 1 bug\n/)
    // Another push: the same line again, in a run of its own, would be the same push (a repeat).
    expect((await runCli(['ingest', '--db', db], { input: factLine({ kind: 'push', setup: SONNET, project: '/w/app', branch: 'main' }) })).stdout).toBe('Ingested 1 fact from 1 line.\n')
  })

  it('prints a cost per commit with one precision everywhere', async () => {
    const report = await runCli(['report', '--db', seeded.db])
    expect(report.stdout).toMatch(/\$0\.050\n/)
    const recommend = await runCli(['recommend', seeded.shop, '--db', seeded.db])
    expect(recommend.stdout).toContain('$0.050/commit')
  })

  it('offers --max-size only where the command writes, and to doctor as the limit to check against', async () => {
    for (const command of ['status', 'agents', 'report', 'recommend', 'search', 'history', 'export']) {
      expect((await runCli([command, '--help'])).stdout, command).not.toContain('--max-size')
    }
    for (const command of ['grade', 'bug', 'reinstate', 'retro', 'activity', 'migrate', 'merge', 'ingest', 'projects']) {
      expect((await runCli([command, '--help'])).stdout, command).toContain('--max-size')
    }
    expect((await runCli(['report', '--max-size', '1GiB', '--db', seeded.db])).code).toBe(2)
    expect((await runCli(['doctor', '--help'])).stdout).toMatch(/--max-size <size>\s+the size limit to check the database against/)
    // A bad limit is the command line's mistake (exit 2), not a database doctor found broken.
    for (const size of ['abc', '0', '-5']) {
      const bad = await runCli(['doctor', '--max-size', size, '--db', seeded.db, '--json'])
      expect(bad.code, size).toBe(2)
      expect(jsonError(bad.stdout), size).toMatchObject({ code: 'INVALID_OPTION', message: expect.stringContaining(`Invalid --max-size "${size}"`) as unknown })
    }
    // A bad AGENT_TRACKER_MAX_SIZE is the environment's: doctor names it as a problem and checks on.
    const environment = await runCli(['doctor', '--db', seeded.db], { env: { AGENT_TRACKER_MAX_SIZE: '1KiB' } })
    expect(environment.code).toBe(1)
    expect(environment.stdout).toContain('✗ Size limit   Invalid AGENT_TRACKER_MAX_SIZE "1KiB"')
  })

  it('says when a list has more than it shows, and how to see them', async () => {
    const page = await runCli(['history', SONNET, '--limit', '3', '--db', seeded.db])
    expect(page.stdout).toContain('Showing the newest 3 entries; there are more: add --limit 6 (or narrow with --since/--project) to see them.')
    expect(jsonData(page.stdout === '' ? '' : (await runCli(['history', SONNET, '--limit', '3', '--json', '--db', seeded.db])).stdout, 'history')).toMatchObject({ more: true })
    const all = await runCli(['history', SONNET, '--limit', '100', '--db', seeded.db])
    expect(all.stdout).not.toContain('Showing the newest')
    const none = await runCli(['history', SONNET, '--project', 'shop', '--until', '2000-01-01', '--db', seeded.db])
    expect(none.stdout).toBe(`No commits, grades, bugs or journal entries recorded for ${SONNET} in project ${seeded.shop} in the start – 2000-01-01 (UTC).\n`)
    // retro and activity have no --since: their hint names only what they take.
    const retro = await runCli(['retro', '--limit', '2', '--db', seeded.db])
    expect(retro.stdout).toContain('Showing the newest 2 retrospectives; there are more: add --limit 4 (or narrow with --project) to see them.')
    for (const command of ['retro', 'activity']) expect((await runCli([command, '--help'])).stdout, command).not.toContain('--since')
    // Nor what is already given.
    expect((await runCli(['retro', '--limit', '1', '--project', 'shop', '--db', seeded.db])).stdout).toContain('Showing the newest 1 retrospective; there are more: add --limit 2 to see them.')
    expect((await runCli(['history', SONNET, '--limit', '1', '--project', 'shop', '--db', seeded.db])).stdout).toContain('there are more: add --limit 2 (or narrow with --since) to see them.')
  })

  it('aligns tables by display width: CJK and emoji count two columns', async () => {
    const db = join(tempFolder(), 'wide.lmdb')
    await runCli(['ingest', '--db', db], { input: [factLine({ kind: 'activity', setup: SONNET, project: '/w/app', task: '支払いのウェブフック', outcome: 'ok' }), factLine({ kind: 'activity', setup: SONNET, project: '/w/app', task: 'cart 🛒 fixes', outcome: 'ok' })].join('\n') })
    const { stdout } = await runCli(['activity', '--db', db])
    const rows = stdout.trimEnd().split('\n')
    const outcomeAt = rows.map((row) => {
      const index = row.lastIndexOf('ok')
      return index === -1 ? -1 : stringWidth(row.slice(0, index))
    }).filter((at) => at !== -1)
    expect(outcomeAt).toHaveLength(2)
    expect(outcomeAt[0]).toBe(outcomeAt[1])
  })
})

describe('projects and the demo', () => {
  it('dates a project from its first recorded work', async () => {
    const db = join(tempFolder(), 'p.lmdb')
    await runCli(['ingest', '--db', db], { input: [factLine({ kind: 'commit', setup: SONNET, project: '/w/old', hash: 'aaaa1111', at: '2025-11-03T10:00:00Z' }), factLine({ kind: 'commit', setup: SONNET, project: '/w/old', hash: 'aaaa2222', at: '2026-01-05T10:00:00Z' })].join('\n') })
    const { stdout } = await runCli(['projects', '--db', db])
    expect(stdout).toMatch(/FIRST SEEN \(UTC\) +LAST ACTIVE \(UTC\)/)
    expect(stdout).toMatch(/2025-11-03 10:00 +2026-01-05 10:00/)
  })

  it('removes its temporary folder unless given --dir', { timeout: 120_000 }, async () => {
    // A temporary folder of its own: other tests (and other runs on the machine) make demo folders at the same time.
    const scratch = tempFolder('tmp-')
    const { code, stdout } = await runBuiltCli(['demo'], { env: { TMPDIR: scratch } })
    expect(code).toBe(0)
    expect(stdout).toContain('The demo ran in a temporary folder, removed now.')
    expect(readdirSync(scratch).filter((name) => name.startsWith('agent-tracker-demo-'))).toEqual([])
  })

  it('hook claude-code run by hand at a terminal says what it reads instead of waiting for it', async () => {
    const run = await runCliAtTerminal(['hook', 'claude-code'])
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('hook claude-code reads one hook event as JSON on stdin, as Claude Code sends it')
  })

  it('a read with --db naming a folder of other files is refused as a write is, not taken for "no data yet"', async () => {
    const folder = tempFolder('mine-')
    writeFileSync(join(folder, 'notes.txt'), 'mine')
    for (const args of [['report'], ['agents'], ['grade', SONNET, 'abcd', '--user', 'good']]) {
      const run = await runCli([...args, '--db', folder])
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr).toContain(`error: Invalid database path (--db or AGENT_TRACKER_DB) ${folder}: it is a folder with other files in it and no agent-tracker database. Give a file path in it instead, e.g. ${folder}/agent-tracker.lmdb.`)
    }
    expect(readdirSync(folder)).toEqual(['notes.txt'])
  })

  it('a read with --db naming an empty folder finds no data yet, as a write there would start the database', async () => {
    const folder = tempFolder('empty-')
    // The built binary: its supervisor leaves a read trail in the folder before the command looks at it.
    for (const args of [['report'], ['agents'], ['doctor']]) {
      const run = await runBuiltCli([...args, '--db', folder])
      expect(run.stderr, args.join(' ')).not.toContain('other files in it')
      expect(run.code, args.join(' ')).toBe(0)
    }
    // The read's own trail is gone with it; nothing else was made.
    expect(readdirSync(folder)).toEqual([])
  })
})
