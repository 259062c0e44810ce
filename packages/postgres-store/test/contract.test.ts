import { describeStoreContract } from '@agent-tracker/core/testing/contract'
import { inject } from 'vitest'
import type { WriteConcurrency } from '../src/index.js'
import { openPostgresStore } from '../src/index.js'

let next = 0

// Every check gets an empty store: a schema of its own in the run's database. Both ways of keeping
// concurrent writers apart keep the whole contract.
for (const concurrency of ['lock', 'serializable'] as const satisfies readonly WriteConcurrency[]) {
  describeStoreContract(`postgresql, ${concurrency} writes`, ({ rules }) =>
    openPostgresStore({ url: inject('postgresUrl'), schema: `contract_${String(process.pid)}_${String(next++)}`, concurrency, ...(rules === undefined ? {} : { rules }) }))
}
