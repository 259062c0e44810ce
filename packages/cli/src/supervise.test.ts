import { describe, expect, it } from 'vitest'
import { supervision } from './supervise.js'

describe('supervision', () => {
  it('supervises the writers, export and doctor always, the reads only when their database was found damaged, and never help or the first-run commands', () => {
    for (const argv of [['ingest'], ['grade', 'a@b/c', 'abc', '--user', 'good'], ['merge', 'x.lmdb'], ['import'], ['sync'], ['export', '--format', 'csv'], ['doctor'], ['doctor', '--deep'], ['--json', 'bug', 'a@b/c']]) {
      expect(supervision(argv), argv.join(' ')).toBe('always')
    }
    // Listing commands that write with an option.
    expect(supervision(['activity', 'a@b/c', '--task', 'x'])).toBe('always')
    expect(supervision(['retro', '--note=fine'])).toBe('always')
    expect(supervision(['projects', '--refresh'])).toBe('always')
    for (const argv of [['report'], ['agents', '--since', '7d'], ['status', 'a@b/c'], ['recommend'], ['search', 'stripe'], ['activity'], ['retro'], ['projects'], ['history', 'a@b/c']]) {
      expect(supervision(argv), argv.join(' ')).toBe('if-damaged')
    }
    for (const argv of [[], ['--help'], ['report', '--help'], ['-V'], ['init'], ['demo'], ['upgrade'], ['hook', 'claude-code'], ['hooks', 'install', 'claude-code']]) {
      expect(supervision(argv), argv.join(' ')).toBe('never')
    }
  })
})
