import type { Fact } from '../src/facts/facts.js'
import type { Grade } from '../src/facts/grade.js'
import type { ProjectProfile } from '../src/projects/project-profile.js'
import type { SyncTrackerStore } from '../src/store/tracker-store.js'
import { createFactScript } from '../src/testing/fact-script.js'
import { createMemoryStore } from '../src/testing/memory-store.js'

export const SONNET = 'build@anthropic/claude-sonnet-4-5'
export const GPT = 'plan@openai/gpt-5'
export const SHOP = '/work/shop'
export const API = '/work/api'

/** A profile with the given language, framework and scope. */
export function profile(language: string, framework: string, scope: string, dependencies: readonly string[] = []): ProjectProfile {
  return { language, framework, scope, dependencies, sources: ['package.json'], fingerprint: `${language}-${framework}`, profiledAt: '2026-03-01T00:00:00.000Z' }
}

export const WEB_APP = profile('typescript', 'react', 'web-app', ['react', 'zod'])
export const PYTHON_API = profile('python', 'fastapi', 'api', ['fastapi', 'pydantic'])

/**
 * A memory store with a small history: Sonnet's six commits in a profiled web shop (five graded
 * by the user, a journal entry on payment webhooks, a retrospective), GPT's three commits in an
 * API with no stored profile (graded poorly, one bug on webhooks).
 */
export async function storeWithHistory(): Promise<SyncTrackerStore> {
  const store = createMemoryStore()
  const shop = createFactScript({ setup: SONNET, project: SHOP, session: 'ses_a', start: '2026-03-02T09:00:00.000Z' })
  const api = createFactScript({ setup: GPT, project: API, session: 'ses_b', start: '2026-03-09T09:00:00.000Z' })
  const facts: Fact[] = []
  for (let i = 1; i <= 6; i++) {
    facts.push(shop.toolCall('bash', i !== 3), shop.usage({ input: 2000, output: 500 }, 0.05), shop.commit(`5a${String(i)}b0c0ffee`, `shop change ${String(i)}`))
    if (i <= 5) facts.push(shop.grade(`5a${String(i)}b0c0ffee`, { by: 'user', agentGrade: 2, userGrade: i % 2 === 0 ? 5 : 2 }))
  }
  facts.push(shop.activity('Stripe payment webhooks', 'shipped'))
  facts.push(shop.retrospective('5a1b0c0ffee', { task: 'Cart totals', agentNote: 'rounded in cents' }))
  const grades: Grade[] = [1, -1, 1]
  for (const [index, grade] of grades.entries()) {
    const hash = `9e${String(index + 1)}d00dbeef`
    facts.push(api.commit(hash, `api change ${String(index + 1)}`), api.grade(hash, { by: 'user', userGrade: grade }))
  }
  facts.push(api.bug('user', 'payment webhook retried twice', '9e2d00dbeef'))
  await store.applyFacts(facts)
  await store.saveProjectProfile(SHOP, WEB_APP)
  return store
}
