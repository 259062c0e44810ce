import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ScriptedHistory, lines } from '../../test/scripted-history.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { blameOrigins } from './blame.js'
import { blameBoundary, descendantsOf, historyGraph } from './blame-boundary.js'
import { readHistory } from './git-history.js'

/**
 * A history with a side branch merged back, lines moved between files, and people's commits
 * before, between and after the two origins of interest.
 */
function branchyHistory(): { history: ScriptedHistory; origins: string[] } {
  const history = new ScriptedHistory(join(tempFolder('blame-boundary-'), 'repo'), 5)
  history.commit('initial', { 'a.ts': lines('a', 10), 'b.ts': lines('b', 6) })
  history.commit('people edit a', { 'a.ts': lines('a', 10).replace('a2 = 2', 'a2 = 20') })
  history.git('checkout', '-q', '-b', 'side')
  history.commit('people edit b on a side branch', { 'b.ts': lines('b', 6).replace('b5 = 5', 'b5 = 50') })
  history.git('checkout', '-q', 'main')
  const first = history.commit('agent rewrites a', { 'a.ts': lines('a', 10).replace('a2 = 2', 'a2 = 20').replace('a4 = 4', 'a4 = 44').replace('a5 = 5', 'a5 = 55') + lines('agent', 4) })
  history.commit('people move lines of a into c', { 'a.ts': lines('a', 10).replace('a2 = 2', 'a2 = 20').replace('const a4 = 4\nconst a5 = 5\n', ''), 'c.ts': `${lines('c', 2)}const a4 = 44\nconst a5 = 55\n${lines('agent', 4)}` })
  history.git('merge', '-q', '--no-ff', '-m', 'Merge side', 'side')
  history.commit('people edit b and c', { 'b.ts': lines('b', 6).replace('b5 = 5', 'b5 = 50').replace('b1 = 1', 'b1 = 10'), 'c.ts': `${lines('c', 2)}const a4 = 44\nconst a5 = 56\n${lines('agent', 4)}` })
  const second = history.commit('agent edits b', { 'b.ts': lines('b', 6).replace('b5 = 5', 'b5 = 50').replace('b1 = 1', 'b1 = 11').replace('b3 = 3', 'b3 = 33') })
  history.commit('people edit a again', { 'a.ts': lines('a', 10).replace('a2 = 2', 'a2 = 21').replace('const a4 = 4\nconst a5 = 5\n', '') })
  return { history, origins: [first, second] }
}

const only = (origins: ReadonlyMap<string, number>, wanted: readonly string[]): [string, number][] => [...origins].filter(([origin]) => wanted.includes(origin)).sort()

describe('blameBoundary', () => {
  it('leaves every line of the origins of interest where a full blame puts it, at every commit and file of a branchy history', async () => {
    const { history, origins } = branchyHistory()
    const commits = []
    for await (const commit of readHistory(history.folder, 'HEAD')) commits.push(commit)
    const graph = historyGraph(commits)
    let compared = 0
    let bounded = 0
    let skipped = 0
    for (const wanted of [origins, [origins[1] ?? '']]) {
      const descendants = descendantsOf(graph, wanted)
      for (const { hash } of commits) {
        const boundary = blameBoundary(graph, descendants, hash)
        if (boundary === undefined) throw new Error(`no boundary for ${hash}`)
        for (const path of history.git('ls-tree', '-r', '--name-only', hash).split('\n')) {
          const full = await blameOrigins(history.folder, hash, path, undefined)
          if (boundary.skip) {
            skipped += 1
            expect(only(full, wanted)).toEqual([])
            continue
          }
          if (boundary.exclude.length > 0) bounded += 1
          const cut = await blameOrigins(history.folder, hash, path, undefined, { exclude: boundary.exclude })
          expect(only(cut, wanted), `${path} at ${hash}`).toEqual(only(full, wanted))
          compared += only(full, wanted).reduce((sum, [, count]) => sum + count, 0)
        }
      }
    }
    // The comparison covered lines of both origins, blames cut short, and blames left out.
    expect(compared).toBeGreaterThan(20)
    expect(bounded).toBeGreaterThan(10)
    expect(skipped).toBeGreaterThan(5)
  })

  it('excludes the parent of the oldest origin on a straight history, and skips revisions before it', () => {
    const history = new ScriptedHistory(join(tempFolder('blame-boundary-'), 'line'), 2)
    const initial = history.commit('initial', { 'a.ts': lines('a', 3) })
    const before = history.commit('before', { 'a.ts': lines('a', 4) })
    const origin = history.commit('origin', { 'a.ts': lines('a', 5) })
    const after = history.commit('after', { 'a.ts': lines('a', 6) })
    const graph = historyGraph([{ hash: initial, parents: [] }, { hash: before, parents: [initial] }, { hash: origin, parents: [before] }, { hash: after, parents: [origin] }])
    const descendants = descendantsOf(graph, [origin])
    expect(blameBoundary(graph, descendants, after)).toEqual({ skip: false, exclude: [before] })
    expect(blameBoundary(graph, descendants, origin)).toEqual({ skip: false, exclude: [before] })
    expect(blameBoundary(graph, descendants, before)).toEqual({ skip: true })
    expect(blameBoundary(graph, descendants, 'f'.repeat(40))).toBeUndefined()
    expect(blameBoundary(graph, descendantsOf(graph, []), after)).toEqual({ skip: true })
  })
})
