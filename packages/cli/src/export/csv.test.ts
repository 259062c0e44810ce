import { describe, expect, it } from 'vitest'
import { toCsv } from './csv.js'

describe('toCsv', () => {
  it('writes text a spreadsheet would run as a formula with a leading quote, and numbers as they are', () => {
    const csv = toCsv([{ task: '=HYPERLINK("http://x")', note: '+1 and more', who: '@admin', minus: '-2+3', cost: -1.5, plain: 'ok, fine' }])
    expect(csv.split(/\r?\n/)[1]).toBe(`"'=HYPERLINK(""http://x"")",'+1 and more,'@admin,'-2+3,-1.5,"ok, fine"`)
  })
})
