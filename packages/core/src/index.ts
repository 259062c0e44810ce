// The domain API hosts and apps use. Store implementers' helpers live in `@agent-tracker/core/store`,
// test helpers in `@agent-tracker/core/testing`.

export type { CoreErrorCode, TrackerErrorDetails } from './errors.js'
export { TrackerError, isTrackerError } from './errors.js'
export { describeValue } from './describe-value.js'
export { closestMatches, editDistance, looseForm } from './text/closeness.js'
export { compareText } from './text/compare-text.js'
export { plural } from './text/plural.js'
export { dollars } from './text/dollars.js'

export type {
  ActivityFact,
  BugFact,
  CommandFact,
  CommitFact,
  CostSource,
  EvidenceDetails,
  EvidenceFact,
  EvidenceSignal,
  EvidenceVerdict,
  Fact,
  FactBase,
  FactKind,
  GradeFact,
  Party,
  PushFact,
  ReinstateFact,
  RetrospectiveFact,
  TokenUsage,
  ToolCallFact,
  UsageFact,
  VerdictFact,
} from './facts/facts.js'
export { COST_SOURCES, EVIDENCE_SIGNALS, FACT_KINDS, NO_TOKENS } from './facts/facts.js'
export { countedCost } from './facts/counted-cost.js'
export type { FactDefaults } from './facts/validate-fact.js'
export { validateFact } from './facts/validate-fact.js'
export { COMMON_FACT_FIELDS, FACT_FIELDS, TOKEN_FIELDS, checkFactFields } from './facts/fact-fields.js'
export { createFactIdGenerator, hostFactId } from './facts/fact-ids.js'
export { LIMITS } from './validation/limits.js'
export { validateRecord } from './validation/validate-record.js'
export type { ExpandedCommits } from './validation/grade-commits.js'
export { expandCommitPrefixes, factsOnAnotherSetupsCommit, gradeWithoutCommitReason, gradesWithoutCommit } from './validation/grade-commits.js'
export { COMMIT_HASH_ACCEPTED, COMMIT_HASH_DIGITS, checkHostFact, isAbsolutePath, isCommitHash, normalSetupId } from './validation/host-facts.js'
export type { RefusedItem, ScreenedFacts } from './validation/screen-facts.js'
export { screenFacts } from './validation/screen-facts.js'
export type { GradeChannel, GradeProvenance, ShownGradeChannel } from './facts/grade-channel.js'
export { GRADE_CHANNELS, UNRECORDED_CHANNEL, USER_CHANNELS, isCountedGrade, isGradeChannel, isUserChannel, shownChannel } from './facts/grade-channel.js'
export type { Grade, GradeLabel } from './facts/grade.js'
export { GRADES, GRADE_LABELS, gradeLabel, isGrade, parseGrade } from './facts/grade.js'
export type { SetupIdentity, SetupParts } from './facts/setup-id.js'
export { SETUP_IDENTITIES, formatSetupId, parseSetupId } from './facts/setup-id.js'

export type { AgentState, GradeTally } from './scoring/agent-state.js'
export { communicationCap, initialState, isHalted } from './scoring/agent-state.js'
export { applyFact, applyFacts } from './scoring/apply-fact.js'
export type { ScoringRules, ScoringRulesInput } from './scoring/rules.js'
export { DEFAULT_RULES, resolveRules } from './scoring/rules.js'
export type { CommunicationTier, TrustTier } from './scoring/tiers.js'
export { communicationTier, trustTier } from './scoring/tiers.js'
export type { AgentStatus } from './scoring/status.js'
export { formatScore, formatStatusLine, toAgentStatus } from './scoring/status.js'

export type {
  ActivityRecord,
  BugRecord,
  CollectionName,
  CollectionRecords,
  CommitRecord,
  EvidenceRecord,
  EvidenceStatus,
  GradeEventRecord,
  GradeRollup,
  GradeSums,
  ProjectRecord,
  RecordKey,
  RetrospectiveRecord,
  SetupRecord,
  UsageCounters,
  UsageRecord,
} from './store/records.js'
export { COLLECTIONS } from './store/records.js'

