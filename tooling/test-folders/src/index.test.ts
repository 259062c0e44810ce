import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { removeTempFolders, tempFolder } from './index.js'

describe('tempFolder', () => {
  it('makes a new folder each call, and removes each with what it holds', () => {
    const first = tempFolder('test-folders-')
    const second = tempFolder()
    expect(first).not.toBe(second)
    expect(basename(first)).toMatch(/^test-folders-/)
    mkdirSync(join(first, 'nested'))
    writeFileSync(join(first, 'nested', 'file.txt'), 'kept until removed')
    expect(existsSync(join(first, 'nested', 'file.txt'))).toBe(true)
    removeTempFolders()
    expect([existsSync(first), existsSync(second)]).toEqual([false, false])
  })

  it('removes only what it made since the last call', () => {
    const removed = tempFolder()
    removeTempFolders()
    const kept = tempFolder()
    mkdirSync(removed)
    removeTempFolders()
    expect([existsSync(removed), existsSync(kept)]).toEqual([true, false])
    removeTempFolders()
    expect(existsSync(removed)).toBe(true)
    rmSync(removed, { recursive: true })
  })
})
