import { describe, expect, it } from 'vitest'
import { closeness, closestMatches, editDistance, looseForm } from './closeness.js'

describe('closeness of what a user typed', () => {
  it('compares loose forms: case, dashes and punctuation do not count', () => {
    expect(looseForm('Build@OpenAI/GPT-5')).toBe('buildopenaigpt5')
    expect(closeness('gpt5', ['gpt-5'])).toBe(0)
  })

  it('counts insertions, deletions, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('sonet', 'sonnet')).toBe(1)
    expect(editDistance('shpo', 'shop')).toBe(1)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(editDistance('', 'abc')).toBe(3)
  })

  it('matches the setup a user meant, closest first, and nothing for unrelated words', () => {
    const setups = ['build@anthropic/claude-sonnet-4-5', 'build@openai/gpt-5', 'plan@openai/gpt-5-mini', 'build@google/gemini-2.5-pro']
    const names = (id: string): string[] => [id, ...id.split(/[@/]/), ...id.split(/[@/\-_.]/).filter((token) => token.length >= 3)]
    expect(closestMatches('gpt5', setups, names)).toEqual(['build@openai/gpt-5', 'plan@openai/gpt-5-mini'])
    expect(closestMatches('sonet', setups, names)).toEqual(['build@anthropic/claude-sonnet-4-5'])
    expect(closestMatches('gemni-2.5-pro', setups, names)).toEqual(['build@google/gemini-2.5-pro'])
    expect(closestMatches('llama', setups, names)).toEqual([])
    expect(closestMatches('', setups, names)).toEqual([])
  })
})
