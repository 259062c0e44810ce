export type { AgentState, GradeTally } from './agent-state.js'
export { communicationCap, initialState, isHalted, roundScore } from './agent-state.js'
export { addTokens, applyFact, applyFacts } from './apply-fact.js'
export type { SetupCombination, SetupImportPlan } from './combine-setups.js'
export { combineSetup, planSetupImport } from './combine-setups.js'
export { describeValue } from './describe-value.js'
export type { CoreErrorCode } from './errors.js'
export { TrackerError, isTrackerError } from './errors.js'
export { createFactIdGenerator } from './fact-ids.js'
export type {
  ActivityFact,
  BugFact,
  CommandFact,
  CommitFact,
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
} from './facts.js'
export { FACT_KINDS, NO_TOKENS } from './facts.js'
export type { Grade, GradeLabel } from './grade.js'
export { GRADES, GRADE_LABELS, gradeLabel, isGrade, parseGrade } from './grade.js'
export type { FactPlan, PlannedRecord, RecordReader } from './plan-facts.js'
export { planFacts, projectName, withProfile } from './plan-facts.js'
export type { DeletedRecord, ReattributedCollection, ReattributionInput, ReattributionPlan } from './plan-reattribution.js'
export { REATTRIBUTED_COLLECTIONS, planReattribution } from './plan-reattribution.js'
export type { ProjectProfile } from './project-profile.js'
export { UNKNOWN } from './project-profile.js'
export type { ProjectFiles } from './projects/classify-project.js'
export { PROFILE_FILES, classifyProject, normaliseName, profileFingerprint } from './projects/classify-project.js'
export type { PriorArtHit, PriorArtRecords, PriorArtResult } from './projects/prior-art.js'
export { searchPriorArt } from './projects/prior-art.js'
export { SIMILARITY_THRESHOLD, SIMILARITY_WEIGHTS, projectSimilarity } from './projects/project-similarity.js'
export type { Recommendation, RecommendOptions, RecommendRecords, SetupRecommendation } from './projects/recommend.js'
export { recommendSetups } from './projects/recommend.js'
export type { CommitRef } from './commit-ref.js'
export { selectCommitRefs, toCommitRef } from './commit-ref.js'
export { matchesQuery, normaliseQuery, orderAndLimit } from './record-query.js'
export type {
  ActivityRecord,
  BugRecord,
  CollectionName,
  CollectionRecords,
  CommitRecord,
  GradeEventRecord,
  ProjectRecord,
  RecordKey,
  RetrospectiveRecord,
  SetupRecord,
  UsageRecord,
} from './records.js'
export { COLLECTIONS, RECORD_VERSION, compareKeys, recordKey, recordSlot, recordTime } from './records.js'
export type { HistoryEntry } from './reports/history.js'
export { buildHistory } from './reports/history.js'
export type { LeaderboardRow } from './reports/leaderboard.js'
export { buildLeaderboard } from './reports/leaderboard.js'
export type { SetupFilter } from './reports/setup-filter.js'
export { matchesSetupFilter } from './reports/setup-filter.js'
export type { ReportRecords, SetupReportRow } from './reports/setup-report.js'
export { buildSetupReport } from './reports/setup-report.js'
export type { SetupTrend, TrendPoint } from './reports/trends.js'
export { buildTrends, weekOf } from './reports/trends.js'
export type { ScoringRules, ScoringRulesInput } from './rules.js'
export { DEFAULT_RULES, resolveRules } from './rules.js'
export type { SetupIdentity, SetupParts } from './setup-id.js'
export { SETUP_IDENTITIES, formatSetupId, parseSetupId } from './setup-id.js'
export type { AgentStatus } from './status.js'
export { formatScore, formatStatusLine, toAgentStatus } from './status.js'
export type {
  AppliedBatch,
  ApplyResult,
  DeferredBatch,
  ImportResult,
  MigrationRecord,
  Reattribution,
  ReattributeResult,
  RecordBatch,
  RecordQuery,
  SetupImportResult,
  SkippedFact,
  SyncTrackerStore,
  TrackerStore,
} from './store.js'
export { SCHEMA_VERSION, supportsSyncApply } from './store.js'
export type { CommunicationTier, TrustTier } from './tiers.js'
export { communicationTier, trustTier } from './tiers.js'
export { dayOf, toIsoTimestamp } from './time.js'
export { toTimeWindow } from './time-range.js'
export type {
  FactContext,
  GradeOutcome,
  SelfGradeInput,
  TrackingService,
  TrackingServiceOptions,
  UserGradeInput,
} from './tracking-service.js'
export { createTrackingService } from './tracking-service.js'
export type { FactDefaults } from './validate-fact.js'
export { validateFact } from './validate-fact.js'
