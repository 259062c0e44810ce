import { describe, expect, it } from 'vitest'
import type { PriorArtRecords } from './prior-art.js'
import { searchPriorArt, terms } from './prior-art.js'

const base = { v: 1 as const, setup: 'build@fake/m1' }
const records: PriorArtRecords = {
  projects: [
    { v: 1, path: '/w/shop', name: 'shop', firstSeenAt: '', lastSeenAt: '', profile: { language: 'typescript', framework: 'react', scope: 'web-app', dependencies: [], sources: [], fingerprint: '', profiledAt: '' } },
    { v: 1, path: '/w/api', name: 'api', firstSeenAt: '', lastSeenAt: '', profile: { language: 'python', framework: 'fastapi', scope: 'api', dependencies: [], sources: [], fingerprint: '', profiledAt: '' } },
  ],
  retrospectives: [
    { ...base, commit: 'c1', project: '/w/api', at: '2026-01-01T00:00:00.000Z', updatedAt: '', task: 'Add Stripe payment webhooks', userGrade: 5, userNote: 'idempotency keys on every webhook, great' },
    { ...base, commit: 'c2', project: '/w/shop', at: '2026-01-02T00:00:00.000Z', updatedAt: '', task: 'Payment form validation', userGrade: 2, agentNote: 'validated card fields on blur' },
    { ...base, commit: 'c3', project: '/w/shop', at: '2026-01-03T00:00:00.000Z', updatedAt: '', task: 'Refund flow', userGrade: -1, userNote: 'refunded twice: payment webhook retried without idempotency' },
  ],
  activities: [{ ...base, id: 'a1', project: '/w/shop', at: '2026-01-04T00:00:00.000Z', task: 'Dark mode', actions: 'css variables', outcome: 'shipped', decisions: 'prefers-color-scheme' }],
  commits: [{ ...base, project: '/w/shop', hash: 'c9', at: '2026-01-05T00:00:00.000Z', message: 'Payment retries with backoff' }],
  bugs: [{ ...base, id: 'b1', project: '/w/shop', at: '2026-01-06T00:00:00.000Z', by: 'user', commit: 'c9', note: 'retry storm took the payment provider down', skillPointsAfter: 0 }],
}

