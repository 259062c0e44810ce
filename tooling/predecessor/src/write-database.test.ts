import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { open } from 'lmdb-predecessor'
import { afterEach, describe, expect, it } from 'vitest'
import { historyCounts, predecessorCentralHistory, predecessorProjectHistory } from './history.js'
import { writePredecessorCentralDatabase, writePredecessorProjectDatabase } from './write-database.js'

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})
function temp(): string {
  const folder = mkdtempSync(join(tmpdir(), 'predecessor-'))
  folders.push(folder)
  return folder
}

describe('the predecessor database writer', () => {
  it('writes the last commit\'s central database as one file whose sub-databases read back with its own options', async () => {
    const path = join(temp(), '.config', 'opencode', 'agent-tracker.lmdb')
    const history = predecessorCentralHistory()
    expect(writePredecessorCentralDatabase(path, history)).toEqual({ available: true })
    expect(statSync(path).isFile()).toBe(true)
    const root = open({ path, readOnly: true, maxDbs: 10, compression: true })
    const counts: Record<string, number> = {}
    for (const name of Object.keys(history)) {
      const db = root.openDB(name, { sharedStructuresKey: Symbol.for(`structures:${name}`) })
      counts[name] = [...db.getRange({})].filter(({ key }) => typeof key === 'string').length
    }
    const agent = root.openDB('agents', { sharedStructuresKey: Symbol.for('structures:agents') }).get('build') as { created_at: unknown; skill_points: number }
    await root.close()
    expect(counts).toEqual(historyCounts(history))
    expect(agent.created_at).toBeInstanceOf(Date)
    expect(agent.skill_points).toBe(2.7)
  })

  it('reproduces M3 at the default path: the path becomes a folder and the database stays unavailable', () => {
    const path = join(temp(), 'agent-tracker.lmdb')
    const result = writePredecessorCentralDatabase(path, predecessorCentralHistory(), 'm3')
    expect(result.available).toBe(false)
    expect(statSync(path).isDirectory()).toBe(true)
  })

  it('writes M3 as a folder-layout database at a path without an extension', () => {
    const path = join(temp(), 'tracker')
    expect(writePredecessorCentralDatabase(path, predecessorCentralHistory(), 'm3').available).toBe(true)
    expect(existsSync(join(path, 'data.mdb'))).toBe(true)
  })

  it('writes the per-project database as one unnamed database with prefixed keys', async () => {
    const project = temp()
    const path = join(project, '~', '.config', 'opencode', 'agent-tracker.lmdb')
    writePredecessorProjectDatabase(path, predecessorProjectHistory(project))
    const db = open({ path, readOnly: true, compression: true })
    const keys = [...db.getKeys({})].map(String)
    await db.close()
    expect(keys.filter((key) => key.startsWith('agent:'))).toEqual(['agent:build', 'agent:helper-7'])
    expect(keys).toHaveLength(predecessorProjectHistory(project).length)
  })
})
