import { describeStoreContract } from '@agent-tracker/core/testing/contract'
import { openLmdbStore } from '@agent-tracker/lmdb-store'

describeStoreContract('lmdb under bun', ({ rules }) => Promise.resolve(openLmdbStore({ databasePath: ':memory:', ...(rules === undefined ? {} : { rules }) })))
