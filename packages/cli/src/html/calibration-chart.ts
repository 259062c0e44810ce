import { emptyFigure, escapeHtml, figure, seriesColour } from './charts/svg.js'

/** One level of a calibration plot: the interval's nominal level and the share of outcomes it held. */
export interface CalibrationPoint {
  readonly level: number
  readonly scored: number
  readonly covered: number
}

/**
 * A calibration plot: nominal interval level (x) against the share of outcomes the intervals
 * held (y), with the diagonal a perfectly calibrated model would lie on. Points above the line
 * are cautious intervals, below it overconfident ones.
 */
export function calibrationChart(title: string, points: readonly CalibrationPoint[]): string {
  const scored = points.filter((p) => p.scored > 0)
  if (scored.length === 0) return emptyFigure(title, 'No intervals could be judged yet.')
  const size = 300
  const colour = seriesColour(0)
  const left = 64
  const top = 34
  const bottom = 48
  const plot = size - top - bottom
  const low = Math.min(0.4, ...scored.map((p) => p.covered / p.scored)) - 0.05
  const x = (share: number): number => left + ((share - low) / (1 - low)) * plot
  const y = (share: number): number => top + (1 - (share - low) / (1 - low)) * plot
  const ticks = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].filter((t) => t >= low)
  const grid = ticks.map((t) => `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${String(top)}" y2="${String(top + plot)}" class="gridline"/><line x1="${String(left)}" x2="${String(left + plot)}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="gridline"/><text x="${x(t).toFixed(1)}" y="${String(top + plot + 16)}" text-anchor="middle" class="tick">${String(Math.round(t * 100))}%</text><text x="${String(left - 6)}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" class="tick">${String(Math.round(t * 100))}%</text>`)
  const diagonal = `<line x1="${x(low).toFixed(1)}" y1="${y(low).toFixed(1)}" x2="${x(1).toFixed(1)}" y2="${y(1).toFixed(1)}" stroke="var(--muted)" stroke-dasharray="5 4"/>`
  const path = scored.map((p) => `${x(p.level).toFixed(1)},${y(p.covered / p.scored).toFixed(1)}`).join(' ')
  const dots = scored.map((p, index) => {
    const share = p.covered / p.scored
    const text = `${String(Math.round(p.level * 100))}% intervals held ${(share * 100).toFixed(1)}% of ${String(p.scored)}`
    // Below right of its dot, unless the next dot is close enough for the labels to collide (90% and 95%): then above left.
    const next = scored[index + 1]
    const crowded = next !== undefined && x(next.level) - x(p.level) < 36
    const label = crowded
      ? `<text x="${(x(p.level) - 8).toFixed(1)}" y="${(y(share) - 8).toFixed(1)}" text-anchor="end" class="value">`
      : `<text x="${(x(p.level) + 8).toFixed(1)}" y="${(y(share) + 14).toFixed(1)}" class="value">`
    return `<circle cx="${x(p.level).toFixed(1)}" cy="${y(share).toFixed(1)}" r="5" fill="${colour}"><title>${escapeHtml(text)}</title></circle>${label}${escapeHtml(`${(share * 100).toFixed(0)}%`)}</text>`
  })
  const axes = `<text x="${String(left + plot / 2)}" y="${String(size - 10)}" text-anchor="middle" class="axis-label x">interval level (nominal)</text><text transform="translate(17 ${String(top + plot / 2)}) rotate(-90)" text-anchor="middle" class="axis-label y">share that held</text>`
  return figure({
    title,
    svg: `<title>${escapeHtml(title)}</title>${grid.join('')}${diagonal}<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>${dots.join('')}${axes}`,
    height: size,
    legend: [{ name: 'perfectly calibrated (dashed)', colour: 'var(--muted)' }, { name: "recommend's intervals", colour }],
    note: 'Above the diagonal: cautious intervals; below it: overconfident ones.',
  })
}
