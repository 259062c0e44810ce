import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempFolder } from '@agent-tracker/test-folders'
import { describe, expect, it } from 'vitest'
import { isDatabaseFile } from './database-files.js'

describe('isDatabaseFile', () => {
  it('knows a single-file database by its data and lock files, by any name, and its undo points', () => {
    const folder = tempFolder()
    const database = join(folder, 'tracker.lmdb')
    writeFileSync(database, 'data')
    writeFileSync(`${database}-lock`, 'lock')
    symlinkSync(database, join(folder, 'soft.lmdb'))
    linkSync(database, join(folder, 'hard.lmdb'))
    for (const path of [database, `${database}-lock`, join(folder, 'soft.lmdb'), join(folder, 'hard.lmdb'), join(folder, 'x', '..', 'tracker.lmdb'), join(`${database}.undo`, 'point-1')]) {
      expect([path, isDatabaseFile(path, database)]).toEqual([path, true])
    }
    writeFileSync(join(folder, 'other.json'), '{}')
    for (const path of [join(folder, 'other.json'), join(folder, 'new.json'), `${database}-backtest.json`, join(folder, '..tracker.lmdb')]) {
      expect([path, isDatabaseFile(path, database)]).toEqual([path, false])
    }
  })

  it('knows everything inside a database folder', () => {
    const database = join(tempFolder(), 'tracker')
    mkdirSync(database)
    writeFileSync(join(database, 'data.mdb'), 'data')
    expect([join(database, 'data.mdb'), join(database, 'lock.mdb'), join(database, 'report.html'), database].map((path) => isDatabaseFile(path, database))).toEqual([true, true, true, true])
    expect(isDatabaseFile(`${database}-report.html`, database)).toBe(false)
  })
})
