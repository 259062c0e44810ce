import { join } from 'node:path'
import { createFactScript } from '@agent-tracker/core/testing'
import { readStoredSchema } from '@agent-tracker/lmdb-store'
import { writeSchema1Database } from '@agent-tracker/lmdb-store/testing'
import { describe, expect, it } from 'vitest'
import { runCli, runCliAtTerminal, tempFolder } from './run-cli.js'

async function releaseOneDatabase(): Promise<string> {
  const db = join(tempFolder(), 'release-0.1.0.lmdb')
  const script = createFactScript({ setup: 'build@anthropic/claude-sonnet-4-5', project: '/home/dev/shop', start: '2026-02-01T09:00:00.000Z', stepMs: 60_000 })
  await writeSchema1Database(db, { facts: [script.activity('cart'), script.commit('c0ffee1', 'cart'), script.toolCall('bash')] })
  return db
}

const NOTICE = /Upgrading the database from release 0\.1\.0 \((\d+) records, once\); this can take a while…/

describe('opening a database of release 0.1.0', () => {
  it('says at a terminal, before it starts, that the upgrade rewrites every record; once', async () => {
    const db = await releaseOneDatabase()
    const records = readStoredSchema(db)?.entries
    const first = await runCliAtTerminal(['report', '--db', db])
    expect(first.code).toBe(0)
    expect(NOTICE.exec(first.stdout)?.[1]).toBe(String(records))
    expect(readStoredSchema(db)?.schemaVersion).toBe(3)
    const again = await runCliAtTerminal(['report', '--db', db])
    expect(again.code).toBe(0)
    expect(again.stdout).not.toMatch(NOTICE)
  })

  it('says nothing of it to a script or with --json', async () => {
    const db = await releaseOneDatabase()
    const piped = await runCli(['report', '--db', db])
    expect(piped.code).toBe(0)
    expect(piped.stderr).not.toMatch(NOTICE)
    const other = await releaseOneDatabase()
    const json = await runCliAtTerminal(['report', '--db', other, '--json'])
    expect(json.code).toBe(0)
    expect(json.stdout).not.toMatch(NOTICE)
    expect(readStoredSchema(other)?.schemaVersion).toBe(3)
  })
})
