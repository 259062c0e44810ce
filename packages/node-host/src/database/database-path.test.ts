import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MEMORY_PATH } from '@agent-tracker/lmdb-store'
import { tempFolder } from '@agent-tracker/test-folders'
import type { NodeHostError } from '../errors.js'
import { isNodeHostError } from '../errors.js'
import { locateDatabase, resolveDatabasePath } from './database-path.js'
import { openDatabase } from './open-database.js'

describe('resolveDatabasePath', () => {
  const home = '/home/zoe'

  it('defaults to ~/.config/opencode/agent-tracker.lmdb', () => {
    expect(resolveDatabasePath({ homeDir: home, env: {} })).toBe('/home/zoe/.config/opencode/agent-tracker.lmdb')
  })

  it('resolves relative and ~ paths against the home folder, never the working directory', () => {
    expect(resolveDatabasePath({ homeDir: home, env: {}, databasePath: 'data/tracker.lmdb' })).toBe('/home/zoe/data/tracker.lmdb')
    expect(resolveDatabasePath({ homeDir: home, env: {}, databasePath: '~/.config/opencode/agent-tracker.lmdb' })).toBe('/home/zoe/.config/opencode/agent-tracker.lmdb')
    expect(resolveDatabasePath({ homeDir: home, env: {}, databasePath: './x/../t.lmdb' })).toBe('/home/zoe/t.lmdb')
  })

  it.each([
    ['~zoe/tracker.lmdb', '"~user" paths are not supported', 'user-home'],
    ['~root', '"~user" paths are not supported', 'user-home'],
    ['/home/dev/app/~/.config/opencode/agent-tracker.lmdb', 'a "~" folder inside a path is never expanded', 'tilde-folder'],
    ['data/~/tracker.lmdb', 'a "~" folder inside a path is never expanded', 'tilde-folder'],
  ])('rejects %s instead of creating a literal "~" folder', (databasePath, reason, code) => {
    let failure: unknown
    try {
      resolveDatabasePath({ homeDir: home, env: {}, databasePath })
    } catch (error) {
      failure = error
    }
    expect(isNodeHostError(failure, 'INVALID_DATABASE_PATH')).toBe(true)
    expect((failure as Error).message).toBe(`Invalid database path "${databasePath}": ${reason}. Accepted are "~" or "~/..." (the home folder), an absolute path, or a path relative to the home folder.`)
    expect((failure as NodeHostError).details).toEqual({ value: databasePath, origin: 'explicit', reason: code })
  })

  it('names where the caller took a relative explicit path from: the working folder for a command line', () => {
    const accepted = 'Accepted are "~" or "~/..." (the home folder), an absolute path, or a path relative to'
    expect(() => locateDatabase({ homeDir: home, env: {}, databasePath: '~bob/x.lmdb', relativeTo: 'the working folder' })).toThrow(`${accepted} the working folder.`)
    // AGENT_TRACKER_DB is taken from the home folder whoever reads it.
    expect(() => locateDatabase({ homeDir: home, env: { AGENT_TRACKER_DB: '~bob/x.lmdb' }, relativeTo: 'the working folder' })).toThrow(`${accepted} the home folder.`)
  })

  it('reports the environment variable when the bad path comes from it', () => {
    expect(() => resolveDatabasePath({ homeDir: home, env: { AGENT_TRACKER_DB: '~zoe/x.lmdb' } })).toThrow(expect.objectContaining({
      message: expect.stringContaining('Invalid AGENT_TRACKER_DB "~zoe/x.lmdb"') as string,
      details: { value: '~zoe/x.lmdb', origin: 'environment', reason: 'user-home' },
    }))
  })

  it('says which source decided the path', () => {
    expect(locateDatabase({ homeDir: home, env: {} })).toEqual({ path: '/home/zoe/.config/opencode/agent-tracker.lmdb', origin: 'default' })
    expect(locateDatabase({ homeDir: home, env: { AGENT_TRACKER_DB: '/srv/t.lmdb' } })).toEqual({ path: '/srv/t.lmdb', origin: 'environment' })
    expect(locateDatabase({ homeDir: home, env: { AGENT_TRACKER_DB: '/srv/t.lmdb' }, databasePath: 't.lmdb' })).toEqual({ path: '/home/zoe/t.lmdb', origin: 'explicit' })
  })

  it('refuses a path found from an empty or relative home folder (HOME set to nothing), and takes an absolute one', () => {
    expect(() => locateDatabase({ homeDir: '', env: {} })).toThrow(expect.objectContaining({
      message: 'The home folder is not known (HOME is empty), and the default database path (~/.config/opencode/agent-tracker.lmdb) is found from it: set HOME, or give an absolute path with --db or AGENT_TRACKER_DB.',
      details: { value: '', origin: 'default', reason: 'no-home' },
    }))
    for (const databasePath of ['tracker.lmdb', '~/tracker.lmdb']) {
      expect(() => locateDatabase({ homeDir: 'relative/home', env: {}, databasePath })).toThrow(expect.objectContaining({
        message: `The home folder is not known (HOME is "relative/home", not an absolute path), and the database path "${databasePath}" is found from it: set HOME, or give an absolute path instead.`,
        details: { value: databasePath, origin: 'explicit', reason: 'no-home' },
      }))
    }
    expect(locateDatabase({ homeDir: '', env: { AGENT_TRACKER_DB: '/srv/t.lmdb' } })).toEqual({ path: '/srv/t.lmdb', origin: 'environment' })
  })

  it('keeps "~" inside a file or folder name', () => {
    expect(resolveDatabasePath({ homeDir: home, env: {}, databasePath: 'backups~/tracker~1.lmdb' })).toBe('/home/zoe/backups~/tracker~1.lmdb')
  })

  it('keeps absolute paths', () => {
    expect(resolveDatabasePath({ homeDir: home, env: {}, databasePath: '/var/lib/tracker.lmdb' })).toBe('/var/lib/tracker.lmdb')
  })

  it('takes AGENT_TRACKER_DB when no path is given, and an explicit path over it', () => {
    const env = { AGENT_TRACKER_DB: 'shared/team.lmdb' }
    expect(resolveDatabasePath({ homeDir: home, env })).toBe('/home/zoe/shared/team.lmdb')
    expect(resolveDatabasePath({ homeDir: home, env, databasePath: '/tmp/x.lmdb' })).toBe('/tmp/x.lmdb')
    expect(resolveDatabasePath({ homeDir: home, env: { AGENT_TRACKER_DB: '  ' } })).toBe('/home/zoe/.config/opencode/agent-tracker.lmdb')
  })

  it('passes the in-memory marker through', () => {
    expect(resolveDatabasePath({ homeDir: home, env: {}, databasePath: MEMORY_PATH })).toBe(MEMORY_PATH)
  })
})

