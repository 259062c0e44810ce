import { describe, expect, it } from 'vitest'
import { paretoFront } from './pareto-front.js'

describe('paretoFront', () => {
  it('keeps the points no other point beats on both cost and quality, cheapest first', () => {
    const points = [
      { name: 'cheap and poor', cost: 0.01, quality: 1 },
      { name: 'dear and best', cost: 0.5, quality: 4.5 },
      { name: 'dominated', cost: 0.3, quality: 2 },
      { name: 'middle', cost: 0.1, quality: 3 },
      { name: 'same cost, worse', cost: 0.1, quality: 2.5 },
    ]
    expect(paretoFront(points).map((point) => point.name)).toEqual(['cheap and poor', 'middle', 'dear and best'])
    expect(paretoFront([])).toEqual([])
  })
})
