import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'

/** How big a generated history is. */
export interface HistorySizes {
  readonly commits: number
  /** Of those, agent commits the tracker knows. */
  readonly tracked: number
  readonly files: number
  /** Days the history spans, ending now. */
  readonly days: number
}

/** A generated history: its folder, and the agent commits with their setups and times. */
export interface GeneratedHistory {
  readonly folder: string
  readonly tracked: readonly { readonly hash: string; readonly setup: string; readonly at: string }[]
  readonly fixes: number
  readonly reverts: number
}

const SETUPS = ['build@anthropic/claude-sonnet-4-5', 'build@openai/gpt-5', 'plan@google/gemini-2.5-pro', 'build@ollama/qwen3-coder']

/** A small deterministic generator (mulberry32), so every run builds the same history. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Writes a repository with `git fast-import`: commits spread over the days, each adding lines to
 * a file or two or changing a few; one in ten a fix (`fix: …`) changing lines others wrote. The
 * agent commits are spread evenly. Reverts are added after the import (their messages name hashes).
 */
export function generateHistory(folder: string, sizes: HistorySizes): GeneratedHistory {
  mkdirSync(folder, { recursive: true })
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: folder })
  const next = random(17)
  const files = Array.from({ length: sizes.files }, () => [] as string[])
  const start = Math.floor(Date.now() / 1000) - sizes.days * 86_400
  const step = Math.floor((sizes.days * 86_400) / sizes.commits)
  const chunks: string[] = []
  const trackedMarks: { mark: number; setup: string; at: string }[] = []
  let fixes = 0
  for (let index = 1; index <= sizes.commits; index++) {
    const time = start + index * step
    const agent = Math.floor((index * sizes.tracked) / sizes.commits) !== Math.floor(((index - 1) * sizes.tracked) / sizes.commits)
    const isFix = !agent && index % 10 === 1
    const touched = new Set<number>([Math.floor(next() * sizes.files), ...(next() < 0.3 ? [Math.floor(next() * sizes.files)] : [])])
    for (const file of touched) {
      const lines = files[file] ?? []
      if (isFix || (lines.length > 10 && next() < 0.3)) {
        for (let change = 0; change < 2 && lines.length > 0; change++) lines[Math.floor(next() * lines.length)] = `// changed in ${String(index)}`
      } else {
        for (let add = 0; add < 3 + Math.floor(next() * 6); add++) lines.push(`export const v${String(index)}_${String(add)} = ${String(Math.floor(next() * 1000))}`)
      }
      files[file] = lines
    }
    const message = isFix ? `fix: correct values in commit ${String(index)}` : agent ? `feat: agent change ${String(index)}` : `chore: human change ${String(index)}`
    if (isFix) fixes += 1
    chunks.push(`commit refs/heads/main\nmark :${String(index)}\ncommitter Dev <dev@example.com> ${String(time)} +0000\ndata ${String(Buffer.byteLength(message))}\n${message}\n`)
    for (const file of touched) {
      const content = `${(files[file] ?? []).join('\n')}\n`
      chunks.push(`M 100644 inline src/f${String(file)}.ts\ndata ${String(Buffer.byteLength(content))}\n${content}\n`)
    }
    if (agent) trackedMarks.push({ mark: index, setup: SETUPS[index % SETUPS.length] ?? 'build', at: new Date(time * 1000).toISOString() })
  }
  execFileSync('git', ['fast-import', '--quiet', `--export-marks=${folder}/.git/marks`], { cwd: folder, input: chunks.join(''), maxBuffer: 1024 * 1024 * 1024 })
  execFileSync('git', ['reset', '-q', '--hard', 'main'], { cwd: folder })
  const marks = new Map(readFileSync(`${folder}/.git/marks`, 'utf8').trim().split('\n').map((line) => {
    const [mark, hash] = line.split(' ')
    return [Number((mark ?? '').slice(1)), hash ?? ''] as const
  }))
  const tracked = trackedMarks.map((entry) => ({ hash: marks.get(entry.mark) ?? '', setup: entry.setup, at: entry.at }))
  const reverts = Math.max(1, Math.floor(sizes.tracked / 200))
  for (let index = 0; index < reverts; index++) {
    const reverted = tracked[Math.floor((index * tracked.length) / reverts)]
    if (reverted !== undefined) appendCommit(folder, `Revert an agent change\n\nThis reverts commit ${reverted.hash}.`)
  }
  return { folder, tracked, fixes, reverts }
}

/** Adds an empty commit with the message, now. */
export function appendCommit(folder: string, message: string): void {
  execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'commit', '-q', '--allow-empty', '-m', message], { cwd: folder })
}
