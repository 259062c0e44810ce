// What Claude Code's live hooks share with the import, without the rest of it (no SQLite, no price
// catalogue until asked for): a hook process loads only this.
export type { TranscriptOptions } from './transcript-events.js'
export type { FilePosition } from '../files/jsonl-lines.js'
export { UNNAMED_SUBAGENT, claudeCodeHistory, transcriptEvents } from './transcript-events.js'
export { loadPriceCatalogue } from '../prices/price-catalogue.js'
export type { HistoryEvent, HistoryProblem, HistoryProgress, HistorySource, HistoryToolCall, HistoryUsage, ReadOptions, ShellRun } from '../history-events.js'
export { shellFacts } from '../pipeline/shell-facts.js'