export type { FixPattern } from './evidence/fix-patterns.js'
export { DEFAULT_FIX_PATTERNS, matchFixPattern, parseFixPatterns, revertedCommit } from './evidence/fix-patterns.js'
export { confirmedBugFactId, evidenceFactId, verdictFactId } from './evidence/evidence-ids.js'
export type { EvidenceSummary, SurvivalFigure } from './evidence/evidence-summary.js'
export { countsAgainst, evidenceHandle, summariseEvidence } from './evidence/evidence-summary.js'
export type { FixDescriptionOptions } from './evidence/fix-description.js'
export { fixDescription } from './evidence/fix-description.js'
export type { EvidenceQuery } from './read-services/evidence.js'
export { EVIDENCE_BIAS_SD, EVIDENCE_WEIGHT } from './evidence/evidence-grades.js'
export type { ConfirmationBugs } from './read-services/evidence.js'
export { bugsOfConfirmations, evidenceSummaries, findEvidence, listEvidence, verdictFacts } from './read-services/evidence.js'
export type { CommitRef } from './store/commit-ref.js'
export type {
  AppliedBatch,
  ApplyResult,
  DeferredBatch,
  FactLogQuery,
  ImportResult,
  LoggedFact,
  MigrationRecord,
  PagedRead,
  Reattribution,
  ReattributeResult,
  RecordBatch,
  RecordQuery,
  SetupImportResult,
  SkippedFact,
  SyncTrackerStore,
  TrackerStore,
} from './store/tracker-store.js'
export { REPEAT, SCHEMA_VERSION } from './store/tracker-store.js'

export type {
  FactContext,
  GradeOutcome,
  SelfGradeInput,
  TrackingService,
  TrackingServiceOptions,
  UserGradeInput,
} from './tracking/tracking-service.js'
export { createTrackingService } from './tracking/tracking-service.js'
export { refreshProjectProfiles } from './tracking/refresh-profiles.js'

// What every agent host decides the same way (pure; the Node host kit does the I/O around it).
export type { AgentSession, AncestorProcess, CliRun } from './host/agent-session.js'
export { agentSessionOf, cliGradeChannel } from './host/agent-session.js'
export type { FolderStep, GitEvent } from './host/commit-detection.js'
export { folderStepsOf, gitCommitsOf, gitEventsOf, reportedCommitsOf, runsGitCommit } from './host/commit-detection.js'
export type { CostEstimator, HostEventContext, HostName, HostToolCall, HostUsage, ResponseCost } from './host/host-facts.js'
export {
  commitFactId,
  hostCommitFact,
  hostPushFact,
  hostToolCallFact,
  hostUsageFact,
  pushFactId,
  responseCost,
  toolCallFactId,
  usageFactId,
} from './host/host-facts.js'
export type { OpencodeToolOutcome } from './host/opencode-records.js'
export {
  OPENCODE_TITLE_AGENT,
  TRACKER_TOOLS,
  isOpencodeCommandTurnPrompt,
  isTrackerTool,
  opencodeCallSucceeded,
  opencodeCommandTurnPrompt,
  opencodeExitCode,
  opencodeMessageSetup,
  opencodeMessageUsage,
  opencodeToolOutcome,
} from './host/opencode-records.js'
export type { ClaudeCodeCallOutcome } from './host/claude-code-records.js'
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
} from './host/claude-code-records.js'
export { CODEX_AGENT, codexCallOutput, codexSetupParts, codexShellCall, codexTokens, tokensSince } from './host/codex-records.js'
export type { ProtectedFiles } from './host/protection/protected-files.js'
export { DEFAULT_PROTECTED_FILES, KEY_FILE_PATTERNS, isProtectedFile, protectedFiles } from './host/protection/protected-files.js'
export type { ProtectedFileLookup, SecretAccess, SecretGuardContext, StagedFile } from './host/protection/secret-access.js'
export { secretAccessIn } from './host/protection/secret-access.js'
export type { FileFilter } from './host/protection/tree-reads.js'
export { rgGlob } from './host/protection/tree-reads.js'
export type { UserChannelUse } from './host/user-channel-guard.js'
export { USER_CHANNEL_COMMANDS, userChannelIn } from './host/user-channel-guard.js'
export { parseGradeArguments, unquoteArguments } from './host/grade-arguments.js'
export type { HaltMode, ToolCall, ToolCallPolicy, ToolCallVerdict } from './host/tool-call-guard.js'
export { guardHaltedSetup, guardSecretFiles, guardToolCall, guardUserChannels } from './host/tool-call-guard.js'
export type { UserCommand } from './host/user-commands.js'
export { USER_COMMANDS, isUserCommand } from './host/user-commands.js'

