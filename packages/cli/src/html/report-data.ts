import type { LeaderboardRow, ProfileRecommendation, SetupReportRow, SetupTrend } from '@agent-tracker/core'

/** A project's part of the report: who worked there and how it went. */
export interface ProjectReport {
  readonly path: string
  readonly name: string
  /** `language/framework/scope`, when the project has a profile. */
  readonly kind?: string
  readonly rows: readonly SetupReportRow[]
}

/**
 * A section another feature adds to the report (e.g. a calibration plot of past
 * recommendations): placed after the built-in charts, before the tables.
 */
export interface HtmlSection {
  /** The anchor of the section, e.g. `calibration`. */
  readonly id: string
  readonly title: string
  /** Ready HTML (escaped by the section's author). */
  readonly html: string
}

/** Everything the HTML report shows. */
export interface HtmlReportData {
  readonly generatedAt: string
  readonly database: string
  /** The window as a person reads it (`2026-10-15 – now (Europe/Berlin)`), empty for all time. */
  readonly window: string
  /** The report's other filters as a person reads them (`agent plan · project /work/api`), empty when there are none. */
  readonly filters?: string
  readonly rows: readonly SetupReportRow[]
  /** Projects the reported setups committed to. */
  readonly projectCount: number
  /** Weekly, in {@link trendsTimeZone}: the weeks `report --by week` shows in the same zone. */
  readonly trends: readonly SetupTrend[]
  /** The zone the trends' weeks (from Monday) are counted in: `--timezone`, else the machine's. */
  readonly trendsTimeZone: string
  readonly leaderboard: readonly LeaderboardRow[]
  readonly projects: readonly ProjectReport[]
  /** Channels other than the user's own that brought user grades; the evidence section says what counts. */
  readonly nonUserChannels: readonly string[]
  /** Judged only from the outcomes the report is narrowed to (window, project and setup filters), as the rest of the report is. */
  readonly recommendations: readonly ProfileRecommendation[]
  readonly extraSections?: readonly HtmlSection[]
  /** What the report says about days the window cuts, whose tool calls, tokens and cost count whole or not at all (see `cutDaysNote`); absent when it cuts none. */
  readonly cutDaysNote?: string
}

/** Every setup the report names, in one order, so each keeps one colour throughout. */
export function setupOrder(data: HtmlReportData): string[] {
  return [...new Set([
    ...data.rows.map((row) => row.setup),
    ...data.trends.map((trend) => trend.setup),
    ...data.recommendations.flatMap((entry) => entry.recommendation.setups.map((setup) => setup.setup)),
    ...data.leaderboard.map((row) => row.status.setup),
  ])]
}
