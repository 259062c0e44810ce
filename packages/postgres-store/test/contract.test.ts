import { describeStoreContract } from '@agent-tracker/core/testing/contract'
import { inject } from 'vitest'
import { openPostgresStore } from '../src/index.js'

let next = 0

// Every check gets an empty store: a schema of its own in the run's database.
describeStoreContract('postgresql', ({ rules }) =>
  openPostgresStore({ url: inject('postgresUrl'), schema: `contract_${String(process.pid)}_${String(next++)}`, ...(rules === undefined ? {} : { rules }) }))
