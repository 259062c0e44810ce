import { DEFAULT_PROTECTED_FILES, DEFAULT_RULES } from '@agent-tracker/core'
import { WriteBufferError, resolveWriteBufferOptions } from '@agent-tracker/write-buffer/options'
import { describe, expect, it } from 'vitest'
import { flushOptionMessage, protectionOfOptions, readPluginOptions } from './plugin-options.js'

describe('readPluginOptions', () => {
  it('applies defaults', () => {
    expect(readPluginOptions(undefined, {})).toEqual({
      databasePath: undefined, maxDatabaseSize: undefined, identity: 'agent+model', rules: DEFAULT_RULES,
      enforceHalt: 'block', envProtection: true, protection: expect.objectContaining({ patterns: DEFAULT_PROTECTED_FILES }) as unknown, exportStatusFile: 'existing', migrateOnStart: true, upgradeOnStart: true, flush: {}, gitEvidence: true, team: undefined,
    })
  })

  it('reads every option, booleans included', () => {
    expect(readPluginOptions({
      databasePath: '~/t.lmdb', maxDatabaseSize: 1048576, identity: 'agent', rules: { experience: { push: 5 } },
      enforceHalt: 'warn', envProtection: false, exportStatusFile: false, migrateOnStart: false, upgradeOnStart: false, flush: { maxPending: 50, maxAgeMs: false },
    })).toMatchObject({ databasePath: '~/t.lmdb', maxDatabaseSize: 1048576, identity: 'agent', enforceHalt: 'warn', envProtection: false, exportStatusFile: 'off', migrateOnStart: false, upgradeOnStart: false, flush: { maxPending: 50, maxAgeMs: false } })
    expect(readPluginOptions({ enforceHalt: false, exportStatusFile: 'always' })).toMatchObject({ enforceHalt: 'off', exportStatusFile: 'always' })
    expect(readPluginOptions({ team: { url: 'postgres://me@db.example.com/tracker', member: 'ana' } }).team).toEqual({ url: 'postgres://me@db.example.com/tracker', member: 'ana' })
    expect(readPluginOptions({ protectedFiles: ['*.pem'] }, { AGENT_TRACKER_PROTECTED_FILES: 'id_rsa*' }).protection.patterns).toEqual([...DEFAULT_PROTECTED_FILES, '*.pem', 'id_rsa*'])
  })

  it.each([
    [{ databasePth: 'x' }, 'Unknown agent-tracker option "databasePth"; known options are databasePath, maxDatabaseSize, identity, rules, enforceHalt, envProtection, protectedFiles, exportStatusFile, migrateOnStart, upgradeOnStart, flush, gitEvidence, team.'],
    [{ protectedFiles: '*.pem' }, 'Invalid agent-tracker option protectedFiles: "*.pem"; accepted: an array of file name or path globs, e.g. ["*.pem", "id_rsa*", "!.env.test"].'],
    [{ protectedFiles: ['*.pem', 7] }, 'Invalid protected file pattern 7: give a file name or path glob such as "*.pem" or "config/secrets.json", or "!name" to un-protect one.'],
    [{ team: { url: 'postgres://me:pw@db/t' } }, 'Invalid agent-tracker option team.url: it holds a password; remove it and give it in PGPASSWORD or ~/.pgpass'],
    [{ team: { url: 'postgres://me@db/t?sslmode=verify-full&password=pw' } }, 'Invalid agent-tracker option team.url: it holds a password; remove it and give it in PGPASSWORD or ~/.pgpass'],
    [{ team: { url: 'mysql://db/t' } }, 'Invalid agent-tracker option team.url: "mysql://db/t"; accepted: a postgres://user@host/database URL.'],
    [{ team: { url: 'postgres://db/t', region: 'eu' } }, 'Unknown agent-tracker option team.region; known are team.url, team.member and team.schema.'],
    [{ maxDatabaseSize: 10 }, 'Invalid maxDatabaseSize 10: accepted is a whole number of bytes from 1048576 (1 MiB) to 2147483648 (2 GiB)'],
    [{ identity: 'model' }, 'Invalid agent-tracker option identity: "model"; accepted: "agent+model" or "agent".'],
    [{ enforceHalt: 'maybe' }, 'Invalid agent-tracker option enforceHalt: "maybe"; accepted: "block" or "warn" or "off".'],
    [{ rules: { bug: { skillPointPenalty: -1 } } }, 'Invalid scoring rule rules.bug.skillPointPenalty: is -1; accepted: a finite number ≥ 0.'],
    [{ flush: { maxPending: 0 } }, 'Invalid agent-tracker option flush.maxPending: 0; accepted: a whole number ≥ 1, or false to turn it off.'],
    [{ flush: { every: 5 } }, 'Unknown agent-tracker option flush.every; known are flush.maxPending and flush.maxAgeMs.'],
    [{ databasePath: '' }, 'Invalid agent-tracker option databasePath: ""; accepted: a non-empty path.'],
    ['fast', 'Invalid agent-tracker option options: "fast"; accepted: an object.'],
  ])('rejects %j with a message naming it and what is accepted', (options, message) => {
    expect(() => readPluginOptions(options)).toThrow(message)
  })

  it('names every bad option at once, not the first only', () => {
    let message = ''
    try {
      readPluginOptions({ bogus: 1, other: 2, maxDatabaseSize: 5, enforceHalt: 'maybe', identity: 'agent' })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe([
      'Unknown agent-tracker options "bogus", "other"; known options are databasePath, maxDatabaseSize, identity, rules, enforceHalt, envProtection, protectedFiles, exportStatusFile, migrateOnStart, upgradeOnStart, flush, gitEvidence, team.',
      'Invalid maxDatabaseSize 5: accepted is a whole number of bytes from 1048576 (1 MiB) to 2147483648 (2 GiB); the default is 536870912 (512 MiB).',
      'Invalid agent-tracker option enforceHalt: "maybe"; accepted: "block" or "warn" or "off".',
    ].join(' '))
  })
})

describe('protectionOfOptions', () => {
  it("keeps the user's protected files when other options are bad, and falls back to the defaults when that option is bad too", () => {
    expect(protectionOfOptions({ protectedFiles: ['*.pem'], maxDatabaseSize: 5 }, { AGENT_TRACKER_PROTECTED_FILES: 'id_rsa*' }).patterns).toEqual([...DEFAULT_PROTECTED_FILES, '*.pem', 'id_rsa*'])
    expect(protectionOfOptions({ protectedFiles: '*.pem' }, {}).patterns).toEqual(DEFAULT_PROTECTED_FILES)
    expect(protectionOfOptions('fast', { AGENT_TRACKER_PROTECTED_FILES: 'id_rsa*' }).patterns).toEqual([...DEFAULT_PROTECTED_FILES, 'id_rsa*'])
  })
})

describe('flushOptionMessage', () => {
  const complaint = (options: Parameters<typeof resolveWriteBufferOptions>[0]): unknown => {
    try {
      resolveWriteBufferOptions(options)
    } catch (error) {
      return error
    }
    throw new Error('expected a throw')
  }

  it('says the write buffer\'s complaint about an option in the plugin\'s option names', () => {
    expect(flushOptionMessage(complaint({ maxPending: 0 }))).toBe('Invalid agent-tracker option flush.maxPending: 0; accepted: a whole number ≥ 1, or false to turn it off.')
    expect(flushOptionMessage(complaint({ maxAgeMs: -5 }))).toMatch(/^Invalid agent-tracker option flush\.maxAgeMs: -5; accepted: a whole number ≥ \d+, or false to turn it off\.$/)
  })

  it('leaves every other error to its caller', () => {
    expect(flushOptionMessage(new Error('Invalid something else'))).toBeUndefined()
    expect(flushOptionMessage('thrown text')).toBeUndefined()
    expect(flushOptionMessage(undefined)).toBeUndefined()
    expect(flushOptionMessage(new WriteBufferError('FLUSH_FAILED', 'Could not flush.', { pending: 1, errors: [] }))).toBeUndefined()
  })
})
