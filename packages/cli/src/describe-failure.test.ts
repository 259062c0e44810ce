import { describe, expect, it } from 'vitest'
import { describeFailure } from './describe-failure.js'

/** What `run` throws (it is meant to throw). */
function thrownBy(run: () => unknown): unknown {
  try {
    return run()
  } catch (error) {
    return error
  }
}

describe('describeFailure', () => {
  it('calls a value that no longer decodes damage, with the fix, not an unexpected error', () => {
    for (const message of ['Unexpected end of buffer reading string', 'Data read, but end of buffer not reached 93', 'Unknown extension type 18', 'Unexpected end of MessagePack data']) {
      const failure = describeFailure(new Error(message))
      expect(failure, message).toMatchObject({ code: 'DATABASE_DAMAGED', exitCode: 1 })
      expect(failure.message).toContain('doctor --salvage <new-file>')
    }
    expect(describeFailure(new Error('something else'))).toMatchObject({ code: 'UNEXPECTED' })
  })

  it('calls the stack overflowing while MessagePack reloads a table\'s record layouts damage, and any other overflow unexpected', () => {
    // As msgpackr's decoder does when a table's shared structures refer to one they lack: it loads them again to find it.
    function loadStructures(): unknown {
      return loadStructures()
    }
    function walk(): unknown {
      return walk()
    }
    const layouts = describeFailure(thrownBy(loadStructures))
    expect(layouts).toMatchObject({ code: 'DATABASE_DAMAGED', problem: 'The database could not be read (a table\'s record layouts do not decode): its file is probably damaged.' })
    expect(describeFailure(thrownBy(walk))).toMatchObject({ code: 'UNEXPECTED', message: 'Unexpected error: Maximum call stack size exceeded' })
  })

  it('calls an error thrown while the database library decoded a stored key damage, and the same error elsewhere unexpected', () => {
    // As ordered-binary does with a damaged number key: BigInt(NaN), inside lmdb-js's LMDBStore.readKey.
    class LMDBStore {
      readKey(): bigint {
        return BigInt(Number.NaN)
      }
    }
    const key = describeFailure(thrownBy(() => new LMDBStore().readKey()))
    expect(key).toMatchObject({ code: 'DATABASE_DAMAGED' })
    expect(key.problem).toMatch(/^The database could not be read \(a stored key does not decode: The number NaN cannot be converted to a BigInt/)
    expect(describeFailure(thrownBy(() => BigInt(Number.NaN)))).toMatchObject({ code: 'UNEXPECTED' })
  })

  it('leaves out what a damaged value decoded to, and keeps the problem apart from the fix for the damage mark', () => {
    const leftOver = describeFailure(new Error('Data read, but end of buffer not reached {"v":1,"setup":"build@openai/gpt-5","commit":"e25d\u0001\ufffd"'))
    expect(leftOver.problem).toBe('The database could not be read (a stored value does not decode (its bytes run on past the value: msgpack "Data read, but end of buffer not reached")): its file is probably damaged.')
    expect(leftOver.message).toBe(`${String(leftOver.problem)} Run agent-tracker doctor --deep to see where; then restore a backup, or copy everything still readable into a new database with agent-tracker doctor --salvage <new-file> and use that (--db or AGENT_TRACKER_DB).`)
    expect(leftOver.message).not.toContain('gpt-5')
    const garbled = describeFailure(new Error('Unknown extension type 18 \u0003\ufffd\ufffdkE'))
    expect(garbled.problem).toBe('The database could not be read (a stored value does not decode: Unknown extension type 18 … (unreadable bytes left out)): its file is probably damaged.')
    const page = describeFailure(new Error('Error: MDB_PAGE_NOTFOUND: Requested page not found'))
    expect(page.problem).toBe('The database could not be read (a page a tree points to is not in the file (LMDB says MDB_PAGE_NOTFOUND)): its file is probably damaged.')
    expect(describeFailure(new Error('something else')).problem).toBeUndefined()
  })
})
