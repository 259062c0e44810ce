import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ScriptedHistory, lines } from '../../test/scripted-history.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { blameOrigins } from './blame.js'
import { temporaryCommitGraph } from './commit-graph-cache.js'
import { gitOutput } from './git-process.js'

describe('temporaryCommitGraph', () => {
  it('gives git a commit graph outside the repository, with the same answers, and removes it', async () => {
    const history = new ScriptedHistory(join(tempFolder('commit-graph-'), 'repo'), 3)
    for (let index = 1; index <= 6; index++) history.commit(`step ${String(index)}`, { 'a.ts': lines('a', index * 2).replace('a1 = 1', `a1 = ${String(index)}`), [`f${String(index)}.ts`]: lines('f', index) })
    const head = history.head()
    const objects = join(history.folder, '.git', 'objects')
    const before = readdirSync(join(objects, 'info'))
    const cache = await temporaryCommitGraph(history.folder, head)
    const directory = cache.options.env?.GIT_OBJECT_DIRECTORY ?? ''
    expect(existsSync(join(directory, 'info', 'commit-graph'))).toBe(true)
    // git is pointed at it, and answers the same.
    expect(await blameOrigins(history.folder, head, 'a.ts', undefined, cache.options)).toEqual(await blameOrigins(history.folder, head, 'a.ts', undefined))
    expect(await gitOutput(history.folder, ['log', '--format=%H', '--', 'f3.ts'], cache.options)).toBe(await gitOutput(history.folder, ['log', '--format=%H', '--', 'f3.ts']))
    cache.remove()
    expect(existsSync(directory)).toBe(false)
    expect(readdirSync(join(objects, 'info'))).toEqual(before)
  })

  it('leaves the options as they were in a shallow clone, where git writes no graph and says nothing', async () => {
    const history = new ScriptedHistory(join(tempFolder('commit-graph-'), 'repo'), 3)
    for (let index = 1; index <= 4; index++) history.commit(`step ${String(index)}`, { 'a.ts': lines('a', index) })
    const shallow = join(tempFolder('commit-graph-'), 'shallow')
    history.git('clone', '-q', '--depth', '2', `file://${history.folder}`, shallow)
    const options = { signal: new AbortController().signal }
    const head = (await gitOutput(shallow, ['rev-parse', 'HEAD'])).trim()
    const cache = await temporaryCommitGraph(shallow, head, options)
    expect(cache.options).toBe(options)
  })

  it('leaves the options as they were when git cannot write one', async () => {
    const options = { signal: new AbortController().signal }
    const cache = await temporaryCommitGraph(tempFolder('commit-graph-'), 'HEAD', options)
    expect(cache.options).toBe(options)
    cache.remove()
  })
})
