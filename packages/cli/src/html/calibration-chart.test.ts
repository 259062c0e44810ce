import { describe, expect, it } from 'vitest'
import { calibrationChart } from './calibration-chart.js'

/** Each point's dot and value label, as drawn. */
function points(svg: string): { cx: number; cy: number; labelX: number; labelY: number; label: string; title: string }[] {
  return [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="5" fill="var\(--c0\)"><title>([^<]*)<\/title><\/circle><text x="([\d.]+)" y="([\d.]+)"[^>]*class="value">([^<]*)<\/text>/g)]
    .map((m) => ({ cx: Number(m[1]), cy: Number(m[2]), title: m[3] ?? '', labelX: Number(m[4]), labelY: Number(m[5]), label: m[6] ?? '' }))
}

describe('calibrationChart', () => {
  const svg = calibrationChart('Calibration', [
    { level: 0.5, scored: 200, covered: 101 },
    { level: 0.8, scored: 200, covered: 158 },
    { level: 0.9, scored: 200, covered: 179 },
    { level: 0.95, scored: 200, covered: 190 },
  ])

  it('plots each level at its realised share, on the same scale on both axes, with the diagonal to compare against', () => {
    const drawn = points(svg)
    expect(drawn.map((p) => p.label)).toEqual(['51%', '79%', '90%', '95%'])
    expect(drawn[2]?.title).toBe('90% intervals held 89.5% of 200')
    // A perfectly calibrated point lies on the diagonal: equal steps in level and share are equal steps in x and −y.
    const [a, b] = drawn
    if (a === undefined || b === undefined) throw new Error('no points')
    expect((b.cx - a.cx) / (0.8 - 0.5)).toBeCloseTo((a.cy - b.cy) / (0.79 - 0.505), 0)
    expect(svg).toContain('stroke-dasharray="5 4"')
  })

  it('keeps the labels of close levels (90% and 95%) apart', () => {
    const [, , ninety, ninetyFive] = points(svg)
    if (ninety === undefined || ninetyFive === undefined) throw new Error('no points')
    expect(ninety.labelX).toBeLessThan(ninety.cx)
    expect(ninetyFive.labelX).toBeGreaterThan(ninetyFive.cx)
    // The 90% label ends left of its dot, the 95% one starts right of its own: the two cannot overlap.
    expect(ninetyFive.labelX - ninety.labelX).toBeGreaterThanOrEqual(ninetyFive.cx - ninety.cx + 15)
  })

  it('says so when no interval could be judged', () => {
    expect(calibrationChart('Calibration', [{ level: 0.9, scored: 0, covered: 0 }])).toContain('No intervals could be judged yet.')
  })
})
