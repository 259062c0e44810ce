import { describe, expect, it } from 'vitest'
import { dollars } from './dollars.js'

describe('dollars', () => {
  it('rounds to the places asked for', () => {
    expect([dollars(12.5, 2), dollars(0.0844, 3), dollars(0, 2), dollars(0.005, 2)]).toEqual(['$12.50', '$0.084', '$0.00', '$0.01'])
  })

  it('never prints money that was spent as nothing', () => {
    expect([dollars(0.004, 2), dollars(0.0000003, 2), dollars(0.0004, 3), dollars(0.0005, 3)]).toEqual(['<$0.01', '<$0.01', '<$0.001', '$0.001'])
  })
})
