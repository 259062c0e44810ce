import { describe, expect, it } from 'vitest'
import { oneLine, terminalSafe } from './terminal-text.js'

describe('terminalSafe', () => {
  it('shows control characters as their pictures, so a terminal does not act on them', () => {
    expect(terminalSafe('fine\u001b[2K\rFAKE')).toBe('fine\u241b[2K\u240dFAKE')
    // An OSC title, a bell, NUL, backspace, DEL and a C1 CSI.
    expect(terminalSafe('\u001b]0;owned\u0007x\u0000\b\u007f\u009b31m')).toBe('\u241b]0;owned\u2407x\u2400\u2408\u2421\ufffd31m')
    expect(terminalSafe('a\u001bb')).toBe('a\u241bb')
  })

  it('shows the bidirectional formatting characters by their code point: they would reorder what the line shows', () => {
    expect(terminalSafe('failed \u202eevil.sh')).toBe('failed <U+202E>evil.sh')
    expect(terminalSafe('\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069')).toBe('<U+202A><U+202B><U+202C><U+202D><U+2066><U+2067><U+2068><U+2069>')
    // Right-to-left text itself, and the marks that only hint a direction, stay.
    expect(terminalSafe('שלום \u200f مرحبا')).toBe('שלום \u200f مرحبا')
  })

  it('keeps line breaks, tabs, colour sequences and other text as they are', () => {
    const text = '\u001b[1mSETUP\u001b[22m\tCS\n\u001b[31mhalted\u001b[39m — 日本語 ✓'
    expect(terminalSafe(text)).toBe(text)
  })

  it("lets through only agent-tracker's own colour sequences, and none with colours off: another can hide the rest of a line", () => {
    // Conceal, reverse video, black on black, a reset and a 256-colour code: none is one of its own.
    expect(terminalSafe('tidy\u001b[8m failed')).toBe('tidy\u241b[8m failed')
    expect(terminalSafe('\u001b[7mx\u001b[30;40my\u001b[0m\u001b[38;5;16mz')).toBe('\u241b[7mx\u241b[30;40my\u241b[0m\u241b[38;5;16mz')
    // With colours off (NO_COLOR, a pipe) agent-tracker writes none, so every one in the text is someone else's.
    expect(terminalSafe('\u001b[31mred\u001b[39m \u001b[1mbold\u001b[22m', false)).toBe('\u241b[31mred\u241b[39m \u241b[1mbold\u241b[22m')
    expect(oneLine('a\u001b[33mb', false)).toBe('a\u241b[33mb')
    expect(oneLine('a\u001b[33mb')).toBe('a\u001b[33mb')
  })

  it('keeps a one-line field on one line', () => {
    expect(oneLine('first\r\nsecond\nthird\u001b[2J')).toBe('first\u2424second\u2424third\u241b[2J')
    expect(oneLine('ok\tdone\t\tlater')).toBe('ok done  later')
  })
})
