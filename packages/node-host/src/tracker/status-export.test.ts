import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createTrackingService } from '@agent-tracker/core'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { exportedStatusSetup, writeStatusExport } from './status-export.js'

async function status(): Promise<NonNullable<Awaited<ReturnType<ReturnType<typeof createTrackingService>['getStatus']>>>> {
  const service = createTrackingService({ store: createMemoryStore() })
  await service.recordPush({ setup: 'build@fake/m1', project: '/p' })
  const found = await service.getStatus('build@fake/m1')
  if (found === undefined) throw new Error('no status')
  return found
}

describe('writeStatusExport', () => {
  it('writes .agent/status.json as a read-only view where the project has .agent/', async () => {
    const project = tempFolder()
    mkdirSync(join(project, '.agent'))
    const result = writeStatusExport(project, await status(), { now: new Date('2026-05-05T05:05:05Z') })
    expect(result).toEqual({ written: true, path: join(project, '.agent', 'status.json') })
    expect(JSON.parse(readFileSync(result.path, 'utf8'))).toMatchObject({
      agent_name: 'build', setup: 'build@fake/m1', skill_points: 2, experience_points: 0, communication_score: 60,
      total_commits: 0, total_bugs: 0, halted: false, trust_tier: 'Junior', updated_at: '2026-05-05T05:05:05.000Z',
    })
    expect(readdirSync(join(project, '.agent'))).toEqual(['status.json'])
  })

  it('leaves projects without .agent/ alone unless forced', async () => {
    const project = tempFolder()
    expect(writeStatusExport(project, await status())).toEqual({ written: false, path: join(project, '.agent', 'status.json'), reason: 'the project has no .agent/ folder' })
    expect(existsSync(join(project, '.agent'))).toBe(false)
    expect(writeStatusExport(project, await status(), { force: true }).written).toBe(true)
  })

  it('recognises its own export by its note, and not a hand-written status file', async () => {
    const project = tempFolder()
    const { path } = writeStatusExport(project, await status(), { force: true })
    expect(exportedStatusSetup(path)).toBe('build@fake/m1')
    writeFileSync(path, JSON.stringify({ agent_name: 'build', setup: 'build@fake/m1', skill_points: 3 }))
    expect(exportedStatusSetup(path)).toBeUndefined()
    writeFileSync(path, '{ not json')
    expect(exportedStatusSetup(path)).toBeUndefined()
    expect(exportedStatusSetup(join(project, 'absent.json'))).toBeUndefined()
  })
})

describe('writeStatusExport over a status file it did not write', () => {
  const HAND_WRITTEN = `${JSON.stringify({ agent_name: 'AgentTracker-Core', skill_points: 2.7, total_commits: 46.0 }, null, 2)}\n`

  it('leaves a hand-written file alone until it was imported', async () => {
    const project = tempFolder()
    mkdirSync(join(project, '.agent'))
    writeFileSync(join(project, '.agent', 'status.json'), HAND_WRITTEN)
    const result = writeStatusExport(project, await status())
    expect(result).toMatchObject({ written: false, reason: 'a .agent/status.json the tracker did not write is there and was not imported yet; it is left alone' })
    expect(readFileSync(join(project, '.agent', 'status.json'), 'utf8')).toBe(HAND_WRITTEN)
  })

  it('keeps an imported one as status.legacy.json, byte for byte, before writing its own', async () => {
    const project = tempFolder()
    mkdirSync(join(project, '.agent'))
    writeFileSync(join(project, '.agent', 'status.json'), HAND_WRITTEN)
    expect(writeStatusExport(project, await status(), { replaceImported: true }).written).toBe(true)
    expect(readFileSync(join(project, '.agent', 'status.legacy.json'), 'utf8')).toBe(HAND_WRITTEN)
    expect(exportedStatusSetup(join(project, '.agent', 'status.json'))).toBe('build@fake/m1')
    // Its own export is simply replaced the next time.
    expect(writeStatusExport(project, await status(), { replaceImported: true }).written).toBe(true)
    expect(readdirSync(join(project, '.agent')).sort()).toEqual(['status.json', 'status.legacy.json'])
  })
})
