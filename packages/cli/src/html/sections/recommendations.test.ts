import type { ProfileRecommendation, SetupRecommendation } from '@agent-tracker/core'
import { describe, expect, it } from 'vitest'
import { recommendationsSection } from './recommendations.js'

/** A ranked setup as the renderer reads it. */
function setup(name: string, rank: number | null): SetupRecommendation {
  return { setup: name, rank, enoughData: rank !== null, projects: 1, commits: 10, samples: 6, evidence: null, effectiveSamples: 6, meanUserGrade: 2, expectedGrade: 2, interval: [1, 3], gradeSpread: 1, bugsPerCommit: 0, costPerCommit: null, costEstimated: false, score: 2, chanceBest: rank === 1 ? 0.99 : 0.01, reason: 'from 6 graded commits' }
}

function entry(setups: readonly SetupRecommendation[]): ProfileRecommendation {
  return {
    kind: 'typescript/react/web-app',
    projects: ['/w/shop'],
    recommendation: { state: 'ranked', profile: { language: 'typescript', framework: 'react', scope: 'web-app', dependencies: [] }, similarProjects: [], setups, contenders: [setups[0]?.setup ?? ''], explore: null, message: '' },
  } as unknown as ProfileRecommendation
}

describe('recommendationsSection', () => {
  const cards = [entry([setup('build@a/one', 1), setup('build@b/two', 2), setup('build@c/three', null)])]

  it('says when the setup a card puts first is halted, how to reinstate it, and the best ranked one that is not', () => {
    const html = recommendationsSection(cards, () => '#000', false, new Set(['build@a/one']))
    expect(html).toContain('<b>Use build@a/one</b>')
    expect(html).toContain('<b>build@a/one is halted</b>: its tool calls are blocked until you reinstate it (<code>agent-tracker reinstate build@a/one</code>); the best ranked setup that is not halted is build@b/two.')
    expect(recommendationsSection(cards, () => '#000', false, new Set(['build@a/one', 'build@b/two']))).toContain('no other ranked setup can take its place')
  })

  it('says nothing of halts when the setup put first is not halted', () => {
    expect(recommendationsSection(cards, () => '#000', false, new Set(['build@b/two']))).not.toContain('halted')
    expect(recommendationsSection(cards, () => '#000')).not.toContain('halted')
  })
})
