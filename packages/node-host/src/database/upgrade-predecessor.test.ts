import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { recogniseDatabase } from '@agent-tracker/lmdb-store'
import { predecessorCentralHistory, writePredecessorCentralDatabase } from '@agent-tracker/predecessor'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { upgradePredecessorDatabase } from './upgrade-predecessor.js'

describe('upgradePredecessorDatabase', () => {
  it('finds the database by the path rules and upgrades the predecessor\'s there', async () => {
    const home = tempFolder('home-')
    const path = join(home, '.config', 'opencode', 'agent-tracker.lmdb')
    writePredecessorCentralDatabase(path, predecessorCentralHistory())
    expect(await upgradePredecessorDatabase({ homeDir: home, env: {}, timeZone: 'UTC' })).toMatchObject({ status: 'upgraded', plan: { path } })
    expect(recogniseDatabase(path).kind).toBe('agent-tracker')
    expect(await upgradePredecessorDatabase({ homeDir: home, env: {} })).toMatchObject({ status: 'nothing-to-upgrade' })
  })

  it('waits for another process that is upgrading, then does it when that one is gone', async () => {
    const path = join(tempFolder('db-'), 'agent-tracker.lmdb')
    writePredecessorCentralDatabase(path, predecessorCentralHistory())
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    writeFileSync(`${path}.upgrade-lock`, String(other.pid))
    expect(await upgradePredecessorDatabase({ databasePath: path })).toEqual({ status: 'busy', pid: other.pid })
    setTimeout(() => other.kill('SIGKILL'), 300)
    expect(await upgradePredecessorDatabase({ databasePath: path, waitMs: 20_000, pollMs: 50, timeZone: 'UTC' })).toMatchObject({ status: 'upgraded' })
  })
})
