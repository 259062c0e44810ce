import type { ProjectProfile } from './project-profile.js'
import { plural } from '../text/plural.js'
import { dollars } from '../text/dollars.js'

interface Described {
  readonly setup: string
  readonly enoughData: boolean
  readonly projects: number
  readonly samples: number
  readonly evidence: { readonly commits: number; readonly suspectedBugs: number; readonly reverts: number; readonly survival: number | null; readonly share: number } | null
  readonly effectiveSamples: number
  readonly expectedGrade: number
  readonly interval: readonly [number, number]
  readonly bugsPerCommit: number
  readonly costPerCommit: number | null
  readonly costEstimated: boolean
}

/** The one-line reason shown beside a setup. */
export function setupReason(s: Described, context: { minSamples: number; profile: ProjectProfile; evidenceWeight: number }): string {
  const git = s.evidence === null ? '' : ` and git evidence on ${plural(s.evidence.commits, 'commit')} (${evidenceFigures(s.evidence)}; each worth ${String(context.evidenceWeight)} of a grade)`
  if (!s.enoughData) {
    return s.evidence === null
      ? `not enough data: ${plural(s.samples, 'graded commit')} on similar projects, ${String(context.minSamples)} needed`
      : `not enough data: ${plural(s.samples, 'graded commit')}${git} on similar projects count as ${s.effectiveSamples.toFixed(1)}, ${String(context.minSamples)} needed`
  }
  const interval = `90% ${s.interval[0].toFixed(1)}–${s.interval[1].toFixed(1)}`
  // An estimate from list prices is marked `~`, as every app marks it; an unknown cost is not said to be any.
  const cost = s.costPerCommit === null ? '' : `; ${s.costEstimated ? '~' : ''}${dollars(s.costPerCommit, 3)}/commit`
  const share = s.evidence === null ? '' : `; ${String(Math.round(s.evidence.share * 100))}% of the estimate from git evidence`
  return `expected user grade ${s.expectedGrade.toFixed(1)} (${interval}) from ${plural(s.samples, 'graded commit')}${git} on ${plural(s.projects, 'project')} similar to this one${describeProfile(context.profile)}${share}; ${s.bugsPerCommit.toFixed(2)} bugs/commit${cost}`
}

function evidenceFigures(e: { readonly suspectedBugs: number; readonly reverts: number; readonly survival: number | null }): string {
  const parts = [plural(e.suspectedBugs, 'open suspected bug'), plural(e.reverts, 'revert')]
  if (e.survival !== null) parts.push(`${String(Math.round(e.survival * 100))}% of lines lasting`)
  return parts.join(', ')
}

/** The sentence that answers the question. */
export function recommendationMessage(input: {
  state: 'ranked' | 'not-enough-data' | 'no-data'
  profile: ProjectProfile
  top: (Described & { reason: string }) | undefined
  contenders: readonly Described[]
  minSamples: number
  contenderChance: number
}): string {
  const { state, top, contenders, minSamples } = input
  const describe = describeProfile(input.profile)
  if (top !== undefined && contenders.length > 1) {
    const few = contenders.filter((s) => !s.enoughData)
    const fewNote = few.length === 0 ? '' : ` (${listOf(few.map((s) => `${s.setup} has ${plural(s.samples, 'graded commit')}`))})`
    return `No clear best setup yet: ${listOf(contenders.map((s) => s.setup))} are not yet distinguishable — each challenger still has at least a ${String(input.contenderChance * 100)}% chance of doing as well${fewNote}; ${top.setup} leads for now — grade more commits to tell them apart.`
  }
  if (top !== undefined) return `Best for this project: ${top.setup}, ${top.reason}.`
  return state === 'not-enough-data'
    ? `Not enough data to recommend a setup yet: no setup has ${String(minSamples)} user-graded commits (or git evidence worth as much) on projects like this one${describe}. Grade commits with /grade or agent-tracker grade, or read git history for evidence with agent-tracker evidence.`
    : `No outcomes recorded on projects like this one${describe} yet.`
}

function listOf(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`
}

function describeProfile(profile: ProjectProfile): string {
  const parts = [profile.language, profile.framework, profile.scope].filter((part) => part !== 'unknown')
  return parts.length === 0 ? '' : ` (${parts.join('/')})`
}