describe('searchPriorArt', () => {
  it('finds a graded retrospective by words of its task and notes, same scope first', () => {
    const result = searchPriorArt('payment webhook idempotency', records, { scope: 'web-app' })
    expect(result.patterns.map((hit) => [hit.kind, hit.title, hit.scope])).toEqual([
      ['retrospective', 'Payment form validation', 'same'],
      ['retrospective', 'Add Stripe payment webhooks', 'other'],
    ])
    expect(searchPriorArt('card fields blur', records).patterns[0]?.title).toBe('Payment form validation')
  })

  it('returns bad-graded work, bugs and buggy commits as mistakes to avoid', () => {
    const result = searchPriorArt('payment retries', records, { scope: 'web-app' })
    expect(result.mistakes.map((hit) => [hit.kind, hit.title]).sort()).toEqual([
      ['bug', 'retry storm took the payment provider down'],
      ['commit', 'Payment retries with backoff'],
      ['retrospective', 'Refund flow'],
    ])
    const relevance = result.mistakes.map((hit) => hit.relevance)
    expect(relevance).toEqual([...relevance].sort((a, b) => b - a))
    expect(result.mistakes.find((hit) => hit.kind === 'retrospective')?.grade).toBe(-1)
    expect(result.patterns.some((hit) => hit.title === 'Refund flow')).toBe(false)
  })

  it('lists a well-graded retrospective whose commit had a bug as a mistake, never as a pattern', () => {
    const buggy: PriorArtRecords = {
      ...records,
      retrospectives: [...records.retrospectives, { ...base, commit: 'c4', project: '/w/shop', at: '2026-01-07T00:00:00.000Z', updatedAt: '', task: 'Coupon codes at checkout', userGrade: 5, userNote: 'looked perfect' }],
      bugs: [...records.bugs, { ...base, id: 'b2', project: '/w/shop', at: '2026-01-08T00:00:00.000Z', by: 'user', commit: 'c4', note: 'coupons applied twice', skillPointsAfter: 0 }],
    }
    const result = searchPriorArt('coupon checkout', buggy, { scope: 'web-app' })
    expect(result.patterns.map((hit) => hit.title)).not.toContain('Coupon codes at checkout')
    expect(result.mistakes.map((hit) => [hit.kind, hit.title])).toContainEqual(['retrospective', 'Coupon codes at checkout'])
  })

  it('never takes a self-grade as a user verdict: self-graded work is labelled and ranked below user-graded work', () => {
    const selfGraded: PriorArtRecords = {
      ...records,
      retrospectives: [
        { ...base, commit: 's1', project: '/w/shop', at: '2026-01-09T00:00:00.000Z', updatedAt: '', task: 'Invoice export to PDF', agentGrade: 5, agentNote: 'invoice export works' },
        { ...base, commit: 's2', project: '/w/shop', at: '2026-01-01T00:00:00.000Z', updatedAt: '', task: 'Invoice numbering', agentGrade: 5, userGrade: 2, agentNote: 'invoice numbers are sequential' },
      ],
    }
    const result = searchPriorArt('invoice export numbering', selfGraded, { scope: 'web-app' })
    expect(result.patterns.map((hit) => [hit.title, hit.grade, hit.gradedBy])).toEqual([
      ['Invoice numbering', 2, 'user'],
      ['Invoice export to PDF', 5, 'agent'],
    ])
  })

  it('takes a query with a word too long for one regular expression (a pasted blob), finding what its other words find', () => {
    const titles = (query: string): string[][] => {
      const result = searchPriorArt(query, records, { scope: 'web-app' })
      return [result.patterns.map((hit) => hit.title), result.mistakes.map((hit) => hit.title)]
    }
    const blob = 'x'.repeat(40_000)
    expect(titles(`payment webhook idempotency ${blob}`)).toEqual(titles('payment webhook idempotency'))
    expect(titles(`${blob} refunded`)).toEqual([[], ['Refund flow']])
    expect(titles(blob)).toEqual([[], []])
  })

  it('finds a graded commit by its message as by its task and notes: its retrospective stands for it', () => {
    const at = '2026-01-10T00:00:00.000Z'
    const graded: PriorArtRecords = {
      ...records,
      commits: [...records.commits, { ...base, project: '/w/shop', hash: 'c5', at, message: 'Rewrite the zebra totals', task: 'basket work' }],
      retrospectives: [...records.retrospectives, { ...base, commit: 'c5', project: '/w/shop', at, updatedAt: at, task: 'basket work', userGrade: 2, userNote: 'tidy giraffe diff' }],
    }
    for (const query of ['zebra totals', 'basket', 'giraffe']) {
      const result = searchPriorArt(query, graded)
      expect(result.patterns.map((hit) => [hit.kind, hit.title, hit.detail]), query).toEqual([['retrospective', 'basket work', 'Rewrite the zebra totals · tidy giraffe diff']])
      expect(result.mistakes, query).toEqual([])
    }
  })

  it('counts a word of a task that is its commit\'s message once', () => {
    const at = '2026-01-10T00:00:00.000Z'
    const twoCommits: PriorArtRecords = {
      ...records,
      commits: [{ ...base, project: '/w/shop', hash: 'c5', at, message: 'Zebra totals' }, { ...base, project: '/w/api', hash: 'c6', at, message: 'Zebra totals' }],
      // The task a grade takes from a commit without one: its message.
      retrospectives: [{ ...base, commit: 'c5', project: '/w/shop', at, updatedAt: at, task: 'Zebra totals', userGrade: 1 }],
      bugs: [],
    }
    const [retrospective, commit] = searchPriorArt('zebra', twoCommits).patterns
    expect([retrospective?.kind, commit?.kind]).toEqual(['retrospective', 'commit'])
    expect(retrospective?.relevance).toBe(commit?.relevance)
    expect(retrospective?.detail).toBe('')
  })

  it("takes the current project's own work as of its scope, known or not", () => {
    const unprofiled: PriorArtRecords = { ...records, projects: [] }
    const scopes = (options: { project?: string; scope?: string }): string[][] => searchPriorArt('payment', unprofiled, options).patterns.map((hit) => [hit.project, hit.scope])
    expect(scopes({ project: '/w/shop' })).toEqual([['/w/shop', 'same'], ['/w/api', 'other']])
    expect(scopes({ project: '/w/api', scope: 'unknown' })).toEqual([['/w/api', 'same'], ['/w/shop', 'other']])
    expect(scopes({}).sort()).toEqual([['/w/api', 'other'], ['/w/shop', 'other']])
  })

  it('reads words with their combining marks, in one normal form, the accents of Latin letters left out', () => {
    expect(terms('हिन्दी अनुवाद जोड़ें')).toEqual(['हिन्दी', 'अनुवाद', 'जोड़ें'.normalize('NFC')])
    expect(terms('Re\u0301sume\u0301 résumé RÉSUMÉ resume')).toEqual(['resume', 'resume', 'resume', 'resume'])
    expect(terms('ｆｕｌｌｗｉｄｔｈ ﬁle x²')).toEqual(['fullwidth', 'file', 'x2'])
    // Accents are left out of Latin letters only: other scripts' marks make other letters.
    expect(terms('йогурт İstanbul naïve')).toEqual(['йогурт', 'istanbul', 'naive'])
    expect(terms('🛒 !!! \u0301 a')).toEqual([])
    const hindi: PriorArtRecords = { ...records, activities: [{ ...base, id: 'h1', project: '/w/shop', at: '2026-01-04T00:00:00.000Z', task: 'हिन्दी अनुवाद जोड़ें', actions: '', outcome: 'ok', decisions: '' }] }
    expect(searchPriorArt('हिन्दी', hindi).patterns.map((hit) => hit.title)).toEqual(['हिन्दी अनुवाद जोड़ें'])
    expect(searchPriorArt('अनार', hindi).patterns).toEqual([])
  })

  it('reads Chinese, Japanese and Korean text as overlapping pairs of characters, so a query of two or more of them finds it', () => {
    expect(terms('修复了数据库连接问题')).toEqual(['修复', '复了', '了数', '数据', '据库', '库连', '连接', '接问', '问题'])
    expect(terms('データベース接続を修正')).toEqual(['デー', 'ータ', 'タベ', 'ベー', 'ース', 'ス接', '接続', '続を', 'を修', '修正'])
    expect(terms('데이터베이스를 연결')).toEqual(['데이', '이터', '터베', '베이', '이스', '스를', '연결'])
    // Only the run of such letters is cut: the rest of a word stays whole; a lone character is left out, as one-character words are.
    expect(terms('api接口 Stripe 支払い 库')).toEqual(['api', '接口', 'stripe', '支払', '払い'])
    // A character past U+FFFF is one character.
    expect(terms('𠀀𠀁𠀂')).toEqual(['𠀀𠀁', '𠀁𠀂'])
    const chinese: PriorArtRecords = { ...records, activities: [{ ...base, id: 'z1', project: '/w/shop', at: '2026-01-04T00:00:00.000Z', task: '修复了数据库连接问题', actions: '重试', outcome: 'ok', decisions: '' }] }
    expect(searchPriorArt('数据库连接', chinese).patterns.map((hit) => hit.title)).toEqual(['修复了数据库连接问题'])
    expect(searchPriorArt('数据库', chinese).patterns.map((hit) => hit.title)).toEqual(['修复了数据库连接问题'])
    expect(searchPriorArt('网络', chinese).patterns).toEqual([])
  })

  it('ignores stopwords and finds nothing for unrelated words', () => {
    expect(terms('The payments were failing')).toEqual(['payment', 'fail'])
    expect(terms('retry retries retried')).toEqual(['retry', 'retry', 'retry'])
    expect(searchPriorArt('kubernetes helm chart', records)).toEqual({ query: 'kubernetes helm chart', patterns: [], mistakes: [] })
    expect(searchPriorArt('the and of', records).patterns).toEqual([])
  })
})
