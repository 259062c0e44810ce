import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { libcOfThisNode, withLibcNamed } from './native-libc.js'

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url))

/** The start of a 64-bit little-endian ELF file whose one program header names `interpreter`. */
function elfNaming(interpreter: string): Buffer {
  const elf = Buffer.alloc(512)
  elf.writeUInt32BE(0x7f454c46, 0)
  elf[4] = 2
  elf[5] = 1
  elf.writeBigUInt64LE(64n, 32) // program headers right after the file header
  elf.writeUInt16LE(56, 54)
  elf.writeUInt16LE(1, 56)
  elf.writeUInt32LE(3, 64) // PT_INTERP
  elf.writeBigUInt64LE(200n, 64 + 8)
  elf.writeBigUInt64LE(BigInt(interpreter.length + 1), 64 + 32)
  elf.write(`${interpreter}\0`, 200, 'latin1')
  return elf
}

describe('the C library lmdb is loaded for', () => {
  it('is read from the program interpreter an executable names', () => {
    const folder = tempFolder('libc-')
    const file = (name: string, bytes: Buffer | string): string => {
      const path = join(folder, name)
      writeFileSync(path, bytes)
      return path
    }
    expect(libcOfThisNode(file('musl', elfNaming('/lib/ld-musl-x86_64.so.1')))).toBe('musl')
    expect(libcOfThisNode(file('glibc', elfNaming('/lib64/ld-linux-x86-64.so.2')))).toBe('glibc')
    expect(libcOfThisNode(file('other', elfNaming('/system/bin/linker64')))).toBeUndefined()
    expect(libcOfThisNode(file('script', '#!/bin/sh\necho not an ELF file\n'))).toBeUndefined()
    expect(libcOfThisNode(join(folder, 'missing'))).toBeUndefined()
  })

  it.runIf(process.platform === 'linux')('of this Node is the one Node reports it runs on', () => {
    const header = (process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header
    expect(libcOfThisNode()).toBe(header.glibcVersionRuntime === undefined ? 'musl' : 'glibc')
  })

  it('is named for the load only, and a LIBC the user set is left as it is', () => {
    const env: NodeJS.ProcessEnv = {}
    expect(withLibcNamed(() => env.LIBC, env)).toBe(process.platform === 'linux' ? libcOfThisNode() : undefined)
    expect('LIBC' in env).toBe(false)
    expect(() => withLibcNamed(() => {
      throw new Error('no addon')
    }, env)).toThrow('no addon')
    expect('LIBC' in env).toBe(false)
    const chosen: NodeJS.ProcessEnv = { LIBC: 'musl' }
    expect(withLibcNamed(() => chosen.LIBC, chosen)).toBe('musl')
    expect(chosen.LIBC).toBe('musl')
  })
})

describe('lmdb loaded in turns', () => {
  /**
   * Runs the built function in a fresh Node process (whose module cache is empty; a test worker's is
   * shared with other test files), loading lmdb from `from`; gives what it reports.
   */
  function inFreshProcess(from: string): { turns: boolean[][]; sameMsgpackr: boolean; opened: boolean } {
    const script = `
      import { createRequire } from 'node:module'
      import { loadLmdbDependenciesInTurns, withLibcNamed } from '@agent-tracker/node-host/native-libc'
      const from = ${JSON.stringify(from)}
      const here = createRequire(from)
      let lmdb
      try { lmdb = here.resolve('lmdb') } catch {}
      const msgpackr = lmdb && createRequire(lmdb).resolve('msgpackr')
      const extract = msgpackr && createRequire(msgpackr).resolve('msgpackr-extract')
      const turns = []
      await loadLmdbDependenciesInTurns(from, () => {
        turns.push([here.cache[extract] !== undefined, here.cache[msgpackr] !== undefined])
        return Promise.resolve()
      })
      const preloaded = msgpackr && here.cache[msgpackr]?.exports
      const opened = lmdb !== undefined && typeof withLibcNamed(() => here('lmdb')).open === 'function'
      console.log(JSON.stringify({ turns, sameMsgpackr: lmdb !== undefined && createRequire(lmdb)('msgpackr') === preloaded, opened }))
    `
    const env = { ...process.env }
    // pnpm's NODE_PATH would let lmdb be found from any folder.
    delete env.NODE_PATH
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: PACKAGE, env, encoding: 'utf8' })
    return JSON.parse(stdout) as { turns: boolean[][]; sameMsgpackr: boolean; opened: boolean }
  }

  it('loads msgpackr and its native extension on turns of their own, the very modules lmdb then requires', () => {
    // From the LMDB store's folder, as a bundle loads lmdb from its own.
    const from = join(dirname(createRequire(import.meta.url).resolve('@agent-tracker/lmdb-store/package.json')), 'index.js')
    const { turns, sameMsgpackr, opened } = inFreshProcess(from)
    // The extension on the first turn, msgpackr on the next: each its own stretch of the host's event loop.
    expect(turns).toEqual([[true, false], [true, true]])
    expect(sameMsgpackr).toBe(true)
    expect(opened).toBe(true)
  })

  it('does nothing where lmdb cannot be found from the caller', () => {
    const { turns, opened } = inFreshProcess(join(tempFolder('no-lmdb-'), 'caller.js'))
    expect(turns).toEqual([])
    expect(opened).toBe(false)
  })
})
