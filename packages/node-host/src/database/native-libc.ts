import { closeSync, openSync, readSync } from 'node:fs'
import { createRequire } from 'node:module'

/**
 * Runs `load` — the loading of a package with a native addon, lmdb — with the C library this
 * process's runtime (Node, or Bun under OpenCode) is built against named in `LIBC`, where that is
 * known and the variable is not set already. lmdb's addon finder (node-gyp-build-optional-packages)
 * otherwise asks detect-libc on Linux, which loads `child_process` and reads files to tell glibc
 * from musl: ~9 ms of every CLI command, hook process and OpenCode start that opens the database.
 * The finder reads `LIBC` as its override; it is set for the synchronous `load` only and taken
 * away after, so no child process inherits it. The apps' bundles load lmdb through this.
 */
export function withLibcNamed<T>(load: () => T, env: NodeJS.ProcessEnv = process.env): T {
  const libc = env.LIBC === undefined && process.platform === 'linux' ? libcOfThisNode() : undefined
  if (libc === undefined) return load()
  env.LIBC = libc
  try {
    return load()
  } finally {
    delete env.LIBC
  }
}

/**
 * Loads the two heaviest parts of loading lmdb on event-loop turns of their own: msgpackr's native
 * extension (msgpackr-extract), then msgpackr itself — about 8 and 10 ms of lmdb's 25 ms, under Node
 * and Bun alike. Each is required as lmdb requires it, from where lmdb is found from `from` (the
 * caller's own file, from which it loads lmdb), so lmdb's load then finds both in the module cache
 * and takes what is left. A host that loads lmdb in the background (the OpenCode plugin) then never
 * holds its event loop for the whole of it. For hosts that load lmdb's CommonJS build, as the apps'
 * bundles do: lmdb's ES module build imports msgpackr's, which the CommonJS msgpackr loaded here is
 * not. Best-effort: what cannot be found or loaded here is left for lmdb's own load to report
 * (msgpackr-extract is optional to msgpackr too).
 */
export async function loadLmdbDependenciesInTurns(from: string, nextTurn: () => Promise<void>): Promise<void> {
  let lmdb: string
  try {
    lmdb = createRequire(from).resolve('lmdb')
  } catch {
    return
  }
  const steps: (() => unknown)[] = [
    () => createRequire(createRequire(lmdb).resolve('msgpackr'))('msgpackr-extract') as unknown,
    () => createRequire(lmdb)('msgpackr') as unknown,
  ]
  for (const step of steps) {
    try {
      withLibcNamed(step)
    } catch {
      // lmdb's own load reports it, or does without it.
    }
    await nextTurn()
  }
}

/**
 * `glibc` or `musl`: the family of the program interpreter this process's executable (node, bun,
 * or a program built with Bun such as opencode) names (its ELF `PT_INTERP`, e.g.
 * `/lib64/ld-linux-x86-64.so.2` or `/lib/ld-musl-x86_64.so.1`) — what detect-libc asks first.
 * Undefined when the file cannot be read or says neither (a static build).
 */
export function libcOfThisNode(executable = '/proc/self/exe'): 'glibc' | 'musl' | undefined {
  const interpreter = interpreterOf(readStart(executable))
  if (interpreter?.includes('/ld-musl-') === true) return 'musl'
  if (interpreter?.includes('/ld-linux') === true) return 'glibc'
  return undefined
}

/** The first bytes of a file, where an ELF file's headers and interpreter path are; empty when unreadable. */
function readStart(path: string): Buffer {
  const buffer = Buffer.alloc(4096)
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0))
  } catch {
    return buffer.subarray(0, 0)
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** The interpreter path of a 64-bit little-endian ELF file's start, if its program headers name one within it. */
function interpreterOf(elf: Buffer): string | undefined {
  const ELF_MAGIC = 0x7f454c46
  const PT_INTERP = 3
  if (elf.length < 64 || elf.readUInt32BE(0) !== ELF_MAGIC || elf[4] !== 2 || elf[5] !== 1) return undefined
  const headers = Number(elf.readBigUInt64LE(32))
  const size = elf.readUInt16LE(54)
  const count = elf.readUInt16LE(56)
  for (let index = 0; index < count; index++) {
    const at = headers + index * size
    if (at + 40 > elf.length) return undefined
    if (elf.readUInt32LE(at) !== PT_INTERP) continue
    const offset = Number(elf.readBigUInt64LE(at + 8))
    const length = Number(elf.readBigUInt64LE(at + 32))
    if (offset + length > elf.length) return undefined
    return elf.toString('latin1', offset, offset + length).replace(/\0[\s\S]*$/, '')
  }
  return undefined
}
