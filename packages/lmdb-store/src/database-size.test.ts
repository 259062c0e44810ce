import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { DEFAULT_DATABASE_SIZE, formatBytes, validateMaxDatabaseSize } from './database-size.js'
import type { LmdbStoreError } from './errors.js'
import { isLmdbStoreError } from './errors.js'
import { openLmdbStore } from './open-lmdb-store.js'

const MIB = 1024 * 1024
const RANGE = 'accepted is a whole number of bytes from 1048576 (1 MiB) to 2147483648 (2 GiB); the default is 536870912 (512 MiB).'

describe('validateMaxDatabaseSize', () => {
  it('defaults to 512 MiB and accepts both ends of 1 MiB..2 GiB', () => {
    expect(validateMaxDatabaseSize()).toBe(DEFAULT_DATABASE_SIZE)
    expect(validateMaxDatabaseSize(MIB)).toBe(MIB)
    expect(validateMaxDatabaseSize(2048 * MIB)).toBe(2048 * MIB)
  })

  it.each([
    [MIB - 1, '1048575'],
    [2048 * MIB + 1, '2147483649'],
    [-MIB, '-1048576'],
    [Number.NaN, 'NaN'],
    [1.5 * MIB + 0.5, '1572864.5'],
    ['512MB', '"512MB"'],
  ])('rejects %s naming the option, the value and the range', (value, shown) => {
    expect(() => validateMaxDatabaseSize(value)).toThrow(`Invalid maxDatabaseSize ${shown}: ${RANGE}`)
  })

  it('carries the option, the value and the range as data, for hosts to phrase in their own terms', () => {
    let failure: unknown
    try {
      validateMaxDatabaseSize(10)
    } catch (error) {
      failure = error
    }
    expect(isLmdbStoreError(failure, 'INVALID_OPTION')).toBe(true)
    expect((failure as LmdbStoreError).details).toEqual({ option: 'maxDatabaseSize', value: 10, minimumBytes: MIB, maximumBytes: 2048 * MIB, defaultBytes: DEFAULT_DATABASE_SIZE })
  })

  it('refuses to open a database with an out-of-range size and creates nothing', async () => {
    const folder = tempFolder()
    expect(() => openLmdbStore({ databasePath: `${folder}/db.lmdb`, maxDatabaseSize: MIB - 1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
    const { readdirSync } = await import('node:fs')
    expect(readdirSync(folder)).toEqual([])
  })

  it('formats sizes for people', () => {
    expect(formatBytes(512)).toBe('512 bytes')
    expect(formatBytes(DEFAULT_DATABASE_SIZE)).toBe('512.0 MiB')
    expect(formatBytes(1536)).toBe('1.5 KiB')
  })
})
