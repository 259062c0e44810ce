import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempFolder } from '@agent-tracker/test-folders'
import { describe, expect, it } from 'vitest'
import { cannotWriteConfig, writeConfig } from './write-config.js'

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

describe('writeConfig', () => {
  const edit = { created: false, already: [], rerun: 'agent-tracker init' }

  it('replaces a config in one step, keeping its permissions and leaving nothing beside it', () => {
    const folder = tempFolder()
    const file = join(folder, 'opencode.json')
    writeFileSync(file, '{}\n')
    chmodSync(file, 0o640)
    writeConfig(file, '{ "plugin": [] }\n', edit)
    expect(readFileSync(file, 'utf8')).toBe('{ "plugin": [] }\n')
    expect(statSync(file).mode & 0o777).toBe(0o640)
    expect(readdirSync(folder)).toEqual(['opencode.json'])
  })

  it('edits the file a linked config names, and the link stays a link', () => {
    const folder = tempFolder()
    const dotfiles = join(folder, 'dotfiles')
    mkdirSync(dotfiles)
    writeFileSync(join(dotfiles, 'opencode.json'), '{}\n')
    const link = join(folder, 'opencode.json')
    symlinkSync(join(dotfiles, 'opencode.json'), link)
    writeConfig(link, '{ "plugin": [] }\n', edit)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(dotfiles, 'opencode.json'), 'utf8')).toBe('{ "plugin": [] }\n')
  })

  it('makes a new config and its folder', () => {
    const file = join(tempFolder(), 'config', 'opencode', 'opencode.json')
    writeConfig(file, '{}\n', { ...edit, created: true })
    expect(readFileSync(file, 'utf8')).toBe('{}\n')
  })
})
