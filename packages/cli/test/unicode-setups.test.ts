import { join } from 'node:path'
import { openTracker } from '@agent-tracker/node-host'
import { describe, expect, it } from 'vitest'
import { factLine, jsonData, runCli, tempFolder } from './run-cli.js'

/** A setup id with letters Unicode spells two ways: `ü` as one character (NFC) or as `u` and a combining diaeresis (NFD). */
const COMPOSED = 'build@\u00fc/\u65e5\u672c'
const DECOMPOSED = COMPOSED.normalize('NFD')

const call = (setup: string, tool: string, project: string): string => factLine({ kind: 'tool_call', setup, project, tool, ok: true, at: '2026-03-01T10:00:00Z' })

/** The setups `report --setup <typed> --json` reports. */
async function reportedSetups(db: string, typed: string): Promise<string[]> {
  const run = await runCli(['report', '--setup', typed, '--db', db, '--json'])
  expect(run.code, run.stderr).toBe(0)
  return (jsonData(run.stdout, 'report') as { setups: { setup: string }[] }).setups.map((row) => row.setup)
}

/** The setup ids `agents --json` lists. */
async function listedSetups(db: string): Promise<string[]> {
  const run = await runCli(['agents', '--db', db, '--json'])
  expect(run.code).toBe(0)
  return (jsonData(run.stdout, 'agents') as { status: { setup: string } }[]).map((row) => row.status.setup)
}

describe('a setup id spelt decomposed (NFD) and composed (NFC)', () => {
  it('is one setup: ingest records it composed, and status, report and grade find it however it is typed; one recorded decomposed before is found as given', async () => {
    expect(DECOMPOSED).not.toBe(COMPOSED)
    const root = tempFolder('unicode-')
    const db = join(root, 'tracker.lmdb')
    const input = `${[call(DECOMPOSED, 'bash', root), call(COMPOSED, 'read', root), factLine({ kind: 'commit', setup: DECOMPOSED, project: root, hash: 'abc1234', message: 'one', at: '2026-03-01T10:05:00Z' })].join('\n')}\n`
    expect((await runCli(['ingest', '--db', db], { input })).code).toBe(0)
    expect(await listedSetups(db)).toEqual([COMPOSED])
    // The same input again stores nothing twice.
    const again = await runCli(['ingest', '--db', db, '--json'], { input })
    expect(jsonData(again.stdout, 'ingest')).toMatchObject({ ingested: 0, repeats: 3 })
    for (const typed of [DECOMPOSED, COMPOSED]) {
      const status = await runCli(['status', typed, '--db', db, '--json'])
      expect(status.code, status.stderr).toBe(0)
      expect(jsonData(status.stdout, 'status')).toMatchObject({ setup: COMPOSED })
      expect(await reportedSetups(db, typed)).toEqual([COMPOSED])
    }
    const graded = await runCli(['grade', DECOMPOSED, 'abc1234', '--user', 'good', '--trust', '--db', db, '--json'])
    expect(graded.code, graded.stderr).toBe(0)
    expect(await listedSetups(db)).toEqual([COMPOSED])
    // A setup a host recorded decomposed before (a live host records its id as the host spells it) is still found as given.
    const older = 'plan@\u00fc/x'.normalize('NFD')
    const tracker = openTracker({ databasePath: db, project: root, flushOnExit: false })
    await tracker.service.recordToolCall({ setup: older, project: root, tool: 'bash', ok: true })
    await tracker.close()
    expect((await listedSetups(db)).sort()).toEqual([COMPOSED, older].sort())
    const status = await runCli(['status', older, '--db', db, '--json'])
    expect(status.code, status.stderr).toBe(0)
    expect(jsonData(status.stdout, 'status')).toMatchObject({ setup: older })
    expect(await reportedSetups(db, older)).toEqual([older])
  })
})
