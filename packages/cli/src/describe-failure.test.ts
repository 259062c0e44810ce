import { describe, expect, it } from 'vitest'
import { describeFailure } from './describe-failure.js'

describe('describeFailure', () => {
  it('calls a value that no longer decodes damage, with the fix, not an unexpected error', () => {
    for (const message of ['Unexpected end of buffer reading string', 'Data read, but end of buffer not reached 93', 'Unknown extension type 18', 'Unexpected end of MessagePack data']) {
      const failure = describeFailure(new Error(message))
      expect(failure, message).toMatchObject({ code: 'DATABASE_DAMAGED', exitCode: 1 })
      expect(failure.message).toContain('doctor --salvage <new-file>')
    }
    expect(describeFailure(new Error('something else'))).toMatchObject({ code: 'UNEXPECTED' })
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
