import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EvidenceRecord, TrackerStore } from '@agent-tracker/core'
import { evidenceSummaries, parseFixPatterns } from '@agent-tracker/core'
import { createMemoryStore } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { ScriptedHistory, lines } from '../../test/scripted-history.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { scanEvidence } from './scan-evidence.js'

const SONNET = 'build@anthropic/claude-sonnet-4-5'
const GPT = 'build@openai/gpt-5'

async function track(store: TrackerStore, history: ScriptedHistory, setup: string, hash: string, at: string): Promise<void> {
  await store.applyFacts([{ id: `commit:${hash}`, kind: 'commit', at, setup, project: history.folder, hash, message: 'agent work' }])
}

/** Evidence as `signal commit→source` lines, with the commits named, sorted. */
function described(records: readonly EvidenceRecord[], names: Record<string, string>): string[] {
  const name = (hash: string): string => names[hash] ?? hash.slice(0, 7)
  return records
    .map((record) => `${record.signal} ${name(record.commit)}${record.signal === 'survival' ? ` ${String(record.days)}d ${String(record.surviving)}/${String(record.added)}` : ` ← ${name(record.source)}`} [${record.status}]`)
    .sort()
}

/** A scripted repository whose agent commits are tracked as their setup's; every commit is named for the assertions. */
interface TrackedProject {
  readonly history: ScriptedHistory
  readonly store: TrackerStore
  readonly names: Record<string, string>
  /** An agent commit, tracked as `setup`'s. */
  readonly agent: (name: string, setup: string, message: string, files: Record<string, string>) => Promise<string>
  /** A commit nobody tracked (a person's). */
  readonly human: (name: string, message: string, files?: Record<string, string>) => string
}

function trackedProject(folder: string, stepHours: number): TrackedProject {
  const history = new ScriptedHistory(join(tempFolder('evidence-'), folder), stepHours)
  const store = createMemoryStore()
  const names: Record<string, string> = {}
  const human = (name: string, message: string, files: Record<string, string> = {}): string => {
    const hash = history.commit(message, files)
    names[hash] = name
    return hash
  }
  const agent = async (name: string, setup: string, message: string, files: Record<string, string>): Promise<string> => {
    const at = history.now
    const hash = human(name, message, files)
    await track(store, history, setup, hash, at)
    return hash
  }
  return { history, store, names, agent, human }
}

/**
 * Two setups' agent commits, and what people did to them later: a rename, a whitespace-only
 * change, fixes touching agent lines, a fix touching only human lines, a revert, and a branch merged.
 */
async function scriptedProject(): Promise<{ history: ScriptedHistory; store: TrackerStore; names: Record<string, string> }> {
  const { history, store, names, agent, human } = trackedProject('shop', 60)
  human('init', 'initial', { 'README.md': '# shop\n', 'docs/notes.md': lines('note', 5) })
  await agent('cart', SONNET, 'Add the cart', { 'src/cart.ts': lines('cart', 6) })
  await agent('pay', GPT, 'Add payments', { 'src/pay.ts': lines('pay', 6) })
  history.wait(1)
  history.git('mv', 'src/cart.ts', 'src/basket.ts')
  human('rename', 'Rename cart to basket')
  human('indent', 'Reindent payments', { 'src/pay.ts': lines('pay', 6).replace('const pay2', '    const pay2') })
  history.wait(1)
  human('fix-basket', 'fix: basket total was off by one', { 'src/basket.ts': lines('cart', 6).replace('cart3 = 3', 'cart3 = 4') })
  human('fix-pay', 'Handle a missing card (closes #12)', { 'src/pay.ts': lines('pay', 6).replace('const pay2 = 2', '    const pay2 = 20') })
  const search = await agent('search', GPT, 'Add search', { 'src/search.ts': lines('search', 4) })


  history.git('revert', '--no-edit', search)
  names[history.head()] = 'revert-search'
  history.wait(1)
  await agent('docs', SONNET, 'Document the API', { 'src/api.ts': lines('api', 3) })
  human('fix-notes', 'fix typo in the notes', { 'docs/notes.md': lines('note', 5).replace('note2', 'noteTwo') })
  history.git('checkout', '-q', '-b', 'feature')
  await agent('feature', SONNET, 'Add coupons', { 'src/coupons.ts': lines('coupon', 4) })
  history.git('checkout', '-q', 'main')
  human('other', 'Bump the README', { 'README.md': '# shop\n\nA shop.\n' })
  history.git('merge', '-q', '--no-ff', '-m', 'Merge branch feature (fixes coupons)', 'feature')
  names[history.head()] = 'merge'
  human('fix-coupons', 'hotfix: coupon rounding', { 'src/coupons.ts': lines('coupon', 4).replace('coupon4 = 4', 'coupon4 = 4.0') })
  return { history, store, names }
}