describe('the default database under a fake HOME', () => {
  let saved: { home: string | undefined; db: string | undefined; cwd: string }
  beforeEach(() => {
    saved = { home: process.env.HOME, db: process.env.AGENT_TRACKER_DB, cwd: process.cwd() }
  })
  afterEach(() => {
    process.env.HOME = saved.home
    if (saved.db === undefined) delete process.env.AGENT_TRACKER_DB
    else process.env.AGENT_TRACKER_DB = saved.db
    process.chdir(saved.cwd)
  })

  it('creates the parent folders under $HOME and no literal "~" folder in the working directory', async () => {
    const home = tempFolder('home-')
    const project = tempFolder('project-')
    process.env.HOME = home
    delete process.env.AGENT_TRACKER_DB
    process.chdir(project)
    const store = openDatabase()
    await store.close()
    expect(store.path).toBe(join(home, '.config', 'opencode', 'agent-tracker.lmdb'))
    expect(existsSync(store.path)).toBe(true)
    expect(existsSync(join(project, '~'))).toBe(false)
  })

  it('opens no store and creates no folder for a "~user" path', () => {
    const home = tempFolder('home-')
    process.env.HOME = home
    expect(() => openDatabase({ databasePath: '~zoe/tracker.lmdb' })).toThrow('"~user" paths are not supported')
    expect(existsSync(join(home, '~zoe'))).toBe(false)
  })

  it('uses AGENT_TRACKER_DB from the environment', async () => {
    const home = tempFolder('home-')
    process.env.HOME = home
    process.env.AGENT_TRACKER_DB = 'elsewhere/db.lmdb'
    const store = openDatabase()
    await store.close()
    expect(store.path).toBe(join(home, 'elsewhere', 'db.lmdb'))
    expect(existsSync(store.path)).toBe(true)
  })
})
