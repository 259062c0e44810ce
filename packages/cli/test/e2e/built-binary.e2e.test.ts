import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { BUILT_BIN, factLine, jsonData, jsonError, runBuiltCli, runCli, tempFolder } from '../run-cli.js'

// The rest of the suite runs the CLI in-process through main(argv, io). These few run the built
// binary, for what only a real process shows: exit codes, streams, the environment it starts with.

const SETUP = 'build@anthropic/claude-sonnet-4-5'
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

describe('the built agent-tracker binary', () => {
  it('exits 0 with its version, and 2 with usage on an unknown command', async () => {
    const version = await runBuiltCli(['--version'])
    expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n` })
    // Printed by the launcher alone, as the program itself (commander) prints it.
    expect(await runBuiltCli(['-v'])).toEqual(version)
    expect((await runCli(['--version'])).stdout).toBe(version.stdout)
    const unknown = await runBuiltCli(['reprot'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("unknown command 'reprot'")
  })

  it('stops quietly with status 0 when the reader of its output goes away (agent-tracker … | head)', async () => {
    for (const args of [['report', '--help'], ['--help']]) {
      const child = spawn(process.execPath, [BUILT_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      // The reader is gone before the first line is written: that write fails with EPIPE.
      child.stdout.destroy()
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
      expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: '' })
    }
  })

  it('ingests JSON lines piped to stdin and prints status as exactly one JSON document on stdout', async () => {
    const db = join(tempFolder(), 'smoke.lmdb')
    const ingest = await runBuiltCli(['ingest', '--db', db], { input: `${factLine({ kind: 'commit', setup: SETUP, project: '/w/app', hash: 'abcd1234', message: 'one' })}\n` })
    expect(ingest.code).toBe(0)
    expect(ingest.stdout).toBe('Ingested 1 fact from 1 line.\n')
    const status = await runBuiltCli(['status', SETUP, '--db', db, '--json'])
    expect(status.code).toBe(0)
    expect(status.stderr).toBe('')
    expect(jsonData(status.stdout, 'status')).toMatchObject({ setup: SETUP, state: { commits: 1 } })
  })

  it('says the working folder is gone, without a stack trace, and answers what does not need it', async () => {
    const db = join(tempFolder(), 'here.lmdb')
    expect((await runBuiltCli(['ingest', '--db', db], { input: `${factLine({ kind: 'commit', setup: SETUP, project: '/w/app', hash: 'abcd1234', message: 'one' })}\n` })).code).toBe(0)
    // As a shell whose folder was deleted under it (mkdir /tmp/gone && cd /tmp/gone && rmdir /tmp/gone) runs it.
    const inDeletedFolder = (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      const folder = join(tempFolder(), 'gone')
      mkdirSync(folder)
      const home = tempFolder('home-')
      const env = { ...process.env, HOME: home, NO_COLOR: '1', AGENT_TRACKER_DB: undefined, XDG_CONFIG_HOME: undefined, XDG_CACHE_HOME: undefined }
      return new Promise((resolve) => {
        execFile('sh', ['-c', 'cd "$1" && rmdir "$1" && shift && exec "$@"', 'sh', folder, process.execPath, BUILT_BIN, ...args], { env }, (error, stdout, stderr) => {
          resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr })
        })
      })
    }
    const recommend = await inDeletedFolder(['recommend', '--db', db])
    expect(recommend).toMatchObject({ code: 1, stdout: '' })
    expect(recommend.stderr).toBe('error: The current folder no longer exists (it was deleted or moved away after you entered it): cd to a folder that exists and run the command again, or give this command absolute paths.\n')
    const report = await inDeletedFolder(['report', '--db', db])
    expect(report).toMatchObject({ code: 0, stderr: '' })
    expect(report.stdout).toContain(SETUP)
    expect(await inDeletedFolder(['--help'])).toMatchObject({ code: 0, stderr: '' })
  })

  it('keeps a code cache per command in the user cache folder, answers the same from it, and rewrites one that is damaged', async () => {
    const home = tempFolder('home-')
    const db = join(home, 'cached.lmdb')
    await runBuiltCli(['ingest', '--db', db], { home, input: factLine({ kind: 'commit', setup: SETUP, project: '/w/app', hash: 'abcd1234' }) })
    const status = (): ReturnType<typeof runBuiltCli> => runBuiltCli(['status', SETUP, '--db', db, '--json'], { home })
    const first = await status()
    expect(first.code).toBe(0)
    const folder = join(home, '.cache', 'agent-tracker', 'compile-cache')
    const cacheOf = (command: string): string => {
      const found = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith(`-${command}.bin`))
      expect(found).toHaveLength(1)
      return join(folder, found[0] ?? '')
    }
    const cache = cacheOf('status')
    expect(cacheOf('ingest')).not.toBe(cache)
    const written = statSync(cache)
    // From the cache: the same answer, and the cache left as it was (one V8 refused would be written again).
    expect(await status()).toEqual(first)
    expect(statSync(cache).mtimeMs).toBe(written.mtimeMs)
    const damaged = readFileSync(cache).map((byte, index) => (index % 1000 === 999 ? byte ^ 0xff : byte))
    writeFileSync(cache, damaged)
    expect(await status()).toEqual(first)
    expect(readFileSync(cache).equals(damaged)).toBe(false)
    const rewritten = statSync(cache).mtimeMs
    expect(await status()).toEqual(first)
    expect(statSync(cache).mtimeMs).toBe(rewritten)

    const uncached = tempFolder('home-')
    expect(await runBuiltCli(['status', SETUP, '--db', db, '--json'], { home: uncached, env: { AGENT_TRACKER_COMPILE_CACHE: 'off' } })).toEqual(first)
    expect(existsSync(join(uncached, '.cache'))).toBe(false)
  })

  it('prints the program help from the text its first run kept, and renders it again when that text is damaged', async () => {
    const home = tempFolder('home-')
    const first = await runBuiltCli(['--help'], { home })
    expect(first).toMatchObject({ code: 0, stderr: '' })
    expect(first.stdout).toMatch(/^Usage: agent-tracker \[options\] \[command\]\n[\s\S]*\n {2}doctor /)
    // One text serves all three: rendered afresh, bare and -h print what --help prints.
    for (const args of [[], ['-h']]) expect(await runBuiltCli(args, { env: { AGENT_TRACKER_COMPILE_CACHE: 'off' } })).toEqual(first)
    const folder = join(home, '.cache', 'agent-tracker', 'compile-cache')
    const texts = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((name) => /(^|\/)help-.*-pipe\.bin$/.test(name))
    expect(texts).toHaveLength(1)
    const file = join(folder, texts[0] ?? '')
    // What is kept is what is printed: a text put in its place (whole, with its check) is printed as it is.
    const marked = Buffer.from(`${first.stdout}(kept)\n`)
    const header = Buffer.alloc(8)
    header.writeUInt32LE(0x41544331, 0)
    header.writeUInt32LE(crc32(marked), 4)
    writeFileSync(file, Buffer.concat([header, marked]))
    expect(await runBuiltCli(['--help'], { home })).toEqual({ ...first, stdout: `${first.stdout}(kept)\n` })
    expect(await runBuiltCli([], { home })).toEqual({ ...first, stdout: `${first.stdout}(kept)\n` })
    // Damaged, it is rendered again, and kept anew.
    writeFileSync(file, Buffer.concat([header, Buffer.from(`${first.stdout}(kEpt)\n`)]))
    expect(await runBuiltCli(['-h'], { home })).toEqual(first)
    expect(await runBuiltCli(['--help'], { home })).toEqual(first)
    expect(readFileSync(file).subarray(8).toString()).toBe(first.stdout)
    // Printed from what is kept, to a reader gone before the first line: a quiet stop, as rendered.
    const child = spawn(process.execPath, [BUILT_BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: home, XDG_CACHE_HOME: '', AGENT_TRACKER_COMPILE_CACHE: '' } })
    child.stdout.destroy()
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    expect({ code: await new Promise<number | null>((resolve) => child.on('close', resolve)), stderr }).toEqual({ code: 0, stderr: '' })
  })

  it('finds the database through AGENT_TRACKER_DB and resolves ~ against its own HOME', async () => {
    const home = tempFolder('home-')
    const db = join(home, 'from-env.lmdb')
    await runBuiltCli(['ingest', '--db', db], { home, input: factLine({ kind: 'commit', setup: SETUP, project: '/w/app', hash: 'abcd1234' }) })
    const viaEnv = await runBuiltCli(['status', SETUP, '--json'], { home, env: { AGENT_TRACKER_DB: db } })
    expect(jsonData(viaEnv.stdout, 'status')).toMatchObject({ state: { commits: 1 } })
    const viaTilde = await runBuiltCli(['status', SETUP, '--json', '--db', '~/from-env.lmdb'], { home })
    expect(jsonData(viaTilde.stdout, 'status')).toMatchObject({ state: { commits: 1 } })
  })

  it('answers "no data yet" with exit 0 where there is no database, exits 1 with the reason on stderr, and survives a file LMDB would crash on', async () => {
    const folder = tempFolder()
    const missing = await runBuiltCli(['agents', '--db', join(folder, 'none.lmdb')])
    expect(missing).toMatchObject({ code: 0, stderr: '', signal: null })
    expect(missing.stdout).toContain(`No data yet: there is no agent-tracker database at ${join(folder, 'none.lmdb')}.`)
    const garbage = join(folder, 'broken.lmdb')
    writeFileSync(garbage, Buffer.alloc(8192, 0x42))
    const broken = await runBuiltCli(['report', '--db', garbage, '--json'])
    expect(broken).toMatchObject({ code: 1, signal: null })
    expect(jsonError(broken.stdout)).toMatchObject({ code: 'DATABASE_UNREADABLE' })
    const text = await runBuiltCli(['report', '--db', garbage])
    expect(text.stderr).toMatch(/^error: The agent-tracker database .* is unreadable/)
  })
})
