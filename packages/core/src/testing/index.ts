// Test helpers with no test runner behind them: an in-memory store, a script of well-formed
// facts, and records no rule can produce. The store contract suite, which needs vitest, is `@agent-tracker/core/testing/contract`.

export type { FactScript, FactScriptOptions } from './fact-script.js'
export { createFactScript } from './fact-script.js'
export type { MemoryStoreOptions } from './memory-store.js'
export { createMemoryStore } from './memory-store.js'
export { HONEST, IMPOSSIBLE, writeHostileRecords } from './hostile-records.js'
export { searchDigestOfWords1, searchDigestOfWords2 } from './earlier-search-words.js'
