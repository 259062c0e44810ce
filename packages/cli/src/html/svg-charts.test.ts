import { describe, expect, it } from 'vitest'
import { lineChart, niceTicks } from './svg-charts.js'

/** Gridlines (y position, label) and data points (y position, title) of a rendered line chart. */
function parse(svg: string): { ticks: { y: number; label: string }[]; dots: { y: number; title: string }[] } {
  const ticks = [...svg.matchAll(/y1="([\d.]+)" y2="[\d.]+" class="gridline"\/><text [^>]*class="tick">([^<]*)<\/text>/g)].map((m) => ({ y: Number(m[1]), label: m[2] ?? '' }))
  const dots = [...svg.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"[^>]*><title>([^<]*)<\/title>/g)].map((m) => ({ y: Number(m[1]), title: m[2] ?? '' }))
  return { ticks, dots }
}

/** Checks that every tick label names the value at its gridline, and every point sits where the labels say. */
function expectHonestAxis(svg: string, values: readonly number[], toNumber: (label: string) => number): void {
  const { ticks, dots } = parse(svg)
  expect(ticks.length).toBeGreaterThanOrEqual(3)
  const [first, second] = ticks
  if (first === undefined || second === undefined) throw new Error('no ticks')
  const perUnit = (second.y - first.y) / (toNumber(second.label) - toNumber(first.label))
  const at = (value: number): number => first.y + (value - toNumber(first.label)) * perUnit
  for (const tick of ticks) expect(Math.abs(tick.y - at(toNumber(tick.label))), `gridline labelled ${tick.label}`).toBeLessThan(0.15)
  expect(dots).toHaveLength(values.length)
  for (const [index, dot] of dots.entries()) expect(Math.abs(dot.y - at(values[index] ?? NaN)), dot.title).toBeLessThan(0.15)
}

const weeks = ['2026-03-02', '2026-03-09', '2026-03-16']

describe('lineChart y axis', () => {
  it('labels gridlines with their true values (no gridline at 2.25 labelled 2)', () => {
    const values = [0.4, 1.3, 2.25]
    const svg = lineChart('Weekly mean user grade', [{ name: 'a', colour: '#000', points: weeks.map((x, i) => ({ x, y: values[i] ?? null })) }], (v, places) => v.toFixed(places ?? 1))
    expectHonestAxis(svg, values, Number)
    expect(parse(svg).ticks.map((t) => t.label)).toEqual(['0.0', '0.5', '1.0', '1.5', '2.0', '2.5'])
  })

  it('uses whole steps for counts and enough places for small amounts of money', () => {
    const commits = [1, 3, 2]
    const counts = lineChart('Weekly commits', [{ name: 'a', colour: '#000', points: weeks.map((x, i) => ({ x, y: commits[i] ?? null })) }], (v, places) => v.toFixed(places ?? 0), { integer: true })
    expectHonestAxis(counts, commits, Number)
    expect(parse(counts).ticks.every((t) => /^\d+$/.test(t.label))).toBe(true)
    const cost = [0.012, 0.07, 0.031]
    const dollars = lineChart('Weekly cost', [{ name: 'a', colour: '#000', points: weeks.map((x, i) => ({ x, y: cost[i] ?? null })) }], (v, places) => `$${v.toFixed(places ?? 4)}`)
    expectHonestAxis(dollars, cost, (label) => Number(label.slice(1)))
  })
})

describe('niceTicks', () => {
  it('steps by 1, 2, 2.5 or 5 times a power of ten, covering the data', () => {
    expect(niceTicks(0, 2.25)).toEqual({ ticks: [0, 0.5, 1, 1.5, 2, 2.5], places: 1 })
    expect(niceTicks(0, 7, { integer: true })).toEqual({ ticks: [0, 2, 4, 6, 8], places: 0 })
    expect(niceTicks(0, 1, { integer: true }).ticks).toEqual([0, 1])
    expect(niceTicks(-1, 5)).toEqual({ ticks: [-2, 0, 2, 4, 6], places: 0 })
    expect(niceTicks(0, 0.07)).toEqual({ ticks: [0, 0.02, 0.04, 0.06, 0.08], places: 2 })
  })
})
