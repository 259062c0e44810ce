import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { damageMark, damageMarkFile, markDamaged } from './damage-mark.js'

describe('damage marks', () => {
  it("belong to the file they were made for: a file moved into its place is not refused for the other's damage", () => {
    const folder = tempFolder()
    const path = join(folder, 'tracker.lmdb')
    writeFileSync(path, 'damaged')
    markDamaged(path, 'a page is damaged', new Date('2026-12-01T10:00:00.000Z'))
    expect(damageMark(path)).toEqual({ at: '2026-12-01T10:00:00.000Z', problem: 'a page is damaged' })
    renameSync(path, join(folder, 'aside.lmdb'))
    writeFileSync(join(folder, 'salvaged.lmdb'), 'whole')
    renameSync(join(folder, 'salvaged.lmdb'), path)
    expect(damageMark(path)).toBeUndefined()
    // Nothing at the path at all: nothing to refuse.
    renameSync(path, join(folder, 'salvaged.lmdb'))
    expect(damageMark(path)).toBeUndefined()
    renameSync(join(folder, 'aside.lmdb'), path)
    expect(damageMark(path)?.problem).toBe('a page is damaged')
  })

  it('of an earlier release, which name no file, count for whatever file is there; an unreadable one counts as damage', () => {
    const path = join(tempFolder(), 'tracker.lmdb')
    writeFileSync(path, 'x')
    writeFileSync(damageMarkFile(path), `${JSON.stringify({ at: '2026-11-01T00:00:00.000Z', problem: 'reading it crashed agent-tracker (SIGBUS)' })}\n`)
    expect(damageMark(path)).toEqual({ at: '2026-11-01T00:00:00.000Z', problem: 'reading it crashed agent-tracker (SIGBUS)' })
    writeFileSync(damageMarkFile(path), '')
    expect(damageMark(path)).toEqual({ at: 'unknown', problem: 'its damage mark is unreadable' })
  })

  it('are written whole or not at all', () => {
    const folder = tempFolder()
    const path = join(folder, 'tracker.lmdb')
    writeFileSync(path, 'x')
    markDamaged(path, 'first')
    markDamaged(path, 'second')
    const mark = JSON.parse(readFileSync(damageMarkFile(path), 'utf8')) as { problem: string; file: { dev: unknown; ino: unknown } }
    expect(mark.problem).toBe('second')
    expect([typeof mark.file.dev, typeof mark.file.ino]).toEqual(['string', 'string'])
    // A folder that is gone: nothing is written, nothing thrown.
    expect(() => { markDamaged(join(folder, 'missing', 'db.lmdb'), 'x') }).not.toThrow()
  })
})
