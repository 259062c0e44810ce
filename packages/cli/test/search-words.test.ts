import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { PriorArtHit } from '@agent-tracker/core'
import { factLine, jsonData, jsonError, runCli, tempFolder } from './run-cli.js'

const SETUP = 'build@a/b'

type Found = { scope: string; patterns: PriorArtHit[]; mistakes: PriorArtHit[] }

/** `search`'s JSON answer for `words`, run in `cwd`. */
async function search(db: string, words: readonly string[], cwd?: string): Promise<Found> {
  const run = await runCli(['search', ...words, '--db', db, '--json'], cwd === undefined ? {} : { cwd })
  expect(run.code, run.stderr).toBe(0)
  return jsonData(run.stdout, 'search') as Found
}

const titles = (found: Found): string[] => [...found.patterns, ...found.mistakes].map((hit) => hit.title)

describe('search finds a graded commit by its message', () => {
  it('as by its task and notes, once the commit has a retrospective', async () => {
    const db = join(tempFolder(), 's.lmdb')
    const project = tempFolder('shop-')
    const commit = factLine({ kind: 'commit', setup: SETUP, project, hash: 'bbbb222', message: 'Rewrite the zebra totals', task: 'basket work', at: '2026-11-21T10:00:00Z' })
    expect((await runCli(['ingest', '--db', db], { input: commit, now: new Date('2026-11-21T12:00:00Z') })).code).toBe(0)
    expect(titles(await search(db, ['zebra']))).toEqual(['Rewrite the zebra totals'])

    const graded = await runCli(['grade', SETUP, 'bbbb222', '--user', 'good', '--note', 'tidy giraffe diff', '--trust', '--db', db], { cwd: project, now: new Date('2026-11-21T12:00:00Z') })
    expect(graded.code, graded.stderr).toBe(0)
    // The retrospective stands for its commit: found by the commit's message, its task and its note, once each.
    for (const word of ['zebra', 'basket', 'giraffe']) {
      const found = await search(db, [word])
      expect(found.patterns.map((hit) => [hit.kind, hit.title]), word).toEqual([['retrospective', 'basket work']])
      expect(found.mistakes, word).toEqual([])
    }
  })
})

describe('search words in every script', () => {
  it('keeps combining marks in words, and reads text and query in one normal form, accents on Latin letters left out', async () => {
    const db = join(tempFolder(), 's.lmdb')
    const activity = (task: string, at: string): string => factLine({ kind: 'activity', setup: SETUP, project: '/w/app', task, outcome: 'ok', at })
    const input = [
      activity('हिन्दी अनुवाद जोड़ें', '2026-03-01T10:00:00Z'),
      activity('Re\u0301sume\u0301 upload', '2026-03-01T11:00:00Z'),
      activity('Café menu', '2026-03-01T12:00:00Z'),
      activity('ｆｕｌｌｗｉｄｔｈ ｗｅｂｈｏｏｋ', '2026-03-01T13:00:00Z'),
    ].join('\n')
    expect((await runCli(['ingest', '--db', db], { input, now: new Date('2026-03-02T00:00:00Z') })).code).toBe(0)

    expect(titles(await search(db, ['हिन्दी']))).toEqual(['हिन्दी अनुवाद जोड़ें'])
    expect(titles(await search(db, ['अनुवाद']))).toEqual(['हिन्दी अनुवाद जोड़ें'])
    // A word is not found by another that shares only its letters, not its vowel signs.
    expect(titles(await search(db, ['अनार']))).toEqual([])
    // Precomposed or decomposed, with or without its accents: the same word.
    for (const query of ['résumé', 'Re\u0301sume\u0301', 'resume', 'RÉSUMÉ']) expect(titles(await search(db, [query])), query).toEqual(['Re\u0301sume\u0301 upload'])
    expect(titles(await search(db, ['sume']))).toEqual([])
    expect(titles(await search(db, ['cafe']))).toEqual(['Café menu'])
    expect(titles(await search(db, ['café']))).toEqual(['Café menu'])
    // Compatibility forms (full-width letters) are read as their plain letters.
    expect(titles(await search(db, ['webhook']))).toEqual(['ｆｕｌｌｗｉｄｔｈ ｗｅｂｈｏｏｋ'])
  })

  it('refuses a query with no word to search for, saying what a word is', async () => {
    const db = join(tempFolder(), 's.lmdb')
    expect((await runCli(['ingest', '--db', db], { input: factLine({ kind: 'activity', setup: SETUP, project: '/w/app', task: 'cart 🛒 fixes', outcome: 'ok' }) })).code).toBe(0)
    for (const query of ['🛒', '!!! ...', 'the and a']) {
      const run = await runCli(['search', query, '--db', db, '--json'])
      expect(run.code, query).toBe(2)
      expect(jsonError(run.stdout), query).toMatchObject({ code: 'NO_SEARCH_WORDS', message: expect.stringMatching(/has no words to search for: .*letters or digits/) as unknown })
    }
    const text = await runCli(['search', '🛒', '--db', db])
    expect(text.stderr).toMatch(/^error: "🛒" has no words to search for/)
  })
})

describe('search in a project of unknown scope', () => {
  it("never calls the project's own work another scope", async () => {
    const db = join(tempFolder(), 's.lmdb')
    // A bare repository: nothing in it tells its scope.
    const shop = join(tempFolder(), 'shop')
    mkdirSync(shop)
    execFileSync('git', ['init', '-q'], { cwd: shop })
    const elsewhere = tempFolder('api-')
    const commit = (project: string, hash: string, at: string): string => factLine({ kind: 'commit', setup: SETUP, project, hash, message: 'Parrot totals', at })
    expect((await runCli(['ingest', '--db', db], { input: [commit(shop, 'aaaa111', '2026-03-01T10:00:00Z'), commit(elsewhere, 'cccc333', '2026-03-01T11:00:00Z')].join('\n') })).code).toBe(0)

    const found = await search(db, ['parrot'], shop)
    expect(found.scope).toBe('unknown')
    // Its own work first, as its own scope, though the other is newer.
    expect(found.patterns.map((hit) => [hit.project, hit.scope])).toEqual([[shop, 'same'], [elsewhere, 'other']])
    const text = await runCli(['search', 'parrot', '--db', db], { cwd: shop })
    expect(text.stdout).toMatch(/Parrot totals — commit, build@a\/b, shop, /)
    // Nor, not knowing the project's scope, any other project's.
    expect(text.stdout).not.toContain('(other scope)')
  })
})
