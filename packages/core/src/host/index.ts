// What an agent host's hooks decide, without the rest of the domain: for a hook process that must
// start fast (one per event), the same functions `@agent-tracker/core` exports, in a few modules.

export type { AgentSession, AncestorProcess, CliRun } from './agent-session.js'
export { agentSessionOf, cliGradeChannel } from './agent-session.js'
export type { FolderStep, GitCommitMessage, GitEvent } from './commit-detection.js'
export { commitSubject, folderStepsOf, gitCommitsOf, gitEventsOf, reportedCommitsOf, runsGitCommit } from './commit-detection.js'
export type { ProtectedFiles } from './protection/protected-files.js'
export { DEFAULT_PROTECTED_FILES, KEY_FILE_PATTERNS, isProtectedFile, protectedFiles } from './protection/protected-files.js'
export type { ProtectedFileLookup, SecretAccess, SecretGuardContext, StagedFile } from './protection/secret-access.js'
export { secretAccessIn } from './protection/secret-access.js'
export type { UserChannelUse } from './user-channel-guard.js'
export { USER_CHANNEL_COMMANDS, userChannelIn } from './user-channel-guard.js'
export { parseGradeArguments, unquoteArguments } from './grade-arguments.js'
export type { ParsedShell, ShellCommand, ShellRedirect, ShellWord } from './shell/parse-shell.js'
export { parseShell } from './shell/parse-shell.js'
export type { HaltMode, ToolCall, ToolCallPolicy, ToolCallVerdict } from './tool-call-guard.js'
export { guardHaltedSetup, guardSecretFiles, guardToolCall, guardUserChannels } from './tool-call-guard.js'
export type { UserCommand } from './user-commands.js'
export { USER_COMMANDS, isUserCommand } from './user-commands.js'
export type { CostEstimator, HostEventContext, HostName, HostToolCall, HostUsage, ResponseCost } from './host-facts.js'
export { commitFactId, hostCommitFact, hostPushFact, hostToolCallFact, hostUsageFact, pushFactId, responseCost, toolCallFactId, usageFactId } from './host-facts.js'
export type { ClaudeCodeCallOutcome } from './claude-code-records.js'
export {
  CLAUDE_CODE_AGENT,
  CLAUDE_CODE_SYNTHETIC_MODEL,
  claudeCodeCommand,
  claudeCodeFailure,
  claudeCodeResultOutcome,
  claudeCodeResultText,
  claudeCodeSetupParts,
  claudeCodeShellResult,
  claudeCodeTokens,
} from './claude-code-records.js'
export { describeValue } from '../describe-value.js'
export type { Fact, TokenUsage } from '../facts/facts.js'
export type { SetupIdentity, SetupParts } from '../facts/setup-id.js'
export { formatSetupId, parseSetupId } from '../facts/setup-id.js'
export type { AgentStatus } from '../scoring/status.js'
export { toAgentStatus } from '../scoring/status.js'
export { DEFAULT_RULES } from '../scoring/rules.js'
