import { shortHash, truncate } from './format.js'
import { oneLine } from './terminal-text.js'

/**
 * A commit as messages name it: its short hash and, when it was recorded with one, its message on
 * one line in parentheses (`abcd1234 (fix totals)`); a commit recorded without a message (a host
 * that saw only the hash) is its hash alone, not `abcd1234 ()`.
 */
export function commitLabel(commit: { readonly hash: string; readonly message?: string | undefined }, width = 60): string {
  const message = commit.message?.trim() ?? ''
  return message === '' ? shortHash(commit.hash) : `${shortHash(commit.hash)} (${oneLine(truncate(message, width))})`
}
