import { describe, expect, it } from 'vitest'
import { settlesWithin, withinTime } from './within-time.js'

const after = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => {
  setTimeout(() => {
    resolve(value)
  }, ms)
})

describe('withinTime', () => {
  it('gives what the work gives when it settles in time, and undefined when it does not', async () => {
    expect(await withinTime(after(5, 'done'), 1000)).toBe('done')
    expect(await withinTime(after(1000, 'done'), 20)).toBeUndefined()
  })

  it('passes on a failure that comes in time', async () => {
    await expect(withinTime(Promise.reject(new Error('broke')), 1000)).rejects.toThrow('broke')
  })
})

describe('settlesWithin', () => {
  it('says whether the work settled in time, whatever it gave', async () => {
    expect(await settlesWithin(after(5, undefined), 1000)).toBe(true)
    expect(await settlesWithin(after(5, false), 1000)).toBe(true)
    expect(await settlesWithin(after(1000, undefined), 20)).toBe(false)
  })
})
