export type { AgentState, GradeTally } from './scoring/agent-state.js'
export { communicationCap, initialState, isHalted, roundScore } from './scoring/agent-state.js'
export { addTokens, applyFact, applyFacts } from './scoring/apply-fact.js'
export { describeValue } from './describe-value.js'
export type { CoreErrorCode } from './errors.js'
export { TrackerError, isTrackerError } from './errors.js'
export { createFactIdGenerator } from './facts/fact-ids.js'
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
} from './facts/facts.js'
export { FACT_KINDS, NO_TOKENS } from './facts/facts.js'
export type { Grade, GradeLabel } from './facts/grade.js'
export { GRADES, GRADE_LABELS, gradeLabel, isGrade, parseGrade } from './facts/grade.js'
export type { FactPlan, PlannedRecord, RecordReader } from './planning/plan-facts.js'
export { planFacts, projectName, withProfile } from './planning/plan-facts.js'
export type { ProjectProfile } from './projects/project-profile.js'
export { UNKNOWN } from './projects/project-profile.js'
export type { ProjectFiles } from './projects/classify-project.js'
export { PROFILE_FILES, classifyProject, normaliseName, profileFingerprint } from './projects/classify-project.js'
export type { PriorArtHit, PriorArtRecords, PriorArtResult } from './projects/prior-art.js'
export { searchPriorArt } from './projects/prior-art.js'
export { SIMILARITY_THRESHOLD, SIMILARITY_WEIGHTS, projectSimilarity } from './projects/project-similarity.js'
export type { Recommendation, RecommendOptions, RecommendRecords, SetupRecommendation } from './projects/recommend.js'
export { recommendSetups } from './projects/recommend.js'
export type { CommitRef } from './store/commit-ref.js'
export { selectCommitRefs, toCommitRef } from './store/commit-ref.js'
export { matchesQuery, normaliseQuery, orderAndLimit } from './store/record-query.js'
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
} from './store/records.js'
export { COLLECTIONS, RECORD_VERSION, compareKeys, recordKey, recordSlot, recordTime } from './store/records.js'
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
export type { ScoringRules, ScoringRulesInput } from './scoring/rules.js'
export { DEFAULT_RULES, resolveRules } from './scoring/rules.js'
export type { SetupIdentity, SetupParts } from './facts/setup-id.js'
export { SETUP_IDENTITIES, formatSetupId, parseSetupId } from './facts/setup-id.js'
export type { AgentStatus } from './scoring/status.js'
export { formatScore, formatStatusLine, toAgentStatus } from './scoring/status.js'
export type {
  AppliedBatch,
  ApplyResult,
  DeferredBatch,
  ImportResult,
  MigrationRecord,
  RecordBatch,
  RecordQuery,
  SkippedFact,
  SyncTrackerStore,
  TrackerStore,
} from './store/tracker-store.js'
export { SCHEMA_VERSION, supportsSyncApply } from './store/tracker-store.js'
export type { CommunicationTier, TrustTier } from './scoring/tiers.js'
export { communicationTier, trustTier } from './scoring/tiers.js'
export { dayOf, toIsoTimestamp } from './time/iso-timestamp.js'
export { toTimeWindow } from './time/time-window.js'
export type {
  FactContext,
  GradeOutcome,
  SelfGradeInput,
  TrackingService,
  TrackingServiceOptions,
  UserGradeInput,
} from './tracking/tracking-service.js'
export { createTrackingService } from './tracking/tracking-service.js'
export type { FactDefaults } from './facts/validate-fact.js'
export { validateFact } from './facts/validate-fact.js'
