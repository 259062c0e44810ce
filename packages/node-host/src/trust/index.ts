/**
 * The kit's trust parts, loading neither LMDB nor the store: which protected files a project holds
 * (for the tool-call guard) and whether a process runs inside an agent session. A process that runs
 * once per hook event imports this entry, not the whole kit.
 */
export { ancestorProcesses, detectAgentSession } from './agent-session.js'
export type { ProtectedFileIndexOptions } from './protected-file-index.js'
export { PROTECTED_FILES_VARIABLE, ProtectedFileIndex, resolveProtectedFiles } from './protected-file-index.js'
