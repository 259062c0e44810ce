import { describe, expect, it } from 'vitest'
import { niceTicks } from './axes.js'
import { barChart } from './bar-chart.js'
import { lineChart } from './line-chart.js'
import { scatterChart } from './scatter-chart.js'
import { escapeHtml } from './svg.js'

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
const series = (values: readonly number[]) => [{ name: 'a', colour: '#000', points: weeks.map((x, i) => ({ x, y: values[i] ?? null })) }]

describe('lineChart', () => {
  it('labels gridlines with their true values (no gridline at 2.25 labelled 2), and both axes', () => {
    const values = [0.4, 1.3, 2.25]
    const svg = lineChart('Weekly mean user grade', series(values), { x: 'Week', y: 'Mean user grade', format: (v, places) => v.toFixed(places ?? 1) })
    expectHonestAxis(svg, values, Number)
    expect(parse(svg).ticks.map((t) => t.label)).toEqual(['0.0', '0.5', '1.0', '1.5', '2.0', '2.5'])
    expect(svg).toContain('<text class="axis-label x"')
    expect(svg).toContain('>Mean user grade</text>')
  })

  it('uses whole steps for counts and enough places for small amounts of money', () => {
    const commits = [1, 3, 2]
    const counts = lineChart('Weekly commits', series(commits), { x: 'Week', y: 'Commits', format: (v, places) => v.toFixed(places ?? 0), integer: true })
    expectHonestAxis(counts, commits, Number)
    expect(parse(counts).ticks.every((t) => /^\d+$/.test(t.label))).toBe(true)
    const cost = [0.012, 0.07, 0.031]
    const dollars = lineChart('Weekly cost', series(cost), { x: 'Week', y: 'Cost', format: (v, places) => `$${v.toFixed(places ?? 4)}` })
    expectHonestAxis(dollars, cost, (label) => Number(label.slice(1)))
  })

  it('puts long names in an HTML legend, uncut, and gives every line a hover title', () => {
    const name = 'build@anthropic/claude-sonnet-4-5-with-a-very-long-provider-name'
    const svg = lineChart('Weekly commits', [{ name, colour: '#000', points: [{ x: weeks[0] ?? '', y: 1 }] }], { x: 'Week', y: 'Commits', format: String })
    expect(svg).toContain(`<ul class="legend"><li><span class="swatch" style="background:#000"></span>${name}</li></ul>`)
    expect(svg).toContain(`<title>${name}, week of 2026-03-02: 1</title>`)
  })
})

describe('scatterChart', () => {
  it('draws every setup with its interval, and the Pareto front through the setups no other beats', () => {
    const point = (name: string, cost: number, quality: number) => ({ name, colour: '#000', cost, quality, interval: [quality - 0.5, quality + 0.5] as const, samples: 9 })
    const svg = scatterChart('Cost against quality', [point('cheap', 0.01, 1), point('beaten', 0.3, 2), point('middle', 0.1, 3), point('best', 0.5, 4.5)], { x: 'Cost', y: 'Grade', formatCost: (v) => v.toFixed(2), formatQuality: (v) => v.toFixed(1) }, 'Not plotted, no user grade yet: nograde.')
    expect(svg.match(/class="front-ring"/g)).toHaveLength(3)
    expect(svg).toContain('middle: 0.10 per commit, mean user grade 3.0 (90% 2.5–3.5, n=9), on the Pareto front')
    expect(svg).toContain('beaten: 0.30 per commit, mean user grade 2.0 (90% 1.5–2.5, n=9)</title>')
    expect(svg.match(/class="whisker"/g)).toHaveLength(12)
    expect(svg).toContain('Not plotted, no user grade yet: nograde.')
  })
})

describe('barChart', () => {
  it('writes each full name above its bar, and puts a value that would run off the chart inside its bar', () => {
    const svg = barChart('Bugs per commit', [
      { label: 'build@ollama/qwen3-coder', value: 0.5, colour: '#000', note: '13 bugs reported' },
      { label: 'plan@anthropic/claude-opus-4-1', value: 0.01, colour: '#000' },
      { label: 'none', value: null, colour: '#000' },
    ], { label: 'Bugs per commit', format: (v, places) => v.toFixed(places ?? 2) })
    expect(svg).toContain('class="label">build@ollama/qwen3-coder</text>')
    expect(svg).toContain('text-anchor="end" class="value inside">0.50 · 13 bugs reported</text>')
    expect(svg).toContain('class="value">0.01</text>')
    expect(svg).toContain('class="muted">no data</text>')
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

describe('escapeHtml', () => {
  it('escapes markup, and shows a bidirectional formatting character by its code point instead of letting it reorder the text', () => {
    expect(escapeHtml(`<b title="x">'a' & b</b>`)).toBe('&lt;b title=&quot;x&quot;&gt;&#39;a&#39; &amp; b&lt;/b&gt;')
    expect(escapeHtml('fix \u202egnp.exe')).toBe('fix &lt;U+202E&gt;gnp.exe')
    expect(escapeHtml('\u2066x\u2069 שלום')).toBe('&lt;U+2066&gt;x&lt;U+2069&gt; שלום')
  })
})
