import type { ProfileRecommendation, SetupRecommendation } from '@agent-tracker/core'
import { haltedLead } from '@agent-tracker/core'
import { grade, plural } from '../../format.js'
import { intervalChart } from '../charts/interval-chart.js'
import { escapeHtml } from '../charts/svg.js'

/** The recommendation for each kind of project: the verdict in words, and every setup's expected grade with its interval; `narrowed` when the report's filters chose them. */
export function recommendationsSection(recommendations: readonly ProfileRecommendation[], colourOf: (setup: string) => string, narrowed = false, halted: ReadonlySet<string> = new Set()): string {
  if (recommendations.length === 0 && narrowed) {
    return '<p class="note">No project with a profile was worked on within this report\'s filters, so there is nothing to recommend for here.</p>'
  }
  if (recommendations.length === 0) {
    return '<p class="note">No project has a profile yet, so there is nothing to recommend for. Run <code>agent-tracker projects --refresh</code> where the project folders are.</p>'
  }
  return `<div class="cards">${recommendations.map((entry) => card(entry, colourOf, halted)).join('\n')}</div>`
}

function card(entry: ProfileRecommendation, colourOf: (setup: string) => string, halted: ReadonlySet<string>): string {
  const { recommendation } = entry
  const names = entry.projects.map((path) => path.split(/[\\/]/).at(-1) ?? path)
  const shown = recommendation.setups.filter((setup) => setup.samples > 0)
  const chart = shown.length === 0
    ? ''
    : intervalChart(`Expected user grade on ${kindLabel(entry.kind)} projects`, shown.map((setup) => ({
        name: setup.setup,
        colour: colourOf(setup.setup),
        expected: setup.expectedGrade,
        interval: setup.interval,
        ranked: setup.enoughData,
        detail: setup.reason,
      })), { label: 'Expected user grade, 90% interval', format: (v, places) => v.toFixed(places ?? 1), domain: [-1, 5] })
  return `<article class="card verdict-${verdictOf(entry)}"><h3>${escapeHtml(kindLabel(entry.kind))}</h3><p class="sub">${escapeHtml(plural(names.length, 'project'))}: ${escapeHtml(names.join(', '))}</p>${verdict(entry)}${haltedNote(entry, halted)}${chart}</article>`
}

function verdictOf(entry: ProfileRecommendation): 'clear' | 'close' | 'unknown' {
  const { state, contenders } = entry.recommendation
  return state !== 'ranked' ? 'unknown' : contenders.length > 1 ? 'close' : 'clear'
}

function verdict(entry: ProfileRecommendation): string {
  const { recommendation } = entry
  const ranked = recommendation.setups.filter((setup) => setup.rank !== null)
  const top = ranked[0]
  if (recommendation.state === 'ranked' && top !== undefined) {
    if (recommendation.contenders.length > 1) {
      return `<p class="verdict"><b>Not yet distinguishable:</b> ${listOf(recommendation.contenders.map((setup) => `<b>${escapeHtml(setup)}</b>`))} — each still has at least a 2.5% chance of doing as well as the leader. ${escapeHtml(top.setup)} leads for now (${estimate(top)}); grade more commits to tell them apart.</p>${exploration(recommendation)}`
    }
    return `<p class="verdict"><b>Use ${escapeHtml(top.setup)}</b>: ${estimate(top)}, ${escapeHtml(plural(top.samples, 'graded commit'))} on similar projects.</p>`
  }
  if (recommendation.state === 'not-enough-data') {
    const most = recommendation.setups[0]
    return `<p class="verdict"><b>Not enough data</b> to recommend a setup yet${most === undefined ? '' : `: the most graded, ${escapeHtml(most.setup)}, has ${escapeHtml(plural(most.samples, 'graded commit'))} on projects like these`}. Grade commits with <code>/grade</code> or <code>agent-tracker grade</code>.</p>`
  }
  return '<p class="verdict"><b>No outcomes recorded</b> on projects like these yet.</p>'
}

/** When the setup a card puts first is halted: that it is, how to reinstate it, and the best ranked setup that is not (as `recommend` says). */
function haltedNote(entry: ProfileRecommendation, halted: ReadonlySet<string>): string {
  const lead = haltedLead(entry.recommendation, halted)
  if (lead === undefined) return ''
  return `<p class="note"><b>${escapeHtml(lead.setup)} is halted</b>: its tool calls are blocked until you reinstate it (<code>agent-tracker reinstate ${escapeHtml(lead.setup)}</code>); ${lead.instead === undefined ? 'no other ranked setup can take its place' : `the best ranked setup that is not halted is ${escapeHtml(lead.instead)}`}.</p>`
}

function estimate(setup: SetupRecommendation): string {
  return `expected user grade ${escapeHtml(grade(setup.expectedGrade))} (90% ${escapeHtml(grade(setup.interval[0]))}–${escapeHtml(grade(setup.interval[1]))})`
}

/** `typescript · react · web-app`, leaving out what is unknown. */
export function kindLabel(kind: string): string {
  const parts = kind.split('/').filter((part) => part !== 'unknown' && part !== '')
  return parts.length === 0 ? 'Unclassified' : parts.join(' · ')
}

function listOf(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`
}

/** The setup whose next task would teach the most, labelled as exploration (not the best bet). */
function exploration(recommendation: ProfileRecommendation['recommendation']): string {
  const explore = recommendation.explore
  return explore === null ? '' : `<p class="note">To learn (exploration, not the best bet): give the next task to <b>${escapeHtml(explore.setup)}</b> — ${escapeHtml(explore.reason)}.</p>`
}
