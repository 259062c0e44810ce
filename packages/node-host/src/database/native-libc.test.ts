import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { libcOfThisNode, withLibcNamed } from './native-libc.js'

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
