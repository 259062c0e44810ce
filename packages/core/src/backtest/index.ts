// Histories with known truth, for judging `recommend`: scenarios, a seeded generator, a player
// that records a generated history through any tracking service, and the pure replay. The
// `backtest` read service and the summary types come from `@agent-tracker/core`.

export type { BacktestOptions } from './backtest-recommendations.js'
export { MIN_REALISED_GRADES, backtestRecommendations } from './backtest-recommendations.js'
export { median } from './backtest-figures.js'
export type { GeneratedHistory, GeneratedSession, WorkStep } from './generate-history.js'
export { generateHistory } from './generate-history.js'
export { MEAN_GRADE_RANGE, drawGrade, gradeChances, meanGradeOf, qualityForMeanGrade } from './grade-distribution.js'
export type { HistoryScenario, OutcomeChange, ScenarioProject, ScenarioSetup } from './history-scenario.js'
export type { JudgedOutcome, Separation } from './judge-decision.js'
export { CALIBRATION_LEVELS, judgeDecision } from './judge-decision.js'
export { KNOWN_TRUTH_SCENARIOS } from './known-truth-scenarios.js'
export { rekeyTruth, truthAt } from './known-truth.js'
export type { PlayedSessions, PlayHooks } from './play-generated-history.js'
export { playGeneratedHistory } from './play-generated-history.js'
export type { RandomSource } from '../stats/seeded-random.js'
export { seededRandom } from '../stats/seeded-random.js'
