import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readMessageFiles } from './message-files.js'

let folder: string

afterEach(() => {
  rmSync(folder, { recursive: true, force: true })
})

describe('readMessageFiles', () => {
  it('reads the subject of a message file in each folder git may have run in', () => {
    folder = mkdtempSync(join(tmpdir(), 'message-files-'))
    writeFileSync(join(folder, 'msg.txt'), 'feat: the subject\n\nthe body\n')
    expect(readMessageFiles([{ subject: undefined, given: true, file: { path: 'msg.txt' } }], [folder, join(folder, 'gone')])).toEqual([{ subject: undefined, given: true, file: { path: 'msg.txt' }, fileSubjects: ['feat: the subject'] }])
  })

  it.runIf(process.platform !== 'win32')('leaves a named pipe unread instead of waiting for a writer that never comes', () => {
    folder = mkdtempSync(join(tmpdir(), 'message-files-'))
    // `mkfifo m; (echo msg > m &); git commit -q -F m`: after the call the pipe is still there, with no one writing.
    execFileSync('mkfifo', [join(folder, 'm')])
    // Were it opened to read, this would block the process (the test's, as it would OpenCode's) for good.
    expect(readMessageFiles([{ subject: undefined, given: true, file: { path: 'm' } }], [folder])).toEqual([{ subject: undefined, given: true, file: { path: 'm' }, fileSubjects: [] }])
  })
})
