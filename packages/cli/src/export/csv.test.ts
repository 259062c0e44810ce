import { describe, expect, it } from 'vitest'
import { toCsv } from './csv.js'

describe('toCsv', () => {
  it('writes text a spreadsheet would run as a formula with a leading quote, and numbers as they are', () => {
    const csv = toCsv([{ task: '=HYPERLINK("http://x")', note: '+1 and more', who: '@admin', minus: '-2+3', cost: -1.5, plain: 'ok, fine' }])
    expect(csv.split(/\r?\n/)[1]).toBe(`"'=HYPERLINK(""http://x"")",'+1 and more,'@admin,'-2+3,-1.5,"ok, fine"`)
  })

  it('writes fractional numbers to 12 significant digits, as JSON output does, and whole ones whole', () => {
    const csv = toCsv([{ cost: 0.1 + 0.2, sum: 70.56729000000001, count: 12345678901234, tiny: 1e-7 }])
    expect(csv.split(/\r?\n/)[1]).toBe('0.3,70.56729,12345678901234,1e-7')
  })
})
