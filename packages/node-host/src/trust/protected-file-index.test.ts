import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { protectedFiles } from '@agent-tracker/core'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { ProtectedFileIndex, resolveProtectedFiles } from './protected-file-index.js'

function project(): string {
  const root = tempFolder('index-')
  for (const folder of ['src', 'sub/deep', 'node_modules/pkg', '.git']) mkdirSync(join(root, folder), { recursive: true })
  for (const file of ['.env', '.env.example', 'src/app.ts', 'sub/deep/.env.local', 'sub/id_rsa', 'node_modules/pkg/.env', '.git/.env']) writeFileSync(join(root, file), 'x')
  return root
}

describe('ProtectedFileIndex', () => {
  it('finds the protected files of a project once, and answers for folders inside it only', () => {
    const root = project()
    const index = new ProtectedFileIndex(root)
    expect([...(index.filesUnder(root) ?? [])].sort()).toEqual([join(root, '.env'), join(root, 'sub/deep/.env.local')])
    expect(index.filesUnder(join(root, 'sub'))).toEqual([join(root, 'sub/deep/.env.local')])
    expect(index.filesUnder(join(root, 'src'))).toEqual([])
    expect(index.filesUnder(join(root, 'node_modules'))).toEqual([])
    expect(index.filesUnder('/somewhere/else')).toBeUndefined()
    expect(new ProtectedFileIndex(root, protectedFiles(['id_rsa*'])).filesUnder(join(root, 'sub'))?.length).toBe(2)
  })

  it('warms up in the background', async () => {
    const root = project()
    const index = new ProtectedFileIndex(root)
    index.warmUp()
    await index.settled()
    writeFileSync(join(root, 'src', '.env.late'), 'x')
    // The look-up answers from the warm-up's scan: it did not scan again.
    expect(index.filesUnder(join(root, 'src'))).toEqual([])
  })

  it('says it cannot tell for folders a scan cut short', () => {
    const root = project()
    const index = new ProtectedFileIndex(root, undefined, { maxEntries: 3 })
    expect(index.filesUnder(root)).toBeUndefined()
  })

  it('rescans in the background once the index is older than its budget', async () => {
    const root = project()
    let now = 0
    const index = new ProtectedFileIndex(root, undefined, { refreshMs: 1000, now: () => now })
    expect(index.filesUnder(join(root, 'src'))).toEqual([])
    writeFileSync(join(root, 'src', '.env.test'), 'x')
    now = 500
    expect(index.filesUnder(join(root, 'src'))).toEqual([])
    now = 1500
    // The stale answer serves while the new scan runs.
    expect(index.filesUnder(join(root, 'src'))).toEqual([])
    await index.settled()
    expect(index.filesUnder(join(root, 'src'))).toEqual([join(root, 'src', '.env.test')])
  })

  it('adds patterns from the host and from AGENT_TRACKER_PROTECTED_FILES', () => {
    const protection = resolveProtectedFiles(['*.pem'], { AGENT_TRACKER_PROTECTED_FILES: 'id_rsa*, !.env.test' })
    expect(protection.patterns.slice(-3)).toEqual(['*.pem', 'id_rsa*', '!.env.test'])
  })
})
