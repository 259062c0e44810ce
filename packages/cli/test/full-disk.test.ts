import { statfsSync, writeFileSync } from 'node:fs'
import { smallDisk } from '@agent-tracker/lmdb-store/testing'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { factLine, jsonData, runBuiltCli, tempFolder } from './run-cli.js'

const SETUP = 'build@fake/m1'

describe('a command whose write finds the disk full', () => {
  it('ends with one error line saying so, not the database library\'s own stack traces, and keeps what was stored', { timeout: 60_000 }, async (ctx) => {
    const disk = smallDisk(join(tempFolder(), 'disk'), 8 * 1024 * 1024)
    if (disk === undefined) {
      ctx.skip()
      return
    }
    try {
      const db = join(disk.folder, 'tracker.lmdb')
      const line = (id: string, task: string): string => factLine({ kind: 'activity', id, at: '2026-12-01T10:00:00.000Z', setup: SETUP, project: '/p', task })
      expect((await runBuiltCli(['ingest', '--db', db], { input: `${line('first', 'stored before the disk filled')}\n` })).code).toBe(0)
      const { bavail, bsize } = statfsSync(disk.folder)
      writeFileSync(join(disk.folder, 'ballast'), Buffer.alloc(Math.max(0, bavail * bsize - 8 * 1024)))
      const many = Array.from({ length: 300 }, (_, i) => line(`big-${String(i)}`, `task ${String(i)} ${'x'.repeat(2000)}`)).join('\n')
      const failed = await runBuiltCli(['ingest', '--db', db], { input: `${many}\n` })
      expect(failed.code).toBe(1)
      expect(failed.stderr).toMatch(new RegExp(`^error: Could not write to the agent-tracker database ${db}: the disk holding it is full or failing \\(.+\\)\\. Nothing from this batch was written; free some space and try again\\. No line was stored\\.`))
      expect(failed.stderr.trim().split('\n')).toHaveLength(1)
      const listed = await runBuiltCli(['activity', SETUP, '--json', '--db', db])
      expect((jsonData(listed.stdout, 'activity') as { entries: { task: string }[] }).entries.map((entry) => entry.task)).toEqual(['stored before the disk filled'])
    } finally {
      disk.unmount()
    }
  })
})