export type { FolderProfiler, ProjectProfile } from './projects/project-profile.js'
export type { ProjectFiles } from './projects/classify-project.js'
export { PROFILE_FILES, classifyProject } from './projects/classify-project.js'
export type { PriorArtHit, PriorArtResult } from './projects/prior-art.js'
export type { SearchEntry, SearchedCollection } from './projects/search-digest.js'
export type { CredibleInterval, ExplorationSuggestion, Recommendation, RecommendOptions, SetupRecommendation } from './projects/recommend.js'
export type { HistoryEntry } from './reports/history.js'
export type { LeaderboardRow, WindowCounts } from './reports/leaderboard.js'
export type { SetupFilter } from './reports/setup-filter.js'
export type { CostQualityPoint } from './reports/pareto-front.js'
export { paretoFront } from './reports/pareto-front.js'
export type { ReportGroup, ReportGrouping } from './reports/report-groups.js'
export { REPORT_GROUPINGS } from './reports/report-groups.js'
export type { ChannelGrades, SetupReportRow } from './reports/setup-report.js'
export { nonUserChannels } from './reports/setup-report.js'
export type { SetupTrend, TrendPoint } from './reports/trends.js'

export type { ListQuery, ProfileOptions, ReadOptions, TimeWindow } from './read-services/read-query.js'
export { activity } from './read-services/activity.js'
export type { ExportOptions, ExportedRecord, ExportedRecords } from './read-services/export-records.js'
export { EXPORT_ORDER, exportFilters, exportRecordStream, exportRecords } from './read-services/export-records.js'
export type { HistoryQuery } from './read-services/history.js'
export { history } from './read-services/history.js'
export type { LeaderboardQuery } from './read-services/leaderboard.js'
export { leaderboard } from './read-services/leaderboard.js'
export type { ProjectReference, SetupSuggestions } from './read-services/lookups.js'
export { latestProjectOf, latestSetupIn, resolveProject, suggestSetups } from './read-services/lookups.js'
export type { PriorArtAnswer, PriorArtQuery } from './read-services/prior-art.js'
export { priorArt } from './read-services/prior-art.js'
export { hasSearchTerms } from './projects/search-terms.js'
export type { ProjectSummary } from './read-services/project-list.js'
export { projectList } from './read-services/project-list.js'
export { withSharedFinds } from './read-services/shared-finds.js'
export type { BacktestAnswer, BacktestQuery } from './read-services/backtest.js'
export { backtest } from './read-services/backtest.js'
export type { BacktestResult } from './backtest/backtest-recommendations.js'
export type { BacktestFigures } from './backtest/backtest-figures.js'
export { backtestFigures } from './backtest/backtest-figures.js'
export type { JudgedDecision, JudgedInterval } from './backtest/judge-decision.js'
export type { KnownTruth, TrueOutcome, TruthSegment } from './backtest/known-truth.js'
export type { BacktestSummary, CoverageCount, DriftDetection, SampleSizeCoverage, SeparationCount } from './backtest/summarise-backtest.js'
export { combineBacktests } from './backtest/summarise-backtest.js'
export type { HaltedLead, ProfileRecommendation, RecommendAnswer, RecommendQuery, RecommendReading, RecommendScope } from './read-services/recommend.js'
export { answerRecommendation, haltedLead, readRecommendation, recommend, recommendByProfile } from './read-services/recommend.js'
export { retrospectives } from './read-services/retrospectives.js'
export { setupStatuses } from './read-services/setup-statuses.js'
export type { GroupedReport, GroupedReportQuery, ReportQuery, SetupReport, TrendsQuery } from './read-services/setup-report.js'
export { groupedReport, setupReport, setupTrends } from './read-services/setup-report.js'
export type { CutDay } from './read-services/window-rollups.js'

export type { RecordCheck, RollupCheck, RollupDrift } from './rollups/check-rollups.js'
export type { ScoreCheck, ScoreDrift } from './rollups/check-scores.js'
export { checkRecords, checkRollups } from './rollups/check-rollups.js'
export type { CommitNamingCollection, DanglingCommitReference, DanglingCommits, LikelyCommit } from './validation/dangling-commits.js'
export type { SetupTotalsRecord } from './rollups/setup-totals.js'
export { addRollupToTotals, emptySetupTotals, totalsOfRollups } from './rollups/setup-totals.js'
export type { ProjectDayRecord, ProjectSpan } from './rollups/project-days.js'
export { ProjectSpans, countsWork, projectDayMove, projectDaySlot, projectDaysOfRollups } from './rollups/project-days.js'
export type { OutcomeDay } from './rollups/outcome-days.js'
export { OUTCOME_FIELDS, outcomeDayFrom, outcomeDayMove, outcomeDayOf, outcomeDaySlot, outcomeDaysOfRollups, outcomeNumbers } from './rollups/outcome-days.js'

export { toFactTimestamp, toIsoTimestamp } from './time/iso-timestamp.js'
export { toTimeWindow } from './time/time-window.js'
export type { CalendarPeriod, MachineTimeZone } from './time/calendar.js'
export { TIME_ZONE_FORMS, calendarDayIn, checkTimeZone, machineTimeZone, periodOfDay, readMachineTimeZone, utcOffsetProblem } from './time/calendar.js'
