import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { replaceFile } from './replace-file.js'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

describe('replaceFile', () => {
  it('writes a file whole, replaces it whole, and leaves no temporary file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'replace-file-'))
    folders.push(folder)
    const file = join(folder, 'state.json')
    replaceFile(file, '{"a":1}')
    replaceFile(file, new TextEncoder().encode('{"a":2}'), { mode: 0o600 })
    expect(readFileSync(file, 'utf8')).toBe('{"a":2}')
    expect(readdirSync(folder)).toEqual(['state.json'])
  })

  it('leaves the file as it was, and nothing beside it, when the new one cannot take its place', () => {
    const folder = mkdtempSync(join(tmpdir(), 'replace-file-'))
    folders.push(folder)
    const file = join(folder, 'taken')
    mkdirSync(file)
    expect(() => { replaceFile(file, 'text') }).toThrow()
    expect(statSync(file).isDirectory()).toBe(true)
    expect(readdirSync(folder)).toEqual(['taken'])
  })
})
