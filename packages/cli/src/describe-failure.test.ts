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
})
