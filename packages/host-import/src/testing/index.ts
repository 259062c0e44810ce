// Builders of host histories shaped as the real hosts write them, for tests and benchmarks of
// imports (the end-to-end tests read what the real binaries write).
export { Transcript } from './claude-code-transcript.js'
export { Rollout, USAGE } from './codex-rollout.js'
export type { FixtureSession, StoredRecord } from './opencode-history.js'
export { assistant, bashPart, opencodeDatabase, opencodeStorage, toolPart } from './opencode-history.js'