describe('scanEvidence leaves the repository as it was', () => {
  it('writes nothing into .git, even where git would cache textconv output (a notes ref whose objects would vanish with the scan\'s temporary files)', async () => {
    const { history, store, agent, human } = trackedProject('textconv', 30)
    history.git('config', 'diff.up.textconv', 'cat')
    history.git('config', 'diff.up.cachetextconv', 'true')
    human('attributes', 'add attributes', { '.gitattributes': '*.up diff=up\n' })
    await agent('agent', SONNET, 'Add the totals', { 'totals.up': lines('total', 6) })
    history.wait(2)
    human('fix', 'fix: totals were rounded', { 'totals.up': lines('total', 6).replace('total2 = 2', 'total2 = 20') })
    const refsBefore = history.git('for-each-ref', '--format=%(refname)')
    const scan = await scanEvidence(store, history.folder)
    expect(scan.recorded).toBeGreaterThan(0)
    expect(history.git('for-each-ref', '--format=%(refname)')).toBe(refsBefore)
    // Every object the repository names is there: git log -p and fsck read it whole.
    history.git('log', '-p', '--all')
    history.git('fsck', '--no-progress')
  })
})

describe('scanEvidence', () => {
  it('finds exactly the suspected bugs, reverts and survival a scripted history holds', async () => {
    const { history, store, names } = await scriptedProject()
    const scan = await scanEvidence(store, history.folder)
    expect(scan.mode).toBe('full')
    const records = await store.find('evidence')
    expect(described(records, names)).toEqual([
      'revert search ← revert-search [open]',
      'survival cart 30d 5/6 [open]',
      'survival cart 7d 5/6 [open]',
      'survival docs 30d 3/3 [open]',
      'survival docs 7d 3/3 [open]',
      'survival feature 30d 3/4 [open]',
      'survival feature 7d 3/4 [open]',
      'survival pay 30d 5/6 [open]',
      'survival pay 7d 5/6 [open]',
      'survival search 30d 0/4 [open]',
      'survival search 7d 0/4 [open]',
      'suspected-bug cart ← fix-basket [open]',
      'suspected-bug feature ← fix-coupons [open]',
      'suspected-bug pay ← fix-pay [open]',
    ])
    const basket = records.find((record) => record.signal === 'suspected-bug' && names[record.commit] === 'cart')
    expect(basket).toMatchObject({ setup: SONNET, files: ['src/basket.ts'], lines: 1, pattern: 'fix', subject: 'fix: basket total was off by one' })
    expect(records.find((record) => names[record.source] === 'fix-pay')).toMatchObject({ setup: GPT, pattern: 'issue-reference' })
    expect(scan).toMatchObject({ suspectedBugs: 3, reverts: 1, survival: 10, recorded: 14, retracted: 0 })
  })

  it('puts no suspected bug on a commit whose lines the fix did not touch', async () => {
    const history = new ScriptedHistory(join(tempFolder('evidence-'), 'precise'), 3)
    const store = createMemoryStore()
    history.commit('initial', { 'a.ts': lines('a', 5), 'b.ts': lines('b', 5) })
    const at = history.now
    const agentCommit = history.commit('Agent adds lines next to human ones', { 'a.ts': lines('a', 5) + lines('z', 3) })
    await track(store, history, SONNET, agentCommit, at)
    history.commit('fix: a2 was wrong', { 'a.ts': (lines('a', 5) + lines('z', 3)).replace('a2 = 2', 'a2 = 22') })
    history.commit('fix: only adds a line', { 'a.ts': `${lines('a', 5)}// guard\n${lines('z', 3)}` })
    history.commit('fix: b', { 'b.ts': lines('b', 4) })
    history.commit('fix: whitespace only', { 'a.ts': `${lines('a', 5)}// guard\n${lines('z', 3).replace('const z1', '  const z1')}` })
    const scan = await scanEvidence(store, history.folder)
    expect(await store.find('evidence')).toEqual([])
    expect(scan).toMatchObject({ fixesBlamed: 3, fixesSkipped: 1, suspectedBugs: 0 })
  })

  it('records nothing twice, reads only new commits on the next run, and retracts what a rewritten history drops', async () => {
    const { history, store, names } = await scriptedProject()
    await scanEvidence(store, history.folder)
    const before = await store.find('evidence')
    const again = await scanEvidence(store, history.folder)
    expect(again).toMatchObject({ mode: 'incremental', commitsRead: 0, recorded: 0 })
    expect(await store.find('evidence')).toEqual(before)

    history.commit('Unrelated human change', { 'docs/more.md': 'more\n' })
    expect(await scanEvidence(store, history.folder)).toMatchObject({ mode: 'incremental', commitsRead: 1, recorded: 0 })

    // Rewrite: drop the coupon hotfix (and what followed it).
    const fix = Object.entries(names).find(([, name]) => name === 'fix-coupons')?.[0] ?? ''
    history.git('reset', '-q', '--hard', `${fix}~1`)
    writeFileSync(join(history.folder, 'src/coupons.ts'), `${readFileSync(join(history.folder, 'src/coupons.ts'), 'utf8')}// more coupons\n`)
    history.commit('Extend coupons')
    const rewritten = await scanEvidence(store, history.folder)
    expect(rewritten).toMatchObject({ mode: 'full', retracted: 1 })
    expect(described(await store.find('evidence', { project: history.folder }), names).filter((line) => line.startsWith('suspected-bug'))).toEqual([
      'suspected-bug cart ← fix-basket [open]',
      'suspected-bug feature ← fix-coupons [retracted]',
      'suspected-bug pay ← fix-pay [open]',
    ])
  })

  it('retracts nothing when HEAD is on an older branch or detached behind the last scan, and keeps it when back', async () => {
    const { history, store, names } = await scriptedProject()
    await scanEvidence(store, history.folder)
    const open = async (): Promise<string[]> => described(await store.find('evidence', { project: history.folder }), names).filter((line) => !line.startsWith('survival')).sort()
    const before = await open()
    expect(before.filter((line) => line.endsWith('[open]')).length).toBeGreaterThan(0)
    // A branch from before the coupon hotfix, and a detached HEAD there: main still has every commit.
    const fix = Object.entries(names).find(([, name]) => name === 'fix-coupons')?.[0] ?? ''
    history.git('branch', 'older', `${fix}~1`)
    history.git('checkout', '-q', 'older')
    expect(await scanEvidence(store, history.folder)).toMatchObject({ mode: 'full', retracted: 0 })
    history.git('checkout', '-q', '--detach', `${fix}~1`)
    expect(await scanEvidence(store, history.folder)).toMatchObject({ retracted: 0 })
    history.git('checkout', '-q', 'main')
    await scanEvidence(store, history.folder)
    expect(await open()).toEqual(before)
  })

  it('takes configured fix patterns, and sums evidence per setup with its sample sizes', async () => {
    const { history, store } = await scriptedProject()
    await scanEvidence(store, history.folder, { fixPatterns: parseFixPatterns(['\\bcloses #\\d+']) })
    const bugs = (await store.find('evidence')).filter((record) => record.signal === 'suspected-bug')
    expect(bugs.map((record) => record.pattern)).toEqual(['\\bcloses #\\d+'])
    const summaries = await evidenceSummaries(store)
    expect(summaries.map((s) => [s.setup, s.commits, s.suspectedBugs, s.reverted, s.survival30.commits, s.survival30.share])).toEqual([
      [SONNET, 3, 0, 0, 3, 11 / 13],
      [GPT, 2, 1, 1, 2, 5 / 10],
    ])
  })

  it('finds a revert by its inverse diff, without the revert message, and only for the commit it undid', async () => {
    const { history, store, names, agent } = trackedProject('undo', 20)
    names[history.commit('initial', { 'a.ts': lines('a', 4), 'b.ts': lines('b', 4) })] = 'init'
    await agent('widen', SONNET, 'Widen a', { 'a.ts': lines('a', 4) + lines('w', 3) })
    await agent('bee', GPT, 'Extend b', { 'b.ts': lines('b', 4) + lines('x', 2) })
    history.wait(1)
    // By hand: put a.ts back as it was, with a message that says nothing of a revert.
    names[history.commit('Simplify a again', { 'a.ts': lines('a', 4) })] = 'undo-widen'
    // Not an inverse: b.ts loses only one of the two lines bee added.
    names[history.commit('Trim b', { 'b.ts': lines('b', 4) + lines('x', 1) })] = 'trim-b'
    const scan = await scanEvidence(store, history.folder, { survivalDays: [] })
    expect(described(await store.find('evidence'), names)).toEqual(['revert widen ← undo-widen [open]'])
    expect((await store.find('evidence'))[0]).toMatchObject({ pattern: 'inverse diff', subject: 'Simplify a again', setup: SONNET })
    expect(scan).toMatchObject({ reverts: 1 })
    // A `git revert` (also an inverse diff) is found once, by its message.
    await agent('cee', GPT, 'Add c', { 'c.ts': lines('c', 2) })
    history.git('revert', '--no-edit', 'HEAD')
    names[history.head()] = 'revert-cee'
    const next = await scanEvidence(store, history.folder, { survivalDays: [] })
    expect(next).toMatchObject({ mode: 'incremental', reverts: 1, recorded: 1 })
    expect(described(await store.find('evidence'), names)).toEqual(['revert cee ← revert-cee [open]', 'revert widen ← undo-widen [open]'])
  })

  it('finds a revert by inverse diff also when the host recorded the undone commit after the revert was made', async () => {
    const { history, store, names } = trackedProject('late', 20)
    names[history.commit('initial', { 'a.ts': lines('a', 4) })] = 'init'
    const widen = history.commit('Widen a', { 'a.ts': lines('a', 4) + lines('w', 3) })
    names[widen] = 'widen'
    history.wait(1)
    names[history.commit('Simplify a again', { 'a.ts': lines('a', 4) })] = 'undo-widen'
    // The host sends its facts two days after the work: the commit's record time is after the revert's.
    await track(store, history, SONNET, widen, new Date(Date.parse(history.now) + 2 * 24 * 3600 * 1000).toISOString())
    await scanEvidence(store, history.folder, { survivalDays: [] })
    expect(described(await store.find('evidence'), names)).toEqual(['revert widen ← undo-widen [open]'])
  })

  it('reads the file names git quotes, and leaves out submodules and names that are no UTF-8 instead of failing', async () => {
    const { history, store, names, agent, human } = trackedProject('odd-names', 20)
    const library = new ScriptedHistory(join(tempFolder('evidence-'), 'library'), 30)
    library.commit('library', { 'lib.ts': lines('lib', 2) })
    human('init', 'initial', { 'README.md': '# odd\n' })
    history.git('-c', 'protocol.file.allow=always', 'submodule', '--quiet', 'add', library.folder, 'vendor/library')
    // A Latin-1 name: bytes Node cannot hand back to git as an argument.
    writeFileSync(Buffer.concat([Buffer.from(`${history.folder}/caf`), Buffer.from([0xe9]), Buffer.from('.txt')]), lines('latin', 4))
    await agent('odd', SONNET, 'Add oddly named files and a submodule', { 'q"uote.txt': lines('q', 5), 'tab\there.txt': lines('t', 3), 'ünï.txt': lines('u', 2) })
    history.wait(1)
    human('fix', 'fix: quoted names', { 'q"uote.txt': lines('q', 5).replace('q2 = 2', 'q2 = 22'), 'tab\there.txt': lines('t', 3).replace('t1 = 1', 't1 = 11') })
    const scan = await scanEvidence(store, history.folder, { survivalDays: [7] })
    // 13 lines measured — 10 in the three files, 3 in .gitmodules; not the submodule's commit id nor the Latin-1 file's —, 2 of them fixed since.
    expect(described(await store.find('evidence'), names)).toEqual(['survival odd 7d 11/13 [open]', 'suspected-bug odd ← fix [open]'])
    expect((await store.find('evidence')).find((record) => record.signal === 'suspected-bug')).toMatchObject({ lines: 2, files: ['q"uote.txt', 'tab\there.txt'] })
    expect(scan).toMatchObject({ fixesBlamed: 1, suspectedBugs: 1, survival: 1 })
  })

  it('blames the fixes of a commit recorded after a scan had read them (an import of older work), then goes on incrementally', async () => {
    const { history, store, names, human } = trackedProject('late', 20)
    human('init', 'initial', { 'README.md': '# late\n' })
    const at = history.now
    const old = human('old', 'Add the parser', { 'parse.ts': lines('p', 4) })
    history.wait(1)
    human('fix', 'fix: p2 was wrong', { 'parse.ts': lines('p', 4).replace('p2 = 2', 'p2 = 22') })
    expect(await scanEvidence(store, history.folder, { survivalDays: [] })).toMatchObject({ mode: 'full', suspectedBugs: 0 })
    human('docs', 'Write the docs', { 'README.md': '# late\n\nDocs.\n' })
    // Recorded now, made before the last scan's HEAD: that scan read its fix without knowing it.
    await track(store, history, SONNET, old, at)
    expect(await scanEvidence(store, history.folder, { survivalDays: [] })).toMatchObject({ mode: 'full', suspectedBugs: 1 })
    expect(described(await store.find('evidence'), names)).toEqual(['suspected-bug old ← fix [open]'])
    // A commit recorded as it is made (live tracking) follows the last scan: the next scan reads only what is new.
    const at2 = history.now
    const live = human('live', 'Add the lexer', { 'lex.ts': lines('l', 3) })
    await track(store, history, SONNET, live, at2)
    expect(await scanEvidence(store, history.folder, { survivalDays: [] })).toMatchObject({ mode: 'incremental', commitsRead: 1 })
  })

  it('finds the evidence of a commit recorded by a short hash, named by that hash', async () => {
    const { history, store, names, human } = trackedProject('short', 20)
    human('init', 'initial', { 'README.md': '# short\n' })
    const at = history.now
    const agentCommit = human('agent', 'Add the cart', { 'cart.ts': lines('c', 4) })
    await track(store, history, SONNET, agentCommit.slice(0, 7), at)
    names[agentCommit.slice(0, 7)] = 'agent'
    history.wait(1)
    human('fix', 'fix: c3 was wrong', { 'cart.ts': lines('c', 4).replace('c3 = 3', 'c3 = 33') })
    await scanEvidence(store, history.folder, { survivalDays: [7] })
    expect(described(await store.find('evidence'), names)).toEqual(['survival agent 7d 3/4 [open]', 'suspected-bug agent ← fix [open]'])
    expect((await store.find('evidence')).map((record) => record.commit)).toEqual([agentCommit.slice(0, 7), agentCommit.slice(0, 7)])
  })

  it('withdraws a revert that was itself reverted (the work put back), read in one scan or across two', async () => {
    const { history, store, names, agent, human } = trackedProject('reapply', 20)
    human('init', 'initial', { 'README.md': '# reapply\n' })
    const search = await agent('search', SONNET, 'Add search', { 'search.ts': lines('s', 4) })
    const cart = await agent('cart', SONNET, 'Add the cart', { 'cart.ts': lines('c', 4) })
    history.git('revert', '--no-edit', search)
    names[history.head()] = 'revert-search'
    history.git('revert', '--no-edit', history.head())
    names[history.head()] = 'reapply-search'
    history.git('revert', '--no-edit', cart)
    names[history.head()] = 'revert-cart'
    // In one scan: the revert of search was undone in the same history; cart's stands.
    await scanEvidence(store, history.folder, { survivalDays: [] })
    expect(described(await store.find('evidence'), names)).toEqual(['revert cart ← revert-cart [open]'])
    // Across two: cart's revert, recorded open, is undone after that scan.
    history.wait(1)
    history.git('revert', '--no-edit', history.head())
    names[history.head()] = 'reapply-cart'
    expect(await scanEvidence(store, history.folder, { survivalDays: [] })).toMatchObject({ mode: 'incremental', reverts: 0, retracted: 1 })
    expect(described(await store.find('evidence'), names)).toEqual(['revert cart ← revert-cart [retracted]'])
    expect(await evidenceSummaries(store)).toEqual([expect.objectContaining({ setup: SONNET, reverted: 0 })])
  })

  it('finds churn: lines an agent commit added that the same setup rewrote within three days, not another setup\'s or later rewrites', async () => {
    const { history, store, names, agent } = trackedProject('churn', 20)
    history.commit('initial', { 'README.md': '# x\n' })
    await agent('parse', SONNET, 'Add the parser', { 'parse.ts': lines('p', 6) })
    history.wait(1)
    // The same setup a day later rewrites two of those lines: churn.
    await agent('rework', SONNET, 'Rework the parser', { 'parse.ts': lines('p', 6).replace('p2 = 2', 'p2 = 22').replace('p5 = 5', 'p5 = 55') })
    await agent('fmt', GPT, 'Add a formatter', { 'fmt.ts': lines('f', 4) })
    history.wait(1)
    // Another setup rewrites GPT's line: not churn (another setup).
    await agent('tweak', SONNET, 'Tweak the formatter', { 'fmt.ts': lines('f', 4).replace('f1 = 1', 'f1 = 11') })
    await agent('lex', GPT, 'Add the lexer', { 'lex.ts': lines('l', 4) })
    history.wait(5)
    // GPT again, five days on: too late to be churn.
    await agent('relex', GPT, 'Rework the lexer', { 'lex.ts': lines('l', 4).replace('l3 = 3', 'l3 = 33') })
    const scan = await scanEvidence(store, history.folder, { survivalDays: [] })
    const churn = (await store.find('evidence')).filter((record) => record.signal === 'churn')
    expect(described(churn, names)).toEqual(['churn parse ← rework [open]'])
    expect(churn[0]).toMatchObject({ setup: SONNET, lines: 2, files: ['parse.ts'], subject: 'Rework the parser' })
    expect(scan).toMatchObject({ churn: 1, suspectedBugs: 0, reverts: 0 })
    const summary = (await evidenceSummaries(store)).find((s) => s.setup === SONNET)
    expect(summary).toMatchObject({ churned: 1, churnedLines: 2, suspectedBugs: 0, reverted: 0 })
    expect(await scanEvidence(store, history.folder, { survivalDays: [] })).toMatchObject({ mode: 'incremental', recorded: 0 })
  })
})
