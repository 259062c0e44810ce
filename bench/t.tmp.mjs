import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { setupReport, recommend, priorArt } from '@agent-tracker/core'
const store = openLmdbStore({ databasePath: '/tmp/scale/1m.lmdb', readOnly: true })
const t = async (label, f) => { const s = performance.now(); const r = await f(); console.log(label, (performance.now() - s).toFixed(1), 'ms'); return r }
for (let i = 0; i < 3; i++) {
  await t('find usage', () => store.find('usage', { order: 'any' }))
  await t('find setups', () => store.find('setups'))
  await t('setupReport', () => setupReport(store))
}
await t('prior art depth 10k', () => priorArt(store, { task: 'stripe webhook retries' }))
await t('prior art depth 2k', () => priorArt(store, { task: 'stripe webhook retries', depth: 2000 }))
await t('find activities 10k', () => store.find('activities', { limit: 10000 }))
await t('find commits 10k', () => store.find('commits', { limit: 10000 }))
await t('find retros 10k', () => store.find('retrospectives', { limit: 10000 }))
console.log(process.resourceUsage().maxRSS / 1024)
