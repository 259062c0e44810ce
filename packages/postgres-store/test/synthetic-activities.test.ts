import { expect, inject, it } from 'vitest'
import { openPostgresStore } from '../src/index.js'
import { insertSyntheticActivities } from '../src/testing/index.js'

it('writes synthetic journal entries the store reads back as well-formed records, in time order', async () => {
  const url = inject('postgresUrl')
  const store = await openPostgresStore({ url, schema: 'synthetic' })
  await insertSyntheticActivities({ url, schema: 'synthetic', member: '', count: 50, setups: ['a@p/m', 'b@p/m'], projects: ['/x', '/y'], idPrefix: 'act', start: '2026-01-01T00:00:00.000Z' })
  const newest = await store.find('activities', { setup: 'b@p/m', limit: 2 })
  expect(newest).toEqual([
    { v: 1, id: 'act49', setup: 'b@p/m', project: '/y', at: '2026-01-01T00:49:00.000Z', task: 'oauth callback 49', actions: 'edited files and ran the tests', outcome: 'done', decisions: 'kept the change small' },
    expect.objectContaining({ id: 'act47', at: '2026-01-01T00:47:00.000Z' }),
  ])
  expect(await store.find('activities', { since: '2026-01-01T00:40:00Z', order: 'any' })).toHaveLength(10)
  await store.close()
})
