/**
 * The parts of the kit a host's hooks need that load neither LMDB nor the store: git commit
 * detection, user commands, status cards, folder profiles, the database path rules, the team URL's
 * password check and the kit's errors. A host
 * that must start fast (the OpenCode plugin, a hook process per tool call) imports this entry
 * eagerly and `@agent-tracker/node-host` (which opens the tracker) lazily.
 */
export type { DatabasePathOrigin, DatabasePathSources } from './database/database-path.js'
export { DATABASE_PATH_VARIABLE, defaultDatabasePath, locateDatabase, resolveDatabasePath } from './database/database-path.js'
export type { NodeHostErrorCode, NodeHostErrorDetails } from './errors.js'
export { NodeHostError, isNodeHostError } from './errors.js'
export { CommitNotes } from './git/commit-notes.js'
export type { CommitNote } from './git/commit-watch.js'
export { CommitWatch, commandFolders, commitsSinceNote, noteCommitFolders } from './git/commit-watch.js'
export type { FinishedCallCommits, FinishedShellCall } from './git/finished-call.js'
export { commitsOfFinishedCall } from './git/finished-call.js'
export type { MadeCommit } from './git/read-commits.js'
export { GIT_TIMEOUT_MS, commitsBetween, describeCommit, headCommit } from './git/read-commits.js'
export { profileFolder } from './projects/project-profile.js'
export type { StatusExportMode } from './tracker/status-export.js'
export type { UserCommandInput } from './user-commands/run-user-command.js'
export { runUserCommand } from './user-commands/run-user-command.js'
export { statusCardText } from './user-commands/status-card.js'
export { urlHoldsPassword } from './team/team-url.js'
export { ancestorProcesses, detectAgentSession } from './trust/agent-session.js'
export type { ProtectedFileIndexOptions } from './trust/protected-file-index.js'
export { PROTECTED_FILES_VARIABLE, ProtectedFileIndex, resolveProtectedFiles } from './trust/protected-file-index.js'
export type { ProjectRootOptions } from './projects/project-root.js'
export { projectRoot } from './projects/project-root.js'
