import { describe, expect, it } from 'vitest'
import { urlHoldsPassword } from './team-url.js'

describe('urlHoldsPassword', () => {
  it('finds a password before the host or as ?password=, and nothing else', () => {
    expect(urlHoldsPassword('postgres://ana:s3cret@db.example.com/tracker')).toBe(true)
    expect(urlHoldsPassword('postgres://ana@db.example.com/tracker?sslmode=verify-full&password=s3cret')).toBe(true)
    expect(urlHoldsPassword('postgres://ana@db.example.com/tracker?sslmode=verify-full&sslrootcert=/etc/ca.pem')).toBe(false)
    expect(urlHoldsPassword('postgres://ana@db.example.com/tracker')).toBe(false)
    expect(urlHoldsPassword('not a url')).toBe(false)
  })
})
