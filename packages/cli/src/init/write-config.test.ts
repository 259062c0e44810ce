import { describe, expect, it } from 'vitest'
import { cannotWriteConfig } from './write-config.js'

/** An error as `fs` throws it, with its code. */
function fsError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: failed, open '/p/opencode.json'`), { code })
}

// A file without write permission cannot be made as root, who may write any: the words for it are checked here.
describe('cannotWriteConfig', () => {
  it('says a config is not writable, that nothing changed, and what to do', () => {
    const error = cannotWriteConfig('/p/opencode.json', fsError('EACCES'), { created: false, already: [], rerun: 'agent-tracker init' })
    expect(error).toMatchObject({ code: 'CANNOT_WRITE', exitCode: 1 })
    expect(error.message).toBe('Cannot write /p/opencode.json: it is not writable (no permission); nothing was changed. Make it writable for you (e.g. chmod u+w), then run agent-tracker init again.')
  })

  it('names the folder a new config cannot be made in', () => {
    expect(cannotWriteConfig('/etc/opencode/opencode.json', fsError('EACCES'), { created: true, already: [], rerun: 'agent-tracker init --global' }).message)
      .toBe('Cannot create /etc/opencode/opencode.json: no permission to create a file in /etc/opencode; nothing was changed. Make the folder writable for you (e.g. chmod u+w), then run agent-tracker init --global again.')
  })

  it('names the configs init --remove changed before the one it could not write', () => {
    expect(cannotWriteConfig('/r/opencode.json', fsError('EPERM'), { created: false, already: ['/r/sub/opencode.json'], rerun: 'agent-tracker init --remove' }).message)
      .toBe('Cannot write /r/opencode.json: it is not writable (no permission); only /r/sub/opencode.json was changed. Make it writable for you (e.g. chmod u+w), then run agent-tracker init --remove again.')
    expect(cannotWriteConfig('/r/opencode.json', fsError('EROFS'), { created: false, already: [], rerun: 'agent-tracker init' }).message)
      .toBe('Cannot write /r/opencode.json: it is on a read-only file system; nothing was changed.')
  })
})
