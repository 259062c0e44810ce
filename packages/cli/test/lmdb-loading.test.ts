import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, sep } from 'node:path'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { describe, expect, it } from 'vitest'
import { runBuiltCli, tempFolder } from './run-cli.js'

// The bundle loads lmdb through withLibcNamed (@agent-tracker/node-host/native-libc), with lmdb's
// JavaScript built in and its addon from the installed package (see scripts/bundle.js).

/** A database made in a new folder, and how its lock file is to be left before the command runs. */
async function newDatabase(prefix: string, lockFile: 'as made' | 'a pipe' = 'as made'): Promise<string> {
  const database = join(tempFolder(prefix), 'tracker.lmdb')
  await openLmdbStore({ databasePath: database }).close()
  if (lockFile === 'a pipe') {
    execFileSync('rm', [`${database}-lock`])
    execFileSync('mkfifo', [`${database}-lock`])
  }
  return database
}

/** Runs the built CLI with a preloaded script that writes down every CommonJS module the process loaded, as it exits. */
async function modulesLoadedBy(args: readonly string[]): Promise<{ run: Awaited<ReturnType<typeof runBuiltCli>>; modules: string[] }> {
  const folder = tempFolder('modules-')
  const loaded = join(folder, 'loaded.json')
  const preload = join(folder, 'record-modules.cjs')
  writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(Object.keys(require.cache))))\n`)
  const run = await runBuiltCli(args, { env: { NODE_OPTIONS: `--require ${preload}` } })
  return { run, modules: JSON.parse(readFileSync(loaded, 'utf8')) as string[] }
}

describe('lmdb in the built CLI', () => {
  it('runs the JavaScript of lmdb built in, with the addon of the installed lmdb and its other dependencies where they are installed', { timeout: 60_000 }, async () => {
    const { run, modules } = await modulesLoadedBy(['activity', '--db', await newDatabase('lmdb-built-in-')])
    expect([run.code, run.stderr]).toEqual([0, ''])
    // Read from the install: lmdb's package.json (its addon finder reads its name), its addon, and
    // weak-lru-cache (it ships no licence file, so it is not built in).
    const lmdb = modules.find((path) => path.endsWith(`${sep}lmdb${sep}package.json`))
    expect(lmdb).toBeDefined()
    const installed = dirname(lmdb ?? '')
    expect(modules.filter((path) => path.startsWith(`${installed}${sep}`))).toEqual([lmdb])
    expect(modules.filter((path) => path.endsWith('.node') && path.includes(`${sep}@lmdb${sep}lmdb-${process.platform}-${process.arch}${sep}`))).toHaveLength(1)
    expect(modules.filter((path) => /[\\/](msgpackr|ordered-binary|@harperfast)[\\/]/.test(path))).toEqual([])
    expect(modules.filter((path) => path.includes(`${sep}weak-lru-cache${sep}`))).toHaveLength(1)
  })

  it.runIf(process.platform === 'linux')('spares a command that opens the database the libc detection of the addon finder', { timeout: 60_000 }, async () => {
    const { run, modules } = await modulesLoadedBy(['activity', '--db', await newDatabase('libc-cli-')])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(modules.some((path) => path.includes('/lmdb/'))).toBe(true)
    expect(modules.filter((path) => path.includes('detect-libc'))).toEqual([])
  })

  it.runIf(process.platform === 'linux')('describes a failure without loading the PostgreSQL driver (a lock file that is a pipe)', { timeout: 60_000 }, async () => {
    const database = await newDatabase('fifo-lock-', 'a pipe')
    const { run, modules } = await modulesLoadedBy(['report', '--db', database])
    expect([run.code, run.stderr]).toEqual([1, `error: The agent-tracker database ${database} cannot be opened: its lock file ${database}-lock is not a regular file. Remove it; LMDB recreates it.\n`])
    expect(modules.filter((path) => path.includes('/pg/'))).toEqual([])
  })
})
